"""What extraction returns: plain records, independent of Scrapy and of storage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from crawler.extraction.page_kind import PageKind
from crawler.extraction.version import EXTRACTOR_VERSION


@dataclass(frozen=True)
class ResolvedDate:
    """A page's date resolved to UTC; `value` is None when it could not be trusted."""

    value: datetime | None
    raw: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def iso(self) -> str | None:
        return self.value.isoformat().replace("+00:00", "Z") if self.value else None


NO_DATE = ResolvedDate(None)


@dataclass
class ExtractedComment:
    comment_id: str
    source_id: str | None
    parent_id: str | None
    author: str | None
    published: ResolvedDate
    text: str
    page: int = 1
    page_order: int = 0
    layout: str | None = None
    """The comment layout that read it (`wordpress-classic`, `json-ld`, `wordpress-rest`, ...)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "comment_id": self.comment_id,
            "source_id": self.source_id,
            "parent_id": self.parent_id,
            "author": self.author,
            "published_at": self.published.iso,
            "published_raw": self.published.raw,
            "date_flags": list(self.published.flags),
            "text": self.text,
            "page": self.page,
            "page_order": self.page_order,
            "layout": self.layout,
            "extractor_version": EXTRACTOR_VERSION,
        }


@dataclass
class ExtractedArticle:
    article_id: str
    url: str
    site: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: ResolvedDate = NO_DATE
    modified: ResolvedDate = NO_DATE
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    text: str = ""
    is_article: bool = True
    layout: str | None = None
    """The page object that read the article (`wordpress-block`, `generic`, ...)."""
    comment_count_stated: int | None = None
    """The page's own "N Comments" figure, where it prints one."""
    comment_system: str | None = None
    """Where its comments live: `page`, `wordpress-rest`, a script-loaded system."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("published"), data.pop("modified"), data.pop("is_article")
        data.update(
            published_at=self.published.iso,
            published_raw=self.published.raw,
            date_flags=list(self.published.flags),
            modified_at=self.modified.iso,
            extractor_version=EXTRACTOR_VERSION,
        )
        return data


@dataclass(frozen=True)
class CommentEmbed:
    """A comment system the page loads by script: which one, and what its API needs.

    `params` holds what the page states (an Isso host, a Disqus forum and thread
    identifier, ...); `evidence` says which of the system's markers were found.
    """

    system: str
    params: dict[str, str] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()


@dataclass
class ExtractedPage:
    """Everything one fetched page yields: the article, its comments, where more comments are."""

    article: ExtractedArticle
    comments: list[ExtractedComment] = field(default_factory=list)
    comment_pages: list[str] = field(default_factory=list)
    timezone: str | None = None
    warnings: list[str] = field(default_factory=list)
    kind: PageKind = field(default_factory=lambda: PageKind("article", "layout"))
    """Whether the page is an article, and what said so."""
    post_part: int = 1
    """Which part of a post split over several pages this page is."""
    post_parts: list[str] = field(default_factory=list)
    """The URLs of the post's other parts."""
    embeds: list[CommentEmbed] = field(default_factory=list)
    """Comment systems loaded by script, most useful first (see `comment_systems`)."""

    def to_dict(self) -> dict[str, Any]:
        """The article, whether the page is one (and why not), and its comments."""
        data = self.article.to_dict()
        data["page"] = {"is_article": self.kind.is_article, "reason": self.kind.reason,
                        "signal": self.kind.signal}
        data["comments"] = [c.to_dict() for c in self.comments]
        data["comment_embeds"] = [asdict(e) for e in self.embeds]
        return data
