"""Retries that listen to the server: `Retry-After` on 429 and 503 is honoured.

Scrapy's RetryMiddleware retries 429/503 at once (scrapy/scrapy#3849). Here the retry of a
response carrying `Retry-After` waits that long first (capped by
`PRESSARCHIVE_RETRY_AFTER_MAX`), and the host's slot is slowed down so that the other
requests to it back off as well. Everything else is Scrapy's retry policy.
"""

from __future__ import annotations

import email.utils
import logging
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.defer import deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor
from twisted.internet.task import deferLater

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
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("PRESSARCHIVE_RETRY_AFTER_MAX", 60.0)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if (response.status not in BACKOFF_STATUSES or wait is None
                or request.meta.get("dont_retry", False)):
            return super().process_response(request, response)
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        wait = min(wait, self.max_wait)
        self.crawler.stats.inc_value("retry/retry_after_honoured")
        self._slow_down(request, wait)
        logger.info("waiting %.1f s (Retry-After) before retrying %s", wait, request.url)
        await deferred_to_future(deferLater(reactor, wait, lambda: None))
        return retry

    def _slow_down(self, request: Request, wait: float) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        _, slot = engine.downloader._get_slot(request)
        slot.delay = max(slot.delay, min(wait, 10.0))
