"""Crawling article pages whose comments load by script: a real Isso server beside the site,
and a stand-in for the Disqus API, both on their own loopback hosts (off the site's domain).

Isso's comments are posted, answered, edited, liked, moderated and deleted through its own
API, then a crawl archives them; the truth they are checked against is Isso's database.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from archive.layout import DataDir
from archive.reports import list_reports
from archive.reprocess import reprocess
from crawler.siteconfig import load_site
from sample_site.generate import build_site
from sample_site.response import Response
from tests import embed_pages
from tests.comment_servers import (
    DISQUS_ADDRESS,
    ISSO_ADDRESS,
    DisqusStandIn,
    IssoServer,
    Posted,
    disqus_post,
)
from tests.conftest import run_cli
from tests.crawl_support import Crawl, in_parallel, iso_utc, run_crawl, served

pytest.importorskip("isso", reason="Isso is a dev dependency: pip install -e '.[dev]'")
pytestmark = pytest.mark.slow

ISSO_PATH = "/2024/05/06/harbour-plans/"
LONG_THREAD_PATH = "/2024/05/07/long-thread/"
DISQUS_PATH = "/2024/05/08/disqus-thread/"
LONG_THREAD = 101  # top-level comments: more than one page of Isso's answers (100)
KEY = "PUBLICKEY123"
NO_KEY_AGENT = "pressarchive-test (no Disqus key)"
DISQUS_THREAD = [
    disqus_post("9001", "Ann", "2024-05-08T07:00:01", "<p>First <b>post</b></p>"),
    disqus_post("9002", "Bob", "2024-05-08T07:05:00", "<p>A reply</p>", parent=9001),
    disqus_post("9003", "Cy", "2024-05-08T07:06:00", "<p>gone</p>", isDeleted=True),
    disqus_post("9004", "Dee", "2024-05-08T08:00:00", "<p>Second thread</p>"),
    disqus_post("9005", "Eve", "2024-05-08T08:30:00", "<p>Reply two</p>", parent=9004),
]


@dataclass
class World:
    isso: IssoServer
    posted: dict[str, Posted]
    likes: dict[str, int]
    disqus: DisqusStandIn
    keyed: Crawl
    no_key: Crawl
    no_key_cli: Any
    forbidden: Crawl
    """A crawl with the key, of a Disqus API whose robots.txt disallows everything."""
    closed: DisqusStandIn
    isso_asked_before: int
    """Requests Isso had served (the test's own) when the crawls started."""

    def isso_asked(self) -> list[tuple[str, str, int]]:
        return self.isso.requests()[self.isso_asked_before:]


def _isso_threads(isso: IssoServer) -> tuple[dict[str, Posted], dict[str, int]]:
    """A moderated thread with replies, an edit, a like and deletions, and a long thread."""
    p = {"ann": isso.post(ISSO_PATH, "The quay is long overdue.", "Ann")}
    p["bob"] = isso.post(ISSO_PATH, "Overdue and over budget.", "Bob", parent=p["ann"].comment_id)
    p["cy"] = isso.post(ISSO_PATH, "The budget was approved in March.", "Cy",
                        parent=p["bob"].comment_id)
    p["anon"] = isso.post(ISSO_PATH, "Will the fish market stay open?")
    p["dee"] = isso.post(ISSO_PATH, "A comment its author takes back.", "Dee")
    p["eve"] = isso.post(ISSO_PATH, "A reply that outlives its parent.", "Eve",
                         parent=p["dee"].comment_id)
    p["fay"] = isso.post(ISSO_PATH, "Still waiting for the moderator.", "Fay")
    p["gus"] = isso.post(ISSO_PATH, "Posted and withdrawn at once.", "Gus")
    for name, posted in p.items():
        if name != "fay":
            isso.activate(posted)
    isso.edit(p["ann"], "The quay is long overdue; work starts in the autumn.")
    likes = isso.like(p["bob"])
    isso.delete(p["dee"])
    isso.delete(p["gus"])
    top = [isso.post(LONG_THREAD_PATH, f"Long thread comment number {n}.", f"Reader {n}")
           for n in range(LONG_THREAD)]
    replies = [isso.post(LONG_THREAD_PATH, f"A late reply number {n}.", "Late",
                         parent=top[-1].comment_id) for n in range(2)]
    for posted in top + replies:
        isso.activate(posted)
    return p, likes


def _no_key_site_file(path: Path, base_url: str, api_url: str) -> Path:
    path.write_text(yaml.safe_dump({
        "name": "nokey", "start_urls": [base_url + DISQUS_PATH], "discovery": ["links"],
        "max_depth": 0, "download_delay": 0, "concurrency": 4, "user_agent": NO_KEY_AGENT,
        "private_hosts": [DISQUS_ADDRESS], "disqus_api_url": api_url}), encoding="utf-8")
    return path


def _publish(server: Any, isso: IssoServer) -> None:
    """The article pages, each embedding its comment system, on the fixture site."""
    isso_embed = embed_pages.ISSO.format(host=f"//{ISSO_ADDRESS}:{isso.port}/")
    for path, embed in ((ISSO_PATH, isso_embed), (LONG_THREAD_PATH, isso_embed)):
        server.patches[path] = Response(200, embed_pages.article_page(
            embed, url=server.base_url + path))
    server.patches[DISQUS_PATH] = Response(200, embed_pages.article_page(
        embed_pages.DISQUS_WORDPRESS_COPY, url=server.base_url + DISQUS_PATH,
        section_id="respond"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("comment-apis")
    (root / "isso").mkdir()
    site = build_site("classic", n_articles=1, seed=11)
    with served(site) as (server, canary), \
            IssoServer(root / "isso", server.base_url) as isso, \
            DisqusStandIn(KEY, {"harbour-plans-1234": DISQUS_THREAD}) as disqus, \
            DisqusStandIn(KEY, {"harbour-plans-1234": DISQUS_THREAD},
                          robots="User-agent: *\nDisallow: /\n") as closed:
        _publish(server, isso)
        posted, likes = _isso_threads(isso)
        before = len(isso.requests())
        site_file = _no_key_site_file(root / "nokey.yaml", server.base_url, disqus.api_url)
        keyed, completed, forbidden = in_parallel(
            lambda: run_crawl(
                server, canary, root / "keyed", discovery=["links"], max_depth=0,
                start_urls=[server.base_url + p
                            for p in (ISSO_PATH, LONG_THREAD_PATH, DISQUS_PATH)],
                private_hosts=[ISSO_ADDRESS, DISQUS_ADDRESS], disqus_api_key=KEY,
                disqus_api_url=disqus.api_url),
            lambda: run_cli("crawl", "--site", site_file, "--data", root / "nokey"),
            lambda: run_crawl(
                server, canary, root / "forbidden", discovery=["links"], max_depth=0,
                start_urls=[server.base_url + DISQUS_PATH], private_hosts=[DISQUS_ADDRESS],
                disqus_api_key=KEY, disqus_api_url=closed.api_url,
                user_agent="pressarchive-test (robots)"),
        )
        run_id = list_reports(DataDir.at(root / "nokey"))[0]["run_id"]
        no_key = Crawl(site, load_site(site_file), DataDir.at(root / "nokey"), run_id,
                       server.base_url, [], [])
        yield World(isso, posted, likes, disqus, keyed, no_key, completed, forbidden, closed,
                    before)


def _comments(crawl: Crawl, path: str) -> dict[str, dict[str, Any]]:
    return {c["source_id"]: c for c in crawl.comments_of(path)}


def _public(isso: IssoServer, path: str) -> dict[str, dict[str, Any]]:
    return {str(row["id"]): row for row in isso.stored(path) if row["mode"] == 1}


def test_every_approved_isso_comment_is_archived_once(world: World) -> None:
    for path in (ISSO_PATH, LONG_THREAD_PATH):
        records = world.keyed.comments_of(path)
        assert sorted(r["source_id"] for r in records) == sorted(_public(world.isso, path))
        assert len({r["comment_id"] for r in records}) == len(records)
    assert len(world.keyed.comments_of(LONG_THREAD_PATH)) == LONG_THREAD + 2


def test_isso_comments_keep_their_author_utc_time_and_text(world: World) -> None:
    records = _comments(world.keyed, ISSO_PATH)
    for source_id, row in _public(world.isso, ISSO_PATH).items():
        record = records[source_id]
        assert record["author"] == row["author"]
        assert record["published_at"] == iso_utc(datetime.fromtimestamp(row["created"], UTC))
        assert record["text"] == row["text"]
    assert records[str(world.posted["anon"].comment_id)]["author"] is None


def test_isso_replies_point_at_their_parent_even_a_deleted_one(world: World) -> None:
    records = _comments(world.keyed, ISSO_PATH)
    by_name = {name: records.get(str(p.comment_id)) for name, p in world.posted.items()}
    assert by_name["bob"]["parent_id"] == by_name["ann"]["comment_id"]
    assert by_name["cy"]["parent_id"] == by_name["ann"]["comment_id"]  # Isso nests two deep
    assert by_name["eve"]["parent_id"].endswith(f"-{world.posted['dee'].comment_id}")
    assert by_name["ann"]["parent_id"] is None


def test_an_edit_is_archived_and_a_like_changes_nothing(world: World) -> None:
    records = _comments(world.keyed, ISSO_PATH)
    assert records[str(world.posted["ann"].comment_id)]["text"] == (
        "The quay is long overdue; work starts in the autumn.")
    assert world.likes["likes"] == 1
    liked = records[str(world.posted["bob"].comment_id)]
    assert liked["text"] == "Overdue and over budget."
    assert not {"likes", "dislikes"} & set(liked)


def test_deleted_and_unmoderated_isso_comments_are_not_archived(world: World) -> None:
    archived = set(_comments(world.keyed, ISSO_PATH))
    for name in ("dee", "fay", "gus"):
        assert str(world.posted[name].comment_id) not in archived, name
    assert world.keyed.stats["comments/api/isso/skipped/deleted"] == 1


def test_a_long_isso_thread_is_read_page_by_page(world: World) -> None:
    asked = [urllib.parse.parse_qs(urllib.parse.urlsplit(t).query)
             for m, t, s in world.isso_asked() if t.startswith("/?")]
    offsets = sorted(int(q["offset"][0]) for q in asked if q["uri"] == [LONG_THREAD_PATH])
    assert offsets == [0, 100]


def test_the_isso_host_is_asked_for_its_api_and_robots_txt_only(world: World) -> None:
    asked = world.isso_asked()
    assert {m for m, t, s in asked} == {"GET"}
    targets = [t for m, t, s in asked]
    assert targets.count("/robots.txt") == 1
    assert all(t.startswith("/?uri=") for t in targets if t != "/robots.txt")
    assert world.keyed.canary_requests == []


def test_articles_record_their_comment_system_and_comments_their_layout(world: World) -> None:
    for path, system, layout in ((ISSO_PATH, "isso", "isso-api"),
                                 (DISQUS_PATH, "disqus", "disqus-api")):
        assert world.keyed.article_at(path)["comment_system"] == system
        assert {(c["layout"], c["via"]) for c in world.keyed.comments_of(path)} == {
            (layout, "html")}


def test_the_done_record_comes_after_the_last_api_page(world: World) -> None:
    records = world.keyed.records
    for path in (ISSO_PATH, LONG_THREAD_PATH, DISQUS_PATH):
        aid = world.keyed.article_at(path)["article_id"]
        kinds = [r["type"] for r in records if r.get("article_id") == aid]
        assert kinds.count("done") == 1
        assert kinds.index("done") == len(kinds) - 1


def test_disqus_comments_are_archived_through_its_api_with_the_key(world: World) -> None:
    records = _comments(world.keyed, DISQUS_PATH)
    assert sorted(records) == ["9001", "9002", "9004", "9005"]  # not the page's copy too
    assert world.keyed.stats["comments/replaced_by_api"] == 2
    assert records["9002"]["parent_id"] == records["9001"]["comment_id"]
    assert (records["9001"]["author"], records["9001"]["published_at"],
            records["9001"]["text"]) == ("Ann", "2024-05-08T07:00:01Z", "First post")
    assert all(KEY not in r["fetch_url"] for r in records.values())


def test_the_disqus_thread_is_asked_for_page_by_page_with_its_cursor(world: World) -> None:
    asked = [urllib.parse.urlsplit(p) for p, agent in world.disqus.requests
             if agent != NO_KEY_AGENT and p != "/robots.txt"]
    queries = [urllib.parse.parse_qs(a.query) for a in asked]
    assert {a.path for a in asked} == {"/api/3.0/threads/listPosts.json"}
    assert [(q["forum"], q["thread:ident"], q["api_key"]) for q in queries] == [
        (["newsexample"], ["harbour-plans-1234"], [KEY])] * 3
    assert [q.get("cursor") for q in queries] == [None, ["2:0:0"], ["4:0:0"]]


def test_without_a_key_disqus_is_not_asked_and_the_run_says_so(world: World) -> None:
    assert [p for p, agent in world.disqus.requests if agent == NO_KEY_AGENT] == []
    assert {(c["author"], c["layout"]) for c in world.no_key.comments} == {
        ("Ann", "disqus-html"), ("Bob", "disqus-html")}  # the copy the page prints
    assert world.no_key.article_at(DISQUS_PATH)["comment_system"] == "disqus"
    line = ("1 article with comments hosted by Disqus, not archived: "
            "set `disqus_api_key` in the site file")
    assert world.no_key.report["notes"] == [line]
    assert f"note: nokey: {line}" in " ".join(world.no_key_cli.stderr.split())


def test_a_comment_api_whose_robots_txt_forbids_it_is_not_asked_and_the_copy_is_kept(
        world: World) -> None:
    assert [p for p, agent in world.closed.requests] == ["/robots.txt"]
    assert world.forbidden.report["comment_systems"]["disqus"]["not_archived"] == {
        "robots_forbidden": 1}
    assert world.forbidden.of_type("done") == []  # its comments are not complete
    assert {c["layout"] for c in world.forbidden.comments} == {"disqus-html"}  # the copy
    assert world.forbidden.stats["comments/html_copy_kept"] == 2


def test_the_report_counts_articles_by_comment_system(world: World) -> None:
    assert world.keyed.report["comment_systems"] == {
        "disqus": {"articles": 1, "archived": 1, "not_archived": {}},
        "isso": {"articles": 2, "archived": 2, "not_archived": {}}}
    assert world.keyed.report["notes"] == []
    assert world.no_key.report["comment_systems"] == {
        "disqus": {"articles": 1, "archived": 0, "not_archived": {"no_api_key": 1}}}


def test_reprocessing_the_archive_reads_the_api_answers_again(world: World) -> None:
    figures = reprocess(world.keyed.data)
    again = Crawl(world.keyed.site, world.keyed.config, world.keyed.data, figures["run_id"],
                  world.keyed.base_url, [], [])

    def thread(crawl: Crawl) -> set[tuple[Any, ...]]:
        return {(c["comment_id"], c["parent_id"], c["author"], c["published_at"], c["text"],
                 c["layout"]) for c in crawl.comments}

    assert thread(again) == thread(world.keyed)
    assert {a["comment_system"] for a in again.articles} == {"isso", "disqus"}
    assert all(KEY not in c["fetch_url"] for c in again.comments)
