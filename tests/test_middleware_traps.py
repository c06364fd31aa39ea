"""`crawler.middlewares.traps`: URL patterns, their caps, repeated segments, long URLs."""

from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares.traps import (
    ARTICLE_FOUND,
    TrapGuardMiddleware,
    repeats_segments,
    url_pattern,
)

CAP = 3


@pytest.fixture
def crawler() -> Crawler:
    return get_crawler(Spider, {"PRESSARCHIVE_PATTERN_CAP": CAP, "URLLENGTH_LIMIT": 200})


@pytest.fixture
def guard(crawler: Crawler) -> TrapGuardMiddleware:
    return TrapGuardMiddleware.from_crawler(crawler)


NUMERIC_ARTICLES = ["http://s/?p={n}", "http://s/archives/{n}", "http://s/news/story-{n}"]


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


@pytest.mark.parametrize("shape", NUMERIC_ARTICLES)
@pytest.mark.parametrize("listed_by", ["sitemap", "feed", "rest"])
def test_article_urls_the_site_lists_are_never_counted(guard: TrapGuardMiddleware, shape: str,
                                                       listed_by: str) -> None:
    for n in range(CAP * 5):
        guard.process_request(Request(shape.format(n=1000 + n), meta={"found_by": listed_by}))
    assert guard.stats.get_value("trap/pattern_capped") is None


@pytest.mark.parametrize("shape", NUMERIC_ARTICLES)
def test_numeric_article_urls_found_by_links_do_not_stop_at_the_cap(
        guard: TrapGuardMiddleware, crawler: Crawler, shape: str) -> None:
    signals = crawler.signals
    for n in range(CAP * 5):
        request = Request(shape.format(n=1000 + n), meta={"found_by": "links"})
        guard.process_request(request)
        signals.send_catch_log(signal=ARTICLE_FOUND, request=request)
    assert guard.stats.get_value("trap/pattern_capped") is None


def test_pages_of_a_pattern_that_are_not_articles_still_use_up_its_cap(
        guard: TrapGuardMiddleware, crawler: Crawler) -> None:
    signals = crawler.signals
    article = Request("http://s/?p=1", meta={"found_by": "links"})
    guard.process_request(article)
    signals.send_catch_log(signal=ARTICLE_FOUND, request=article)
    signals.send_catch_log(signal=ARTICLE_FOUND, request=article)  # given back once only
    for n in range(2, CAP + 2):
        guard.process_request(Request(f"http://s/?p={n}", meta={"found_by": "links"}))
    with pytest.raises(IgnoreRequest):
        guard.process_request(Request("http://s/?p=99", meta={"found_by": "links"}))
