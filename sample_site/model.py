"""Ground truth of a fixture site: what a correct crawl must extract.

Times are naive *local* times in the site's timezone, the way WordPress stores
`post_date` and `comment_date`; the `*_utc` helpers resolve them. Text is the
paragraphs joined by a blank line, exactly what the extractor should output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from sample_site.faults import MUST_ARCHIVE, check_faults

THEMES = ("classic", "print", "structured")


def to_utc(local: datetime, tz: str | ZoneInfo) -> datetime:
    """Resolve a naive local time in `tz` to an aware UTC datetime."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return local.replace(tzinfo=zone).astimezone(UTC)


def slugify(text: str) -> str:
    """WordPress-like slug: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class Link:
    """An inline link in an article paragraph: `text` (first occurrence) points to `href`.

    `href` is absolute, or a site path ("/2019/...") made absolute when rendered.
    """

    paragraph: int
    text: str
    href: str


@dataclass(frozen=True)
class Comment:
    comment_id: int
    author: str
    published: datetime
    paragraphs: tuple[str, ...]
    parent_id: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def published_utc(self, tz: str | ZoneInfo) -> datetime:
        return to_utc(self.published, tz)


@dataclass(frozen=True)
class Article:
    post_id: int
    slug: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    modified: datetime | None
    section: str
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    comments: tuple[Comment, ...]
    links: tuple[Link, ...] = ()
    fault: str | None = None
    """Name of the fault this article exercises (see `sample_site.faults`), else None."""

    @property
    def path(self) -> str:
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def last_changed(self) -> datetime:
        """Latest local time the page changed: publication, edit or newest comment."""
        times = [self.published, *(c.published for c in self.comments)]
        if self.modified:
            times.append(self.modified)
        return max(times)

    def published_utc(self, tz: str | ZoneInfo) -> datetime:
        return to_utc(self.published, tz)

    def modified_utc(self, tz: str | ZoneInfo) -> datetime | None:
        return to_utc(self.modified, tz) if self.modified else None

    def comment_depth(self, comment: Comment) -> int:
        """1 for a top-level comment, 2 for a reply to it, and so on."""
        by_id = {c.comment_id: c for c in self.comments}
        depth = 1
        while comment.parent_id is not None:
            comment = by_id[comment.parent_id]
            depth += 1
        return depth

    def top_level_comments(self) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.parent_id is None)

    def replies_to(self, comment_id: int) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.parent_id == comment_id)

    def threaded(self) -> tuple[Comment, ...]:
        """Comments in page order: each thread depth-first, oldest first."""
        ordered: list[Comment] = []

        def visit(comment: Comment) -> None:
            ordered.append(comment)
            for reply in self.replies_to(comment.comment_id):
                visit(reply)

        for top in self.top_level_comments():
            visit(top)
        return tuple(ordered)


@dataclass(frozen=True)
class Site:
    name: str
    """Display name (og:site_name, site title), e.g. "The American Conservative"."""
    title: str
    """The site's tagline (WordPress "Tagline"), shown under the name."""
    timezone: str
    theme: str
    articles: tuple[Article, ...]
    comments_per_page: int = 0
    """Top-level comment threads per comment page; 0 shows every comment on the article page."""
    rest_api: bool = True
    faults: frozenset[str] = frozenset()
    fault_articles: tuple[Article, ...] = field(default=())
    """Extra articles served with a fault (each has `Article.fault` set)."""

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"unknown theme {self.theme!r}, expected one of {THEMES}")
        check_faults(self.faults)
        ids = [a.post_id for a in self.all_articles]
        if len(ids) != len(set(ids)):
            raise ValueError("post ids must be unique per site")
        comment_ids = [c.comment_id for a in self.all_articles for c in a.comments]
        if len(comment_ids) != len(set(comment_ids)):
            raise ValueError("comment ids must be unique per site")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def all_articles(self) -> tuple[Article, ...]:
        """Every article the site serves, normal and fault ones."""
        return self.articles + self.fault_articles

    @property
    def required_articles(self) -> tuple[Article, ...]:
        """Articles a correct crawl must archive (fault articles that can be fetched at all)."""
        return self.articles + tuple(a for a in self.fault_articles if a.fault in MUST_ARCHIVE)

    @cached_property
    def newest_first(self) -> tuple[Article, ...]:
        ordered = sorted(self.all_articles, key=lambda a: (a.published, a.post_id), reverse=True)
        return tuple(ordered)

    def article_by_id(self, post_id: int) -> Article | None:
        return next((a for a in self.all_articles if a.post_id == post_id), None)

    def article_with_fault(self, fault: str) -> Article:
        return next(a for a in self.fault_articles if a.fault == fault)

    @cached_property
    def author_ids(self) -> dict[str, int]:
        names = sorted({n for a in self.all_articles for n in a.authors})
        return {name: i for i, name in enumerate(names, start=2)}

    @cached_property
    def category_ids(self) -> dict[str, int]:
        names = sorted({a.section for a in self.all_articles})
        return {name: i for i, name in enumerate(names, start=2)}

    @cached_property
    def tag_ids(self) -> dict[str, int]:
        names = sorted({t for a in self.all_articles for t in a.tags})
        return {name: i for i, name in enumerate(names, start=100)}
