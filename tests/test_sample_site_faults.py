"""The fixture site's fault routes, each behaving as `sample_site.faults` documents."""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Iterator

import lxml.html
import pytest

from sample_site import CanaryServer, SiteServer, build_site
from sample_site import faults as f
from sample_site.client import fetch
from sample_site.model import Site

SLOW_SECONDS = 0.3


@pytest.fixture(scope="module")
def canary() -> Iterator[CanaryServer]:
    with CanaryServer() as server:
        yield server


@pytest.fixture(scope="module", params=["classic", "print", "structured"])
def faulty(
    request: pytest.FixtureRequest, canary: CanaryServer
) -> Iterator[tuple[Site, SiteServer]]:
    site = build_site(request.param, seed=9, faults=f.FAULTS)
    with SiteServer(site, canary_url=canary.url, slow_seconds=SLOW_SECONDS) as server:
        yield site, server


def home_hrefs(server: SiteServer) -> list[str]:
    doc = lxml.html.fromstring(fetch(server.url("/")).text)
    return [str(h) for h in doc.xpath("//a/@href")]


def canonical(body: str) -> list[str]:
    return [str(h) for h in lxml.html.fromstring(body).xpath("//link[@rel='canonical']/@href")]


def test_unknown_fault_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown faults"):
        build_site("classic", faults=["no_such_fault"])


def test_fault_articles_are_listed_and_marked(faulty: tuple[Site, SiteServer]) -> None:
    site, server = faulty
    assert {a.fault for a in site.fault_articles} == set(f.ARTICLE_FAULTS)
    assert "truncated_transfer" not in {a.fault for a in site.required_articles}
    assert len(site.required_articles) == len(site.articles) + len(f.ARTICLE_FAULTS) - 1
    hrefs = {h.split(";")[0].split("?")[0] for h in home_hrefs(server)}
    assert {server.url(a.path) for a in site.fault_articles} <= hrefs


@pytest.mark.parametrize(("fault", "status"), [("retry_after", 503), ("retry_after_429", 429)])
def test_retry_after_fails_once_then_serves(
    faulty: tuple[Site, SiteServer], fault: str, status: int
) -> None:
    site, server = faulty
    url = server.url(site.article_with_fault(fault).path)
    first = fetch(url)
    assert (first.status, first.headers["Retry-After"]) == (status, "2")
    second = fetch(url)
    assert second.status == 200
    assert site.article_with_fault(fault).title in second.body.decode()


@pytest.mark.parametrize(("path", "status"), [(f.NOT_FOUND_PATH, 404), (f.GONE_PATH, 410)])
def test_dead_links_from_the_home_page(
    faulty: tuple[Site, SiteServer], path: str, status: int
) -> None:
    _, server = faulty
    assert any(path in h for h in home_hrefs(server))
    assert fetch(server.url(path)).status == status


def test_redirect_chain_hops_to_the_target_article(faulty: tuple[Site, SiteServer]) -> None:
    site, server = faulty
    hops = []
    url = server.url("/go/1")
    for _ in range(4):
        response = fetch(url)
        if response.status == 200:
            break
        hops.append(response.status)
        url = response.headers["Location"]
    assert hops == [301, 302, 301]
    assert url == server.url(f.target_article(site).path)


def test_offsite_redirect_points_at_the_canary(
    faulty: tuple[Site, SiteServer], canary: CanaryServer
) -> None:
    _, server = faulty
    response = fetch(server.url(f.OFFSITE_PATH))
    assert (response.status, response.headers["Location"]) == (302, canary.url)
    assert canary.url.startswith("http://127.0.0.2:")


def test_canary_records_every_request(canary: CanaryServer) -> None:
    before = len(canary.requests)
    assert fetch(canary.url).status == 200
    assert len(canary.requests) == before + 1
    assert canary.requests[-1].path == "/stolen"


def test_calendar_links_months_without_end(faulty: tuple[Site, SiteServer]) -> None:
    _, server = faulty
    assert any(f.CALENDAR_START in h for h in home_hrefs(server))
    path = f.CALENDAR_START
    for _ in range(14):
        doc = lxml.html.fromstring(fetch(server.url(path)).text)
        path = doc.xpath("//nav[contains(@class, 'calendar-navigation')]/a[@rel='next']/@href")[0]
        path = path.removeprefix(server.base_url)
    assert path == "/calendar/2020/04/"


def test_cp1252_article_declares_its_charset_only_in_a_meta(
    faulty: tuple[Site, SiteServer],
) -> None:
    site, server = faulty
    article = site.article_with_fault("cp1252")
    response = fetch(server.url(article.path))
    assert response.headers["Content-Type"] == "text/html"
    assert b"\x80" in response.body
    text = response.body.decode("cp1252")
    assert 'content="text/html; charset=windows-1252"' in text
    assert "<meta charset" not in text
    assert article.paragraphs[0] in text
    assert "€" in article.paragraphs[0] and "é" in article.title
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")


def test_truncated_article_stops_inside_the_fourth_comment(
    faulty: tuple[Site, SiteServer],
) -> None:
    site, server = faulty
    article = site.article_with_fault("truncated")
    response = fetch(server.url(article.path))
    assert int(response.headers["Content-Length"]) == len(response.body)
    text = response.body.decode()
    assert "</html>" not in text
    for comment in f.complete_comments(article):
        assert all(p in text for p in comment.paragraphs)
    fourth = article.threaded()[f.TRUNCATE_AFTER_COMMENTS].paragraphs[0]
    assert text.endswith("<p>" + fourth[: len(fourth) // 2])


def test_truncated_transfer_closes_before_content_length(
    faulty: tuple[Site, SiteServer],
) -> None:
    site, server = faulty
    with pytest.raises(http.client.IncompleteRead):
        fetch(server.url(site.article_with_fault("truncated_transfer").path))


def test_slow_article_waits_before_its_body(faulty: tuple[Site, SiteServer]) -> None:
    site, server = faulty
    started = time.monotonic()
    assert fetch(server.url(site.article_with_fault("slow").path)).status == 200
    assert time.monotonic() - started >= SLOW_SECONDS


def test_duplicate_urls_share_the_canonical(faulty: tuple[Site, SiteServer]) -> None:
    site, server = faulty
    target = f.target_article(site)
    expected = [server.url(target.path)]
    hrefs = home_hrefs(server)
    for path in f.duplicate_paths(target):
        assert any(path.split("?")[0] in h for h in hrefs)
        response = fetch(server.url(path))
        assert response.status == 200, path
        assert canonical(response.body.decode()) == expected, path
    amp = fetch(server.url(target.path + "amp/")).body.decode()
    assert "<html amp" in amp


def test_crawl_delay_in_robots(faulty: tuple[Site, SiteServer]) -> None:
    _, server = faulty
    assert "Crawl-delay: 1" in fetch(server.url("/robots.txt")).text.splitlines()


def test_session_ids_change_per_response_and_still_resolve(
    faulty: tuple[Site, SiteServer],
) -> None:
    site, server = faulty
    first, second = home_hrefs(server), home_hrefs(server)
    internal = [h for h in first if h.startswith(server.base_url) and "/wp-json" not in h]
    session = re.compile(r";jsessionid=|[?&]PHPSESSID=")
    assert internal
    assert all(session.search(h) for h in internal if not h.endswith("/feed/"))
    assert first != second
    article_link = next(h for h in first if site.newest_first[0].path in h)
    assert fetch(article_link).status == 200


def test_private_section_is_linked_but_disallowed() -> None:
    site = build_site("classic", n_articles=2)
    with SiteServer(site) as server:
        assert server.url("/private/") in home_hrefs(server)
        assert "Disallow: /private/" in fetch(server.url("/robots.txt")).text
        assert fetch(server.url("/private/")).status == 200
