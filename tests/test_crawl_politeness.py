"""Politeness and bounds, each on a small crawl of its own (run side by side): Crawl-delay
and the site's delay as true minimum gaps, robots.txt failures, page size and download
time limits."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crawler.runner import EXIT_UNREACHABLE
from sample_site.generate import build_site
from sample_site.response import Response
from tests.crawl_support import (
    Crawl,
    StreamServer,
    crawl_fixture,
    gaps,
    in_parallel,
    run_crawl,
    served,
)

pytestmark = pytest.mark.slow

MAXSIZE = 1024 * 1024
SMALL = {"n_articles": 2, "include_seed_article": False}
POLITE = {"AUTOTHROTTLE_ENABLED": True}


def crawl_delay(data: Path) -> Crawl:
    site = build_site("classic", faults=("crawl_delay",), **SMALL)
    return crawl_fixture(site, data, discovery=["links"], max_pages=4, settings=POLITE)


def site_delay(data: Path) -> Crawl:
    site = build_site("classic", **SMALL)
    return crawl_fixture(site, data, discovery=["links"], max_pages=6, download_delay=0.5,
                         settings=POLITE)


def robots_5xx(data: Path) -> Crawl:
    site = build_site("classic", **SMALL)
    return crawl_fixture(site, data, patches={"/robots.txt": Response(503, b"busy\n")})


def robots_404(data: Path) -> Crawl:
    site = build_site("classic", **SMALL)
    page = b"<html><body><p>User-agent: *</p><p>Disallow: /</p></body></html>"
    return crawl_fixture(site, data, patches={"/robots.txt": Response(404, page)},
                         discovery=["links"], max_depth=1)


def robots_huge(data: Path) -> Crawl:
    """A 10 MB robots.txt with a BOM, CRLF line ends and junk; a "Disallow: /" after the
    first 500 KiB, which a crawler need not read."""
    site = build_site("classic", **SMALL)
    head = "\ufeffUser-agent: *\r\nDisallow: /private/\r\n# comment\r\n%%% junk %%%\r\n"
    junk = "Nonsense-field: " + "x" * 60 + "\r\n"
    body = head + junk * (10_000_000 // len(junk)) + "User-agent: *\r\nDisallow: /\r\n"
    robots = Response(200, body.encode("utf-8"), "text/plain; charset=utf-8")
    return crawl_fixture(site, data, patches={"/robots.txt": robots}, discovery=["links"],
                         max_depth=1)


def unreachable(data: Path) -> Crawl:
    """A second start host whose port is closed."""
    site = build_site("classic", **SMALL)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with served(site) as (server, canary):
        return run_crawl(server, canary, data, discovery=["links"], max_depth=1,
                         start_urls=[f"http://127.0.0.1:{closed}/", f"{server.base_url}/"])


def too_large(data: Path) -> tuple[Crawl, StreamServer]:
    site = build_site("classic", **SMALL)
    with StreamServer() as stream, served(site) as (server, canary):
        result = run_crawl(
            server, canary, data,
            settings={"DOWNLOAD_MAXSIZE": MAXSIZE, "DOWNLOAD_WARNSIZE": MAXSIZE // 2},
            start_urls=[stream.url("/endless"), stream.url("/huge"), stream.url("/bomb"),
                        f"{server.base_url}/"],
            discovery=["links"], max_depth=1)
    return result, stream


def timeout(data: Path) -> Crawl:
    site = build_site("classic", faults=("slow",), **SMALL)
    return crawl_fixture(site, data, settings={"DOWNLOAD_TIMEOUT": 1},
                         server_options={"slow_seconds": 4.0}, discovery=["sitemap"])


# Gaps are measured on the server, which stamps a request once its handler has read it: the
# crawls that measure them run together, apart from the others, so that the load of many
# crawls on the machine does not blur the server's clock.
TIMED: dict[str, Callable[[Path], Any]] = {
    "crawl_delay": crawl_delay, "site_delay": site_delay, "timeout": timeout}
OTHERS: dict[str, Callable[[Path], Any]] = {
    "robots_5xx": robots_5xx, "robots_404": robots_404, "robots_huge": robots_huge,
    "too_large": too_large, "unreachable": unreachable}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for group in (TIMED, OTHERS):
        dirs = {name: tmp_path_factory.mktemp(name) for name in group}
        done = in_parallel(*(lambda f=f, d=dirs[n]: f(d) for n, f in group.items()))
        results.update(zip(group, done, strict=True))
    return results


# The server sees arrivals, not departures: the first request also opens the connection, so
# on a loaded machine it can arrive this much later than it left, shortening the first gap.
CONNECT_ALLOWANCE = 0.25


def assert_spaced(requests: list[Any], delay: float) -> None:
    first, *rest = gaps(requests)
    assert first >= delay - CONNECT_ALLOWANCE
    assert min(rest) >= delay


def test_crawl_delay_is_the_least_gap_between_requests(crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["crawl_delay"]
    assert crawled.error is None
    assert len(crawled.requests) == 5
    assert_spaced(crawled.requests, 1.0)
    assert crawled.stats["robotstxt/crawl_delay"] == 1.0


def test_the_site_delay_is_a_floor_that_jitter_does_not_undercut(crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["site_delay"]
    assert crawled.error is None
    assert len(crawled.requests) == 7
    assert_spaced(crawled.requests, 0.5)


def test_page_budget_stops_the_crawl(crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["site_delay"]
    assert crawled.report["finish_reason"] == "closespider_pagecount"
    assert len(crawled.requests) == crawled.config.max_pages + 1  # robots.txt is not a page
    assert (crawled.data.raw_site(crawled.run_id, crawled.config.name) / "_SUCCESS").exists()


def test_robots_5xx_means_the_host_is_not_crawled(crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["robots_5xx"]
    assert f"exited {EXIT_UNREACHABLE}" in str(crawled.error)  # retried by the scheduler
    assert {r.path for r in crawled.requests} == {"/robots.txt"}
    assert crawled.records == []
    assert crawled.counts["skipped_robots"] >= 1
    assert crawled.stats["robotstxt/unavailable"] == 1


def test_robots_404_means_no_restrictions(crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["robots_404"]
    assert crawled.error is None
    assert "/private/" in crawled.paths()
    assert len(crawled.articles) == len(crawled.site.required_articles)
    assert crawled.counts["skipped_robots"] == 0


def test_a_huge_robots_txt_is_read_up_to_500_kib_bom_crlf_and_junk_tolerated(
        crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["robots_huge"]
    assert crawled.error is None
    assert crawled.stats["robotstxt/truncated"] == 1
    assert [p for p in crawled.paths() if p.startswith("/private")] == []
    assert crawled.counts["skipped_robots"] >= 1
    assert len(crawled.articles) == len(crawled.site.required_articles)


def test_an_unreachable_host_is_retried_then_not_crawled_and_the_others_continue(
        crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["unreachable"]
    assert crawled.error is None
    assert crawled.counts["robots_unavailable"] == 1  # RFC 9309: unreachable = disallowed
    assert crawled.counts["retried"] == 2
    assert crawled.counts["skipped_robots"] >= 1
    assert len(crawled.articles) == len(crawled.site.required_articles)


def test_download_maxsize_stops_huge_endless_and_compressed_pages(
        crawls: dict[str, Any]) -> None:
    crawled, stream = crawls["too_large"]
    assert crawled.error is None
    assert sorted(stream.paths) == ["/bomb", "/endless", "/huge", "/robots.txt"]
    assert crawled.counts["too_large"] == 3
    assert stream.sent < 32 * MAXSIZE
    assert len(crawled.articles) == len(crawled.site.required_articles)


def test_a_page_slower_than_the_timeout_fails_and_the_others_continue(
        crawls: dict[str, Any]) -> None:
    crawled: Crawl = crawls["timeout"]
    slow = crawled.site.article_with_fault("slow")
    assert crawled.error is None
    assert len(crawled.requests_to(slow.path)) == 3
    assert crawled.stats["failed/DownloadTimeoutError"] == 1
    assert crawled.counts["failed"] == 1
    archived = {crawled.path_of(a["url"]) for a in crawled.articles}
    assert archived == {a.path for a in crawled.site.articles}
