"""`crawler.middlewares.safety`: a comment API host off the site's domains is let through for
exactly the requests the spider made to it, and for its robots.txt; nothing else."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.utils.test import get_crawler

from crawler.middlewares.safety import RefusedRequest, SafetyMiddleware

API = "8.8.4.4:8080"  # a public address literal: no DNS lookup in the test


class Crawling(Spider):
    name = "site"
    comment_api_hosts = frozenset({API, "127.0.0.3:9000"})


@pytest.fixture
def middleware() -> SafetyMiddleware:
    crawler = get_crawler(Crawling, {"PRESSARCHIVE_PRIVATE_HOSTS": ["news.example"]})
    crawler.spider = Crawling(allowed_domains=["news.example"])
    return SafetyMiddleware.from_crawler(crawler)


def check(middleware: SafetyMiddleware, request: Request) -> Request:
    asyncio.run(middleware.process_request(request))
    return request


def test_the_spiders_own_api_requests_pass_and_skip_scrapys_offsite_filter(
        middleware: SafetyMiddleware) -> None:
    request = check(middleware, Request(f"http://{API}/?uri=/a/", meta={"comment_api": API}))
    assert request.meta["allow_offsite"] is True


def test_the_api_hosts_robots_txt_passes_so_its_rules_apply(
        middleware: SafetyMiddleware) -> None:
    robots = Request(f"http://{API}/robots.txt", meta={"dont_obey_robotstxt": True})
    assert check(middleware, robots).meta["allow_offsite"] is True


@pytest.mark.parametrize(("url", "meta"), [
    (f"http://{API}/admin/", {}),  # a link to the API host: not an API request
    (f"http://{API}/robots.txt", {}),  # not the robots middleware's own request
    ("http://8.8.8.8/?uri=/a/", {"comment_api": "8.8.8.8"}),  # a host the spider never asked
    (f"http://{API}/?uri=/a/", {"comment_api": "8.8.8.8"}),  # redirected from another API
])
def test_anything_else_on_or_off_the_api_host_is_off_domain(
        middleware: SafetyMiddleware, url: str, meta: dict) -> None:
    with pytest.raises(RefusedRequest, match="off_domain"):
        check(middleware, Request(url, meta=meta))


def test_a_redirect_from_the_api_to_another_host_is_off_domain(
        middleware: SafetyMiddleware) -> None:
    redirected = Request(f"http://{API}/?uri=/a/", meta={"comment_api": API}).replace(
        url="http://evil.example.com/")
    with pytest.raises(RefusedRequest, match="off_domain"):
        check(middleware, redirected)


def test_an_api_host_at_a_private_address_needs_the_site_files_leave(
        middleware: SafetyMiddleware) -> None:
    with pytest.raises(RefusedRequest, match="private_address"):
        check(middleware, Request("http://127.0.0.3:9000/?uri=/a/",
                                  meta={"comment_api": "127.0.0.3:9000"}))
    assert middleware.stats.get_value("refused/private_address") == 1
