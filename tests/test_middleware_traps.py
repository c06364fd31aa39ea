"""`crawler.middlewares.traps`: URL patterns, their caps, repeated segments, long URLs."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares.traps import TrapGuardMiddleware, repeats_segments, url_pattern

CAP = 3


@pytest.fixture
def guard() -> TrapGuardMiddleware:
    crawler = get_crawler(Spider, {"PRESSARCHIVE_PATTERN_CAP": CAP, "URLLENGTH_LIMIT": 200})
    return TrapGuardMiddleware.from_crawler(crawler)


def test_calendar_months_share_one_pattern() -> None:
    assert url_pattern("http://s/calendar/2019/02/") == url_pattern("http://s/calendar/1999/12/")
    assert url_pattern("http://s/calendar/2019/02/") != url_pattern("http://s/archive/2019/02/")


def test_faceted_queries_share_a_pattern_whatever_their_values_and_order() -> None:
    assert url_pattern("http://s/shop?sort=a&color=red") == \
        url_pattern("http://s/shop?color=blue&sort=z")


def test_a_segment_repeated_three_times_is_a_trap() -> None:
    assert repeats_segments("http://s/a/b/a/c/a/")
    assert not repeats_segments("http://s/2019/02/02/slug/")


def test_a_pattern_gets_its_cap_of_requests_then_is_refused_and_counted(
        guard: TrapGuardMiddleware) -> None:
    for month in range(1, CAP + 1):
        guard.process_request(Request(f"http://s/calendar/2019/{month:02d}/"))
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://s/calendar/2019/12/"))
    assert guard.stats.get_value("trap/pattern_capped") == 1


def test_exempt_requests_and_redirect_targets_are_not_counted(guard: TrapGuardMiddleware) -> None:
    for _ in range(CAP * 2):
        guard.process_request(Request("http://s/sitemap-1.xml", meta={"trap_exempt": True}))
        guard.process_request(Request("http://s/go/7", meta={"redirect_times": 1}))
    guard.process_request(Request("http://s/go/8"))


def test_repeated_segments_are_refused(guard: TrapGuardMiddleware) -> None:
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://s/x/x/x/"))
    assert guard.stats.get_value("trap/repeated_segments") == 1


def test_urls_over_the_length_limit_are_refused_even_when_exempt(
        guard: TrapGuardMiddleware) -> None:
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://s/" + "a" * 300, meta={"trap_exempt": True}))
    assert guard.stats.get_value("trap/url_too_long") == 1
