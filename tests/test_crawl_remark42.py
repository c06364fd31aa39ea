"""Crawling article pages whose comments Remark42 serves: a stand-in answering Remark42's
`find` in its shape, on its own loopback host (off the site's domain)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sample_site.generate import build_site
from sample_site.response import Response
from tests import embed_pages
from tests.comment_servers import REMARK42_ADDRESS, Remark42StandIn, remark42_comment
from tests.crawl_support import Crawl, run_crawl, served

pytestmark = pytest.mark.slow

PATH = "/2024/05/09/remark42-thread/"
EMBED = """<script>var remark_config = {{host: '{host}', site_id: 'news', url: '{url}'}};
</script><script src="{host}/web/embed.js" defer></script><div id="remark42"></div>"""


@dataclass
class World:
    crawl: Crawl
    remark: Remark42StandIn


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    site = build_site("classic", n_articles=1, seed=12)
    with served(site) as (server, canary):
        url = server.base_url + PATH
        thread = [remark42_comment("r1", "Ann", "2024-05-09T10:00:00-05:00", "<p>First</p>"),
                  remark42_comment("r2", "Bob", "2024-05-09T10:30:00-05:00", "<p>Reply</p>",
                                   pid="r1"),
                  remark42_comment("r3", "Cy", "2024-05-09T11:00:00-05:00", "", delete=True),
                  remark42_comment("r4", "Dee", "2024-05-09T11:30:00-05:00", "<p>To Cy</p>",
                                   pid="r3")]
        with Remark42StandIn("news", {url: thread}) as remark:
            server.patches[PATH] = Response(200, embed_pages.article_page(
                EMBED.format(host=remark.base_url, url=url), url=url))
            crawl = run_crawl(server, canary, tmp_path_factory.mktemp("remark42"),
                              discovery=["links"], max_depth=0, start_urls=[url],
                              private_hosts=[REMARK42_ADDRESS])
            yield World(crawl, remark)


def test_every_public_remark42_comment_is_archived_with_author_utc_time_and_parent(
        world: World) -> None:
    found = {c["source_id"]: c for c in world.crawl.comments_of(PATH)}
    assert sorted(found) == ["r1", "r2", "r4"]
    assert (found["r2"]["author"], found["r2"]["text"]) == ("Bob", "Reply")
    assert found["r1"]["published_at"] == "2024-05-09T15:00:00Z"
    assert found["r2"]["parent_id"] == found["r1"]["comment_id"]
    assert found["r4"]["parent_id"], "a reply to a deleted comment keeps it as its parent"


def test_the_article_says_its_comments_are_remark42s_and_each_comment_its_layout(
        world: World) -> None:
    assert world.crawl.article_at(PATH)["comment_system"] == "remark42"
    assert {c["layout"] for c in world.crawl.comments_of(PATH)} == {"remark42-api"}


def test_the_thread_is_asked_once_of_the_find_endpoint(world: World) -> None:
    finds = [p for p in world.remark.requests if p.startswith("/api/v1/find?")]
    assert len(finds) == 1


def test_the_article_is_done_after_the_thread_is_read(world: World) -> None:
    assert [d["url"] for d in world.crawl.of_type("done")] == [world.crawl.base_url + PATH]
