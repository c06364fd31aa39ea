"""Crawling a post split over pages: stored once, with the text of every part, in order.

The parts are WordPress block-theme pages (`tests.wordpress_markup`) served beside a
fixture site; the real WordPress of `tests/test_wordpress_crawl.py` checks the same on
every shipped theme.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from archive.layout import DataDir
from sample_site.generate import build_site
from sample_site.response import Response, html_response
from sample_site.server import SiteServer
from tests.crawl_support import Crawl, ForkedCrawl, run_crawl, sent_by, served, start_crawl
from tests.wordpress_markup import PARAGRAPHS, block_post, page_links, paragraphs, thread

pytestmark = pytest.mark.slow

POST = "/2024/05/01/harbour-report/"
PARTS = [POST, f"{POST}2/", f"{POST}3/"]


def _part(base: str, number: int) -> Response:
    text = paragraphs((f"Finding {number} of the harbour report stands on its own page.",
                       *PARAGRAPHS[number - 1:]))
    links = page_links([base + path for path in PARTS], number)
    return html_response(block_post(body=text + links, comments=thread(), part=number))


def _publish(server: SiteServer) -> None:
    for number, path in enumerate(PARTS, start=1):
        server.patches[path] = _part(server.base_url, number)


def _crawl(tmp_path: Path, start: str, broken: str | None = None) -> Crawl:
    with served(build_site("classic", n_articles=1, seed=5)) as (server, canary):
        _publish(server)
        if broken:
            server.patches[broken] = Response(404, b"gone")
        return run_crawl(server, canary, tmp_path, start_urls=[server.base_url + start],
                         discovery=["links"], max_depth=0)


def _stop_when_asked_for(crawl: ForkedCrawl, server: SiteServer, path: str, agent: str,
                         signum: int) -> None:
    deadline = time.monotonic() + 60
    while path not in {r.path for r in sent_by(server.requests, agent)}:
        assert crawl.poll() is None, "the crawl ended before it was stopped"
        assert time.monotonic() < deadline, f"the crawl never asked for {path}"
        time.sleep(0.005)
    crawl.send_signal(signum)
    crawl.wait(timeout=60)


def _findings(text: str) -> list[int]:
    return [int(word) for word, following in zip(text.split(), text.split()[1:], strict=False)
            if following == "of" and word.isdigit()]


def test_a_split_post_is_one_article_with_every_parts_text_in_order(tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, POST)

    article = crawl.article_at(POST)
    assert _findings(article["text"]) == [1, 2, 3]


def test_a_split_posts_comments_are_stored_once(tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, POST)

    ids = [c["comment_id"] for c in crawl.comments_of(POST)]
    assert len(ids) == 4 and len(set(ids)) == 4


def test_a_later_part_found_first_leads_to_the_first_and_stores_nothing_of_its_own(
        tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, PARTS[2])

    assert len(crawl.articles) == 1
    assert _findings(crawl.article_at(POST)["text"]) == [1, 2, 3]
    assert crawl.stats.get("post_parts/later_part_found_first") == 1


def test_each_part_is_fetched_once(tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, PARTS[1])

    assert [len(crawl.requests_to(path)) for path in PARTS] == [1, 1, 1]


def test_a_part_that_cannot_be_read_leaves_the_article_with_the_others_and_not_done(
        tmp_path: Path) -> None:
    crawl = _crawl(tmp_path, POST, broken=PARTS[1])

    assert _findings(crawl.article_at(POST)["text"]) == [1, 3]
    assert crawl.stats.get("post_parts/parts_failed") == 1
    assert crawl.of_type("done") == []


def test_a_crawl_killed_while_a_post_waits_for_a_part_stores_it_whole_once_on_resume(
        tmp_path: Path) -> None:
    """The held post was only in the killed process's memory: nothing of it is in the raw
    zone, so the resumed session reads it again, all its parts."""
    agent = "pressarchive-test/parts-killed"
    options = {"discovery": ["links"], "max_depth": 0, "download_delay": 1.0,
               "concurrency": 1, "user_agent": agent}
    with served(build_site("classic", n_articles=1, seed=5)) as (server, canary):
        _publish(server)
        options["start_urls"] = [server.base_url + POST]
        data = DataDir.at(tmp_path)
        _stop_when_asked_for(start_crawl(server, data, **options), server, PARTS[1], agent,
                             signal.SIGKILL)
        resumed = run_crawl(server, canary, data, **options)

    assert resumed.error is None
    articles = [r for r in resumed.records if r.get("type") == "article"]
    assert len(articles) == 1
    assert _findings(articles[0]["text"]) == [1, 2, 3]
