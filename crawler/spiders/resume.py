"""What the earlier sessions of a run left in its raw zone, read when the run resumes.

After a kill the JOBDIR is not trusted, so the raw zone is the memory of the run: articles
marked `done`, the zone the run decided on, and, for every article stored but not done,
which of its pages were read completely (`page` records) and which pages those led to.
A resumed session asks for exactly the pages led to and not read, and marks an article
done at once when nothing is left; it needs neither the article page (its record and the
first page's comments are stored) nor the discovery path that found it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from crawler.discovery import rest_comments_page
from crawler.extraction.timezones import SiteTimezone
from crawler.rawzone import read_items, read_pages

HTML_PAGE = {"kind": "html"}
EMBED_KIND = "embed"
"""Pages of a comment system's API (`crawler.spiders.comment_apis`)."""


def request_kind(how: dict[str, Any]) -> str:
    """How a page is requested, as a `page` record keeps it: `html`, `rest`, or
    `embed:<system>:<page>` (a comment system's API)."""
    if how.get("kind") == EMBED_KIND:
        return f"{EMBED_KIND}:{how['system']}:{how['page']}"
    return str(how.get("kind", "html"))


def how_to_request(url: str, kind: str | None = None) -> dict[str, Any]:
    """What a page's request needs, from its URL and `request_kind`: the REST API's
    comment pages carry their API root, post and page number in their URL."""
    if kind and kind.startswith(f"{EMBED_KIND}:"):
        _, system, number = kind.split(":", 2)
        return {"kind": EMBED_KIND, "system": system, "page": int(number)}
    rest = rest_comments_page(url)
    if rest is None:
        return dict(HTML_PAGE)
    root, post_id, page = rest
    return {"kind": "rest", "api_root": root, "post_id": post_id, "api_page": page}


@dataclass
class Unfinished:
    """An article an earlier session stored without reading all of its pages."""

    via: str
    info: dict[str, Any]
    """What its `done` record needs: url, published_at, fetched_at, etag, last_modified."""
    page: str
    """The page its record was read from: the article page, or for a REST post its URL."""
    read: set[str] = field(default_factory=set)
    linked: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Pages the read pages led to -> how to request them."""

    def to_read(self) -> dict[str, dict[str, Any]]:
        """The pages still to read. An article page killed before its own `page` record
        is read again when it came from HTML (its comments may be half stored); one from
        the REST API has no page to read again and is left to the API's listing."""
        if not self.read:
            return {self.page: HTML_PAGE} if self.via == "html" else {}
        return {url: how for url, how in self.linked.items() if url not in self.read}

    @property
    def known(self) -> set[str]:
        return self.read | set(self.linked) | {self.page}


@dataclass
class Earlier:
    done: set[str] = field(default_factory=set)
    timezone: SiteTimezone | None = None
    unfinished: dict[str, Unfinished] = field(default_factory=dict)


def read_earlier(run_dir: Path) -> Earlier:
    """The memory of a run's earlier sessions (empty for a new run)."""
    earlier = Earlier()
    if not run_dir.exists():
        return earlier
    articles: dict[str, Unfinished] = {}
    for record in read_items(run_dir):
        kind = record.get("type")
        if earlier.timezone is None and record.get("timezone_source") and record.get("timezone"):
            earlier.timezone = _zone_of(record)
        if kind == "done":
            earlier.done.add(record["article_id"])
        elif kind == "article" and record["article_id"] not in articles:
            articles[record["article_id"]] = Unfinished(
                via=record.get("via") or "html",
                info={"url": record["url"], "published_at": record.get("published_at"),
                      "fetched_at": record["fetched_at"], "etag": None, "last_modified": None},
                page=_page_of(record))
    for record in read_pages(run_dir):
        left = articles.get(record.get("article_id", ""))
        if left is None:
            continue
        if record.get("url") == left.page:
            left.info.update(etag=record.get("etag"), last_modified=record.get("last_modified"))
        left.read.add(record["url"])
        pages, kinds = record.get("next") or [], record.get("next_how") or []
        for page, kind in zip_longest(pages, kinds[:len(pages)]):
            left.linked.setdefault(page, how_to_request(page, kind))
    earlier.unfinished = {aid: left for aid, left in articles.items() if aid not in earlier.done}
    return earlier


def _zone_of(record: dict[str, Any]) -> SiteTimezone:
    name, source = record["timezone"], record["timezone_source"]
    offset_only = source == "page_evidence" and (
        name.startswith(("Etc/", "UTC+", "UTC-")) or any(
            "offset_only_timezone" in (record.get(k) or []) for k in ("date_flags",)))
    return SiteTimezone(name, source, offset_only)


def _page_of(article: dict[str, Any]) -> str:
    if article.get("via") == "rest":
        return article["url"]
    return article.get("fetch_url") or article["url"]
