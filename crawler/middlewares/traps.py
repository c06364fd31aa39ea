"""Guards against crawler traps: endless calendars, faceted navigation, self-nesting paths.

A URL's *pattern* is its host and path with every run of digits replaced by `N` and its
query reduced to sorted parameter names, so `/calendar/2031/07/` and `/calendar/1999/12/`
share one pattern. Each pattern gets a budget of requests (`PRESSARCHIVE_PATTERN_CAP`);
paths that repeat a segment three times (`/a/a/a/`) and URLs longer than URLLENGTH_LIMIT
are refused outright (Scrapy checks the length of links only, not of redirect targets).
Requests marked `meta["trap_exempt"]` (sitemaps, API pages, comment pages) are not counted.

A pattern's budget is for pages that lead nowhere: numeric article URLs (`/?p=123`,
`/archives/123`, `/news/story-12345`) share one pattern, yet a site's articles are not a
trap. So pages the site itself lists in its sitemap, feed or API (`meta["found_by"]`) are
never counted, and a counted page that turns out to be an article gives its request back
(the spider sends `ARTICLE_FOUND`): only pages that are not articles use up a pattern.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)
_DIGITS = re.compile(r"\d+")
MAX_SEGMENT_REPEAT = 3
LISTED_BY_SITE = frozenset({"sitemap", "feed", "rest"})
"""Discovery paths whose URLs the site itself lists: never counted against a pattern."""
ARTICLE_FOUND = object()
"""Signal (`request=`): the page this request fetched is an article."""


def url_pattern(url: str) -> str:
    parts = urlsplit(url)
    names = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    path = _DIGITS.sub("N", parts.path)
    return f"{parts.hostname}{path}" + (f"?{'&'.join(names)}" if names else "")


def repeats_segments(url: str, limit: int = MAX_SEGMENT_REPEAT) -> bool:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return any(count >= limit for count in Counter(segments).values())


class TrapGuardMiddleware:
    def __init__(self, stats: StatsCollector, cap: int, max_length: int = 2083) -> None:
        self.stats = stats
        self.cap = cap
        self.max_length = max_length
        self.counts: Counter[str] = Counter()
        self.capped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapGuardMiddleware:
        settings = crawler.settings
        guard = cls(crawler.stats, settings.getint("PRESSARCHIVE_PATTERN_CAP"),
                    settings.getint("URLLENGTH_LIMIT") or 2083)
        crawler.signals.connect(guard.article_found, signal=ARTICLE_FOUND)
        return guard

    def article_found(self, request: Request) -> None:
        """An article is no trap: its request no longer counts against its pattern."""
        pattern = request.meta.pop("trap_pattern", None)
        if pattern is not None and self.counts[pattern] > 0:
            self.counts[pattern] -= 1
            self.stats.inc_value("patterns/articles_not_counted")

    def process_request(self, request: Request) -> None:
        if len(request.url) > self.max_length:
            self.stats.inc_value("trap/url_too_long")
            raise IgnoreRequest(f"URL longer than {self.max_length}: {request.url[:200]}")
        if request.meta.get("trap_exempt") or request.meta.get("dont_obey_robotstxt"):
            return
        if repeats_segments(request.url):
            self.stats.inc_value("trap/repeated_segments")
            raise IgnoreRequest(f"repeated path segments: {request.url}")
        if request.meta.get("redirect_times"):
            return  # a redirect target was counted as its origin
        if request.meta.get("found_by") in LISTED_BY_SITE:
            return
        pattern = url_pattern(request.url)
        if self.counts[pattern] >= self.cap:
            self.stats.inc_value("trap/pattern_capped")
            if pattern not in self.capped:
                self.capped.add(pattern)
                logger.warning("URL pattern %s reached its cap of %d requests", pattern, self.cap)
            raise IgnoreRequest(f"pattern cap reached: {request.url}")
        self.counts[pattern] += 1
        request.meta["trap_pattern"] = pattern
