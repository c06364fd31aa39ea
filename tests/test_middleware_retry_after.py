"""`crawler.middlewares.retry_after`: Retry-After read in both forms, the host paused for
it (capped), everything else left to Scrapy's retry policy."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.middlewares.retry_after import RetryAfterMiddleware, retry_after_seconds

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
MAX_WAIT = 0.3


@pytest.fixture
def middleware() -> RetryAfterMiddleware:
    crawler = get_crawler(Spider, {"PRESSARCHIVE_RETRY_AFTER_MAX": MAX_WAIT, "RETRY_TIMES": 2})
    crawler.spider = Spider.from_crawler(crawler, "retry")
    return RetryAfterMiddleware.from_crawler(crawler)


def response(status: int, url: str = "http://site.test/a", **headers: str) -> HtmlResponse:
    return HtmlResponse(url, status=status, headers=headers, body=b"busy")


@pytest.mark.parametrize(("value", "seconds"), [
    ("2", 2.0), (b"120", 120.0), (format_datetime(NOW + timedelta(seconds=90)), 90.0),
    (format_datetime(NOW - timedelta(hours=1)), 0.0), ("soon", None), ("", None), (None, None),
])
def test_retry_after_is_read_as_seconds_or_a_date(value: str | bytes | None,
                                                  seconds: float | None) -> None:
    assert retry_after_seconds(value, now=NOW) == seconds


@pytest.mark.parametrize("status", [429, 503])
def test_a_backoff_status_with_retry_after_is_retried_and_pauses_the_host(
        middleware: RetryAfterMiddleware, status: int) -> None:
    request = Request("http://site.test/a")
    retry = middleware.process_response(request, response(status, **{"Retry-After": "3600"}))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert middleware.crawler.stats.get_value("retry/retry_after_honoured") == 1
    started = time.monotonic()
    asyncio.run(middleware.process_request(Request("http://site.test/b")))
    waited = time.monotonic() - started
    assert MAX_WAIT - 0.01 <= waited < MAX_WAIT + 1.0  # capped at PRESSARCHIVE_RETRY_AFTER_MAX


def test_other_hosts_are_not_paused(middleware: RetryAfterMiddleware) -> None:
    middleware.process_response(Request("http://site.test/a"),
                                response(503, **{"Retry-After": "3600"}))
    started = time.monotonic()
    asyncio.run(middleware.process_request(Request("http://other.test/")))
    assert time.monotonic() - started < MAX_WAIT / 2


@pytest.mark.parametrize("status", [404, 410])
def test_404_and_410_are_not_retried(middleware: RetryAfterMiddleware, status: int) -> None:
    answer = response(status)
    assert middleware.process_response(Request("http://site.test/a"), answer) is answer


def test_a_500_is_retried_at_once_by_scrapys_policy(middleware: RetryAfterMiddleware) -> None:
    retry = middleware.process_response(Request("http://site.test/a"), response(500))
    assert isinstance(retry, Request)
    assert middleware.paused_until == {}


def test_the_last_try_gives_the_response_back_without_pausing(
        middleware: RetryAfterMiddleware) -> None:
    request = Request("http://site.test/a", meta={"retry_times": 2})
    answer = response(503, **{"Retry-After": "5"})
    assert middleware.process_response(request, answer) is answer
    assert middleware.paused_until == {}
    assert middleware.crawler.stats.get_value("retry/max_reached") == 1
