"""Retries that listen to the server: `Retry-After` on 429 and 503 is honoured.

Scrapy's RetryMiddleware retries 429/503 at once (scrapy/scrapy#3849). Here a response
carrying `Retry-After` pauses its whole host for that long (capped by
`PRESSARCHIVE_RETRY_AFTER_MAX`): the retry and every other request to the host wait in
`process_request` until the pause is over, without holding the response's callback. The
host's pace is then halved for the rest of the crawl (its minimum gap doubles, up to
AUTOTHROTTLE_MAX_DELAY). Everything else is Scrapy's retry policy.
"""

from __future__ import annotations

import email.utils
import logging
import time
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message

from crawler.extensions.delay_floor import HostFloors

logger = logging.getLogger(__name__)
BACKOFF_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    max_wait: float
    max_delay: float
    paused_until: dict[str, float]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("PRESSARCHIVE_RETRY_AFTER_MAX", 60.0)
        middleware.max_delay = crawler.settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0)
        middleware.paused_until = {}
        return middleware

    async def process_request(self, request: Request) -> None:
        """Hold a request to a paused host until the pause is over."""
        until = self.paused_until.get(urlparse_cached(request).netloc)
        if until is None:
            return
        wait = until - time.monotonic()
        if wait > 0:
            await sleep(wait)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if (response.status not in BACKOFF_STATUSES or wait is None
                or request.meta.get("dont_retry", False)):
            return super().process_response(request, response)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        wait = min(wait, self.max_wait)
        self.pause(request, wait)
        self.crawler.stats.inc_value("retry/retry_after_honoured")
        self.crawler.stats.max_value("retry/retry_after_max_wait", wait)
        logger.info("%s asks to wait %.1f s (Retry-After): pausing its host", request.url, wait)
        return retry

    def pause(self, request: Request, wait: float) -> None:
        """No request to the host of `request` for `wait` seconds; then a slower pace."""
        host = urlparse_cached(request).netloc
        until = time.monotonic() + wait
        self.paused_until[host] = max(self.paused_until.get(host, 0.0), until)
        floors = HostFloors.of(self.crawler)
        current = floors.floor(floors.slot_key(request))
        if current > 0:
            floors.raise_floor(request, min(current * 2, self.max_delay))
