"""What a comment system's API reader offers the spider: where a thread starts, and how one
answer reads into comments and the next page.

Readers are plain classes over URLs and decoded JSON (no Scrapy, no network), one module
per system; `READERS` maps a system to its reader. The spider turns the raw comments into
records with `crawler.extraction.comments.finish`, as for every other layout.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from crawler.extraction.comments import RawComment
from crawler.extraction.records import CommentEmbed

DISQUS_API_URL = "https://disqus.com/api/3.0/"


class NotReadable(Exception):
    """The thread cannot be requested; `reason` is the report's key (e.g. `no_api_key`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ApiSettings:
    """What the site file and the crawl settings give the readers."""

    disqus_api_key: str | None = None
    disqus_forum: str | None = None
    disqus_api_url: str = DISQUS_API_URL


@dataclass
class ApiPage:
    """One API answer: its comments in thread order, the URLs of the pages it says are still
    to read, and counts of what was left out and why (`deleted`, `unapproved`, ...).
    `error` is set when the answer is not a thread at all; the article's comments are then
    incomplete."""

    comments: list[RawComment] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    error: str | None = None


class ApiReader(Protocol):
    layout: str
    """The records' `layout` (e.g. `isso-api`)."""

    def first_page(self, embed: CommentEmbed, page_url: str, settings: ApiSettings) -> str:
        """The URL of the thread's first page; raises `NotReadable` when there is none."""
        ...

    def read(self, payload: Any, url: str, status: int) -> ApiPage:
        """One answer (`payload` is the decoded JSON body, None when it is not JSON)."""
        ...


def api_host(embed: CommentEmbed) -> str:
    """The comment server the page names (`params["host"]`, an http(s) URL); raises
    `NotReadable("no_host")` when there is none."""
    host = embed.params.get("host")
    if not host or urlsplit(host).scheme not in ("http", "https"):
        raise NotReadable("no_host")
    return host
