"""A crawl killed (SIGKILL) before, during and after the comment pagination of many articles,
then resumed under the same run id, ends with every comment of the site exactly once,
checked against the site's own list of comments; the resumed session asks again only for
the pages the killed one had not recorded as read."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archive.layout import DataDir
from archive.process import Archive, process
from crawler.rawzone import read_pages
from crawler.spiders.resume import Earlier, read_earlier
from sample_site.generate import build_site
from sample_site.model import Site
from sample_site.server import CanaryServer, SiteServer
from sample_site.themes.base import comment_pages
from tests.crawl_support import (
    RUN_ID,
    SITE_NAME,
    Crawl,
    duplicates,
    in_parallel,
    interrupt_after,
    run_crawl,
    sent_by,
    served,
    start_crawl,
)

pytestmark = pytest.mark.slow

# Sitemap discovery asks for article pages before comment pages, so a kill midway leaves
# many articles with comment pages requested and not read.
HTML: dict[str, Any] = {"download_delay": 0.01, "concurrency": 2, "discovery": ["sitemap"]}
REST: dict[str, Any] = {"download_delay": 0.01, "concurrency": 2, "discovery": ["rest"]}
MOMENTS = {"before": 0.05, "during": 0.45, "after": 0.9}


@dataclass
class Killed:
    site: Site
    moment: str
    at: int
    left: Earlier
    read_before: set[str]
    resumed: Crawl


def html_site() -> Site:
    return build_site("classic", n_articles=12, seed=7, comments_per_page=2, rest_api=False)


def rest_site() -> Site:
    return build_site("structured", n_articles=8, seed=7, rest_api=True)


def requests_of(site: Site) -> int:
    """Requests an uninterrupted HTML crawl makes, from the site's own model: robots.txt,
    home, REST probe, sitemap index and sitemap, then every article's comment pages."""
    return 5 + sum(len(comment_pages(site, a)) for a in site.all_articles)


def killed_then_resumed(server: SiteServer, canary: CanaryServer, data: DataDir, moment: str,
                        at: int, options: dict[str, Any]) -> Killed:
    agent = f"pressarchive-test/{moment} (+https://example.org/{moment})"
    crawl = start_crawl(server, data, user_agent=agent, **options)
    interrupt_after(crawl, server, requests=at, user_agent=agent, signum=signal.SIGKILL)
    run_dir = data.raw_site(RUN_ID, SITE_NAME)
    left = read_earlier(run_dir)
    read_before = {r["url"] for r in read_pages(run_dir)}
    resumed = run_crawl(server, canary, data, user_agent=agent, **options)
    return Killed(server.site, moment, at, left, read_before, resumed)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Killed]:
    html, rest = html_site(), rest_site()
    total = requests_of(html)
    with served(html) as (server, canary), served(rest) as (api_server, api_canary):
        jobs = [lambda m=m, f=f: killed_then_resumed(
                    server, canary, DataDir.at(tmp_path_factory.mktemp(m)), m,
                    max(3, int(total * f)), HTML) for m, f in MOMENTS.items()]
        jobs.append(lambda: killed_then_resumed(
            api_server, api_canary, DataDir.at(tmp_path_factory.mktemp("rest")), "rest",
            6 + len(rest.all_articles) // 2, REST))
        results = in_parallel(*jobs)
    return {r.moment: r for r in results}


@pytest.fixture(params=[*MOMENTS, "rest"])
def outcome(request: pytest.FixtureRequest, outcomes: dict[str, Killed]) -> Killed:
    result = outcomes[request.param]
    assert result.resumed.error is None, result.resumed.error
    return result


def truth(site: Site) -> list[str]:
    return sorted(str(c.comment_id) for a in site.required_articles for c in a.comments)


def test_the_kill_came_at_the_moment_it_is_named_after(outcomes: dict[str, Killed]) -> None:
    assert outcomes["before"].left.unfinished == {} and outcomes["before"].left.done == set()
    assert len(outcomes["during"].left.unfinished) >= 3
    assert len(outcomes["after"].left.done) > len(outcomes["during"].left.done)
    assert outcomes["rest"].left.unfinished


def test_every_comment_of_the_site_is_archived_exactly_once(outcome: Killed) -> None:
    found = [c["source_id"] for c in outcome.resumed.comments]
    assert duplicates(found) == {}
    assert sorted(found) == truth(outcome.site)


def test_every_article_is_archived_and_marked_done_once(outcome: Killed) -> None:
    resumed = outcome.resumed
    required = sorted(a.path for a in outcome.site.required_articles)
    assert sorted(resumed.path_of(a["url"]) for a in resumed.articles) == required
    assert sorted(resumed.path_of(d["url"]) for d in resumed.of_type("done")) == required


def test_pages_read_before_the_kill_are_not_asked_for_again(outcome: Killed) -> None:
    again = {outcome.resumed.base_url + r.path for r in outcome.resumed.requests}
    assert again & outcome.read_before == set()


def test_pages_left_unread_by_the_kill_are_asked_for_again(outcome: Killed) -> None:
    asked = {outcome.resumed.base_url + r.path for r in outcome.resumed.requests}
    left = {url for article in outcome.left.unfinished.values() for url in article.to_read()}
    assert left <= asked


def test_the_processed_archive_has_every_comment_once(outcome: Killed) -> None:
    data = outcome.resumed.data
    process(data)
    comments = Archive.open(data).comments.dataset().to_table(columns=["comment_id"])
    assert comments.num_rows == len(truth(outcome.site))
    assert duplicates(comments.column("comment_id").to_pylist()) == {}


def test_a_resumed_run_keeps_the_zone_its_first_session_decided(outcome: Killed) -> None:
    zones = {(r["timezone"], r["timezone_source"]) for r in outcome.resumed.records
             if r["type"] != "done"}
    assert len(zones) == 1


def sessions(outcome: Killed) -> list[Path]:
    run_dir = outcome.resumed.data.raw_site(RUN_ID, SITE_NAME)
    return sorted(run_dir.glob("items-*.jsonl"))


def test_the_killed_session_and_the_resumed_one_both_wrote_records(outcome: Killed) -> None:
    if outcome.moment != "before":
        assert len(sessions(outcome)) == 2
    assert sent_by(outcome.resumed.requests, outcome.resumed.config.user_agent)
