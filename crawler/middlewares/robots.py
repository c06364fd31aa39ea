"""robots.txt as RFC 9309 and polite crawlers read it.

On top of Scrapy's middleware: a robots.txt that answers 5xx or cannot be fetched means
"disallow everything on this host for this run" (Scrapy allows all); a 4xx means "no
restrictions" whatever the error page says (Scrapy parses its body as rules); and the
file's Crawl-delay is honoured as the host's minimum gap between requests, which neither
AutoThrottle nor jitter undercut (Scrapy ignores it; see `crawler.extensions.delay_floor`).
A huge file is read up to its first 500 KiB, as RFC 9309 allows.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from twisted.internet.defer import Deferred

from crawler.extensions.delay_floor import HostFloors

logger = logging.getLogger(__name__)
MAX_CRAWL_DELAY = 30.0
MAX_ROBOTS_BYTES = 500 * 1024
"""RFC 9309 asks crawlers to parse at least 500 KiB; what follows is ignored."""


class DisallowAll(RobotParser):
    """The parser used when a host's robots.txt is unavailable (5xx or network error)."""

    @classmethod
    def from_crawler(cls, crawler: Any, robotstxt_body: bytes) -> DisallowAll:
        return cls()

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.crawl_delays: dict[str, float] = {}

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/response_count")
            self._unavailable(netloc, f"HTTP {response.status}")
            return
        if response.status >= 400:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._no_rules(netloc)
            return
        if len(response.body) > MAX_ROBOTS_BYTES:
            self._stats.inc_value("robotstxt/truncated")
            cut = response.body[:MAX_ROBOTS_BYTES]
            response = response.replace(body=cut[:cut.rfind(b"\n") + 1] or cut)
        await super()._parse_robots(response, netloc, request)
        parser = getattr(self._parsers.get(netloc), "rp", None)
        if parser is not None and hasattr(parser, "crawl_delay"):
            delay = parser.crawl_delay(self._robotstxt_useragent or self._default_useragent)
            if delay:
                self.crawl_delays[netloc] = min(float(delay), MAX_CRAWL_DELAY)
                self._stats.set_value("robotstxt/crawl_delay", self.crawl_delays[netloc])
                HostFloors.of(self.crawler).raise_floor(request, self.crawl_delays[netloc])

    def _no_rules(self, netloc: str) -> None:
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = None
        if isinstance(pending, Deferred) and not pending.called:
            pending.callback(None)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unavailable(netloc, str(exc) or type(exc).__name__)

    def _unavailable(self, netloc: str, why: str) -> None:
        logger.warning("robots.txt of %s unavailable (%s): not crawling it this run", netloc, why)
        self._stats.inc_value("robotstxt/unavailable")
        pending = self._parsers.get(netloc)
        self._parsers[netloc] = DisallowAll()
        if isinstance(pending, Deferred) and not pending.called:
            pending.callback(self._parsers[netloc])
