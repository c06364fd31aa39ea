"""What the spider remembers during a run, and small readers of responses it shares.

`Book` is plain, picklable data: Scrapy's SpiderState extension keeps it in the JOBDIR, so
a cleanly stopped crawl resumes with it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from scrapy.http import Response

from crawler.extraction import ExtractedPage


@dataclass
class Fetched:
    """The fetch of an article page, as the spider keeps it (plain data, picklable)."""

    url: str
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class HeldPost:
    """The first part of a post, waiting for its other parts."""

    page: ExtractedPage
    fetched: Fetched
    via: str
    missing: set[str]
    texts: dict[str, str] = field(default_factory=dict)
    """Part URL -> its text, for the parts read."""
    failed: list[str] = field(default_factory=list)

    def whole(self) -> ExtractedPage:
        """The first part's page with every read part's text after its own, in order."""
        texts = [self.page.article.text, *(self.texts[url] for url in self.page.post_parts
                                           if self.texts.get(url))]
        return replace(self.page, article=replace(self.page.article, text="\n\n".join(texts)))


@dataclass
class Book:
    """The spider's bookkeeping for one run, kept in `spider.state` across clean stops."""

    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    timezone: str | None = None
    timezone_source: str | None = None
    """Where the run's zone came from (`crawler.spiders.timezone_gate`); None: undecided."""
    timezone_offset_only: bool = False
    formats: list[str] = field(default_factory=list)
    """Date formats learnt on the site this run (`crawler.extraction.dates`)."""
    date_order: str | None = None
    """Day/month order learnt on the site (kept in the crawl state for later runs)."""
    claimed: dict[str, str] = field(default_factory=dict)
    """article id -> the discovery path that delivered it."""
    requested: set[str] = field(default_factory=set)
    """`url_key`s of candidate pages requested: one fetch per page, whatever its variant."""
    skipped: set[str] = field(default_factory=set)
    """`url_key`s of known articles left alone this run (unchanged, outside the window)."""
    pending: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """article id -> comment pages still to read (URL -> what is needed to request it)."""
    visited_pages: dict[str, set[str]] = field(default_factory=dict)
    fetch_info: dict[str, dict[str, Any]] = field(default_factory=dict)
    held: dict[str, tuple[ExtractedPage, Fetched]] = field(default_factory=dict)
    parts: dict[str, HeldPost] = field(default_factory=dict)
    """article id -> its first part, waiting for the post's other parts."""
    early_parts: dict[str, dict[str, str]] = field(default_factory=dict)
    """article id -> `url_key` -> text of later parts read before the first part."""
    api_roots: dict[str, str] = field(default_factory=dict)
    """host -> the REST API root it advertises."""
    api_index: dict[str, str | None] = field(default_factory=dict)
    """REST index URL asked for -> the API root it answered as (None: no WordPress API)."""
    api_pending: set[str] = field(default_factory=set)
    feed_hosts: set[str] = field(default_factory=set)
    robots_sitemaps: dict[str, list[str]] = field(default_factory=dict)


def fetched_at(response: Response) -> datetime:
    stamp = response.meta.get("fetched_at")
    return datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)


def fetch_of(response: Response) -> Fetched:
    return Fetched(response.url, fetched_at(response).isoformat(),
                   header(response, "ETag"), header(response, "Last-Modified"))


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def json_body(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        return None


def total_pages(response: Response) -> int:
    value = header(response, "X-WP-TotalPages")
    return int(value) if value and value.isdigit() else 1


def utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
