"""The site's timezone, decided once per run before any record is made (a spider mixin).

Precedence: the site file's `timezone`; else WordPress's own setting (`timezone_string`,
else `gmt_offset` as a fixed offset) from its REST index, which is fetched whenever a start
page advertises the API or looks like WordPress, even when `rest` is not one of the site's
discovery paths (one request: it is the site's setting, not discovery); else the ISO
offsets and locale of the start pages (and, when they carry none, of up to
`PROBE_PAGES` pages they link to), read by `infer_site_timezone`; else UTC, with a warning.

Until then the start pages are held, unread, so that every local time of the run is read
in the same zone; they are read as soon as the zone is known. A resumed run keeps the
decision of its earlier sessions (in the JOBDIR's `Book` after a clean stop, from the raw
zone's records after a kill), and every record carries `timezone` and `timezone_source`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.discovery import followable_links, wordpress_index
from crawler.extraction.timezones import (
    DEFAULT_UTC,
    SiteTimezone,
    date_flag,
    from_wordpress,
    infer_site_timezone,
    page_evidence,
)
from crawler.extraction.urls import comment_page_number, listing_shape
from crawler.spiders.bookkeeping import json_body

PROBE_PAGES = 2
GATE = "timezone_gate"
"""Request meta key: the request is one the decision waits for."""
H = TypeVar("H", bound=Callable[..., Iterator[Any]])


def gated(handler: H) -> H:
    """A response callback that waits, with its response held, until the zone is known."""
    @functools.wraps(handler)
    def wrapper(self: TimezoneGate, response: Response) -> Iterator[Any]:
        if not self.timezone_decided:
            return self._hold(handler.__name__, response)
        return handler(self, response)
    return wrapper  # type: ignore[return-value]


class TimezoneGate:
    """Spider callbacks and state for the timezone decision (mixed into `SiteSpider`)."""

    def _open_gate(self) -> None:
        self._gate_waiting: set[str] = set()
        self._gate_held: list[tuple[str, Response]] = []
        self._gate_evidence: list[Any] = []
        self._gate_hints: list[str] = [self.site.language]
        self._gate_probed = False
        self._gate_wordpress: SiteTimezone | None = None

    def _zone_known_at_start(self, earlier: SiteTimezone | None) -> None:
        """Before the first request: the zone an earlier session of the run decided (in
        the JOBDIR's book, or `earlier`, from the raw zone), else the site file's."""
        if self.timezone_decided:
            return
        if earlier is not None:
            self._decide_zone(earlier)
        elif self.site.timezone:
            self._decide_zone(SiteTimezone(self.site.timezone, "site_file"))

    @property
    def timezone_decided(self) -> bool:
        return self.book.timezone_source is not None

    @property
    def site_timezone(self) -> SiteTimezone | None:
        book = self.book
        if book.timezone is None or book.timezone_source is None:
            return None
        return SiteTimezone(book.timezone, book.timezone_source, book.timezone_offset_only)

    @property
    def zone_flag(self) -> str | None:
        """The date flag of local times read in the decided zone, if it is a guess."""
        decided = self.site_timezone
        return date_flag(decided) if decided else None

    def _decide_zone(self, decided: SiteTimezone) -> None:
        book = self.book
        book.timezone, book.timezone_source = decided.name, decided.source
        book.timezone_offset_only = decided.offset_only
        if decided.source == "default_utc":
            self.logger.warning("no timezone for %s in its site file, its WordPress settings or "
                                "its pages: local times are read as UTC", self.site.name)
        else:
            self.logger.info("timezone of %s: %s (%s%s)", self.site.name, decided.name,
                             decided.source, ", offset only" if decided.offset_only else "")

    def _gate_meta(self, meta: dict[str, Any], key: str) -> dict[str, Any]:
        """`meta` for a request the decision must wait for (none once it is made)."""
        if not self.timezone_decided:
            self._gate_waiting.add(key)
            meta[GATE] = key
        return meta

    def _hold(self, handler: str, response: Response) -> Iterator[Any]:
        """Keep a page unread until the zone is known; learn what it says about the zone."""
        self._gate_held.append((handler, response))
        if isinstance(response, TextResponse):
            observations, hints = page_evidence(response.text)
            self._gate_evidence += observations
            self._gate_hints += hints
            if response.meta.get("start"):
                yield from self._ask_wordpress(response)
        yield from self._gate_answered(response.meta.get(GATE))

    def _ask_wordpress(self, response: TextResponse) -> Iterator[Request]:
        index = wordpress_index(response)
        if index is None or index in self._gate_waiting or index in self.book.api_index:
            return
        host = urlsplit(response.url).netloc
        yield Request(index, callback=self.parse_wordpress_index,
                      errback=self.wordpress_index_failed, priority=100,
                      meta=self._gate_meta({"trap_exempt": True, "api_host": host,
                                            "api_index": index}, index))

    def parse_wordpress_index(self, response: Response) -> Iterator[Any]:
        info = json_body(response)
        is_api = isinstance(info, dict) and "wp/v2" in info.get("namespaces", [])
        self.book.api_index[response.meta["api_index"]] = response.url if is_api else None
        self._gate_wordpress = self._gate_wordpress or from_wordpress(info)
        yield from self._gate_answered(response.meta.get(GATE))

    def wordpress_index_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self.book.api_index[request.meta["api_index"]] = None
        self.crawler.stats.inc_value("timezone/wordpress_index_unavailable")
        self._count_failure(failure)
        yield from self._gate_answered(request.meta.get(GATE))

    def _gate_answered(self, key: str | None) -> Iterator[Any]:
        """One awaited request answered; with none left, decide and read the held pages."""
        if key is None or self.timezone_decided:
            return
        self._gate_waiting.discard(key)
        if self._gate_waiting:
            return
        found = self._gate_wordpress or infer_site_timezone(self._gate_evidence,
                                                            self._gate_hints)
        if found is None and not self._gate_probed:
            self._gate_probed = True
            probes = list(self._probes())
            if probes:
                yield from probes
                return
        self._decide_zone(found or DEFAULT_UTC)
        held, self._gate_held = self._gate_held, []
        for handler, response in held:
            yield from getattr(self, handler)(response)

    def _probes(self) -> Iterator[Request]:
        """Up to `PROBE_PAGES` pages the held start pages link to that may be articles."""
        sent = 0
        for _, response in self._gate_held:
            if not isinstance(response, TextResponse):
                continue
            for url in followable_links(response, self.site):
                if sent >= PROBE_PAGES:
                    return
                if listing_shape(url) or comment_page_number(url) > 1:
                    continue
                for request in self._candidate(url, "links", gate=True):
                    sent += 1
                    yield request
