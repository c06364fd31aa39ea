"""A crawl stopped while a comment API page is in flight, then resumed under the same run id:
killed (SIGKILL: the article has no `done` record, so the resumed crawl reads it again) and
stopped cleanly (SIGTERM: the API pages still pending come back from the JOBDIR's
`Book.pending`). Either way the run ends with every comment of the thread once."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.layout import DataDir
from crawler.rawzone import read_items
from sample_site.generate import build_site
from sample_site.response import Response
from tests import embed_pages
from tests.comment_servers import DISQUS_ADDRESS, DisqusStandIn, disqus_post
from tests.crawl_support import (
    RUN_ID,
    SITE_NAME,
    Crawl,
    duplicates,
    in_parallel,
    run_crawl,
    served,
    start_crawl,
)

pytestmark = pytest.mark.slow

PATH = "/2024/05/08/disqus-thread/"
KEY = "PUBLICKEY123"
THREAD = [disqus_post(str(9000 + n), f"Reader {n}", f"2024-05-08T07:{n:02d}:00",
                      f"<p>Comment {n}</p>", parent=9000 + n - 1 if n % 2 else None)
          for n in range(6)]


@dataclass
class Stopped:
    exit_code: int
    first_session: list[dict]
    resumed: Crawl
    asked: list[str]


def stopped_and_resumed(server, canary, data: Path, signum: int) -> Stopped:
    with DisqusStandIn(KEY, {"harbour-plans-1234": THREAD}) as disqus:
        options = {"discovery": ["links"], "max_depth": 0, "start_urls": [server.base_url + PATH],
                   "private_hosts": [DISQUS_ADDRESS], "disqus_api_key": KEY,
                   "disqus_api_url": disqus.api_url,
                   "user_agent": f"pressarchive-test/{signal.Signals(signum).name}"}
        disqus.hold()
        crawl = start_crawl(server, DataDir.at(data), **options)
        assert disqus.arrived.wait(timeout=60), "the crawl never asked for the thread"
        crawl.send_signal(signum)
        time.sleep(0.5)  # the stop is under way while the page is still in flight
        disqus.release()
        code = crawl.wait(timeout=120)
        first = list(read_items(DataDir.at(data).raw_site(RUN_ID, SITE_NAME)))
        resumed = run_crawl(server, canary, data, **options)
        return Stopped(code, first, resumed, [p for p, agent in disqus.requests])


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Stopped]:
    root = tmp_path_factory.mktemp("api-resume")
    site = build_site("classic", n_articles=1, seed=12)
    signums = (signal.SIGKILL, signal.SIGTERM)
    with served(site) as (server, canary):
        server.patches[PATH] = Response(200, embed_pages.article_page(
            embed_pages.DISQUS_UNIVERSAL, url=server.base_url + PATH))
        results = in_parallel(*(lambda s=s: stopped_and_resumed(server, canary, root / str(s),
                                                                s) for s in signums))
    return dict(zip(signums, results, strict=True))


@pytest.fixture(params=[signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def outcome(request: pytest.FixtureRequest, outcomes: dict[int, Stopped]) -> Stopped:
    return outcomes[request.param]


def test_the_first_session_stopped_before_the_thread_was_read(outcome: Stopped) -> None:
    assert outcome.exit_code in (-signal.SIGKILL, 3)  # 3: stopped cleanly, not finished
    assert [r for r in outcome.first_session if r["type"] == "done"] == []


def test_the_resumed_run_holds_every_comment_of_the_thread_once(outcome: Stopped) -> None:
    resumed = outcome.resumed
    assert resumed.error is None
    assert sorted(c["source_id"] for c in resumed.comments) == sorted(p["id"] for p in THREAD)
    assert duplicates([c["comment_id"] for c in resumed.comments]) == {}
    assert len(resumed.of_type("done")) == 1


def test_every_page_of_the_thread_was_asked_for(outcome: Stopped) -> None:
    cursors = {p.partition("cursor=")[2] for p in outcome.asked if "listPosts" in p}
    assert cursors == {"", "2%3A0%3A0", "4%3A0%3A0"}
