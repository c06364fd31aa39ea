"""A crawl whose pages redirect to the canary (127.0.0.2, standing in for a metadata
service) under every spelling of its address, and to other schemes: the canary must get
no request, and each refusal is counted in the run report."""

from __future__ import annotations

import pytest

from crawler.runner import EXIT_UNREACHABLE
from sample_site.generate import build_site
from sample_site.response import redirect
from tests.crawl_support import Crawl, run_crawl, served

pytestmark = pytest.mark.slow

PRIVATE_SPELLINGS = {
    "/out/integer": "2130706434",
    "/out/hex": "0x7f000002",
    "/out/octal": "0177.0.0.2",
    "/out/short": "127.2",
    "/out/mapped": "[::ffff:127.0.0.2]",
    "/out/name": "localhost",
}
OTHER_SCHEMES = {"/out/file": "file:///etc/passwd", "/out/ftp": "ftp://127.0.0.2/stolen"}
LOOP = ("/loop/a", "/loop/b")
REDIRECT_MAX_TIMES = 10  # crawler.settings


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    site = build_site("classic", n_articles=1, include_seed_article=False,
                      faults=("redirect_offsite",))
    # Every target is an allowed domain, so only the address check stands in the way.
    with served(site) as (server, canary):
        port = canary.port
        patches = {path: redirect(f"http://{host}:{port}/stolen")
                   for path, host in PRIVATE_SPELLINGS.items()}
        patches.update({path: redirect(url) for path, url in OTHER_SCHEMES.items()})
        patches.update({LOOP[0]: redirect(server.url(LOOP[1]), 302),
                        LOOP[1]: redirect(server.url(LOOP[0]), 302)})
        server.patches.update(patches)
        hosts = [h.strip("[]") for h in PRIVATE_SPELLINGS.values()]
        starts = [f"{server.base_url}/", *(server.url(p) for p in patches if p != LOOP[1])]
        result = run_crawl(server, canary, tmp_path_factory.mktemp("safety"),
                           start_urls=starts, allowed_domains=["127.0.0.1", *hosts],
                           discovery=["links"], max_depth=1)
    assert result.error is None, result.error
    return result


def test_the_canary_gets_no_request(crawled: Crawl) -> None:
    assert crawled.canary_requests == []


@pytest.mark.parametrize("path", sorted(PRIVATE_SPELLINGS))
def test_each_redirect_to_a_private_address_is_refused(crawled: Crawl, path: str) -> None:
    assert [r.status for r in crawled.requests_to(path)] == [301]
    host = PRIVATE_SPELLINGS[path]
    refusals = [line for line in crawled.log().splitlines()
                if "refused http://" in line and f"//{host}:" in line]
    assert len(refusals) == 1 and refusals[0].endswith(": private_address")


def test_every_private_spelling_is_counted_as_refused(crawled: Crawl) -> None:
    assert crawled.counts["refused_private_address"] == len(PRIVATE_SPELLINGS)


def test_the_offsite_redirect_to_the_canary_is_refused_as_off_domain(crawled: Crawl) -> None:
    assert crawled.counts["refused_off_domain"] == 1


@pytest.mark.parametrize("path", sorted(OTHER_SCHEMES))
def test_redirects_to_other_schemes_are_refused(crawled: Crawl, path: str) -> None:
    assert [r.status for r in crawled.requests_to(path)] == [301]
    refusals = [line for line in crawled.log().splitlines()
                if f"refused {OTHER_SCHEMES[path]}: scheme" in line]
    assert len(refusals) == 1


def test_a_redirect_loop_stops_at_the_redirect_limit_and_is_counted(crawled: Crawl) -> None:
    hops = [r for r in crawled.requests if r.path in LOOP]
    assert len(hops) == REDIRECT_MAX_TIMES + 1
    assert crawled.stats["trap/redirects_exhausted"] == 1
    assert crawled.counts["trap_capped"] == 1


def test_every_other_scheme_is_counted_as_refused(crawled: Crawl) -> None:
    assert crawled.counts["refused_scheme"] == len(OTHER_SCHEMES)
    assert crawled.counts["http_errors"] == len([r for r in crawled.requests if r.status == 404])


@pytest.fixture(scope="module")
def rebound(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    """A redirect to `localhost`, whose first lookup answers a public address (as a
    rebinding DNS server would) and whose connection would reach 127.0.0.1."""
    site = build_site("classic", n_articles=1, include_seed_article=False)
    with served(site) as (server, canary):
        server.patches["/out/rebind"] = redirect(f"http://localhost:{server.port}/about/")
        result = run_crawl(server, canary, tmp_path_factory.mktemp("rebinding"),
                           start_urls=[server.url("/out/rebind")],
                           allowed_domains=["127.0.0.1", "localhost"], discovery=["links"],
                           max_depth=0, rebinding={"localhost": "93.184.216.34"})
        seen_by_server = server.requests
    result.requests = seen_by_server
    # its only start page led nowhere it may go: the crawl says so
    assert f"exited {EXIT_UNREACHABLE}" in str(result.error), result.error
    return result


def test_a_name_that_rebinds_to_loopback_is_refused_at_connect_time(rebound: Crawl) -> None:
    assert [r.path for r in rebound.requests if r.path != "/robots.txt"] == ["/out/rebind"]
    assert not any(r.headers.get("Host", "").startswith("localhost") for r in rebound.requests)
    assert "refused to connect to localhost: it resolves to 127.0.0.1" in rebound.log()
    assert rebound.counts["refused_private_address"] == 0  # the lookup said: public
