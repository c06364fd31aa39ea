"""`process` over several raw runs: idempotent, one row per id, order-independent."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive.layout import DataDir
from archive.process import process
from tests.process_support import (
    Comment,
    RunBuilder,
    at,
    body,
    by_id,
    rows,
    snapshot,
    story,
    syndicated,
)

FIRST, SECOND = at(10), at(20)
S1, S2, S3, S4 = story(1), story(2, day=6), story(3, day=7), story(4, day=8)


def _overlapping(data: DataDir) -> None:
    """Run A crawls stories 1-3, run B (later) stories 2-4; story 2 changed its title and
    text, story 3 got a new comment and an edited one."""
    s1, s2, s3, s4 = S1, S2, S3, S4
    RunBuilder("A").crawl(s1, s2, s3, fetched=FIRST).write(data)
    s2b = replace(s2, title="Story number 2, updated", text=body("story2-v2"))
    edited = replace(s3.comments[0], text="The first comment, rewritten by its author.")
    s3b = s3.with_comments(edited, *s3.comments[1:],
                           Comment("399", "latecomer", "A later comment on story three.",
                                   at(15)))
    RunBuilder("B").crawl(s2b, s3b, s4, fetched=SECOND).write(data)


def test_rerunning_process_on_the_same_input_leaves_the_archive_unchanged(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _overlapping(data)
    process(data)
    before = snapshot(data)
    assert process(data) == []  # nothing changed since: nothing to do
    process(data, force=True)
    assert snapshot(data) == before


def test_overlapping_runs_give_exactly_one_row_per_article_and_per_comment(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _overlapping(data)
    process(data)
    articles, comments = rows(data, "articles"), rows(data, "comments")
    assert len(articles) == len({r["article_id"] for r in articles}) == 4
    assert len(comments) == len({r["comment_id"] for r in comments}) == 4 * 3 + 1


def test_first_seen_is_kept_and_last_seen_moves(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _overlapping(data)
    process(data)
    articles = by_id(data, "articles")
    seen = {(r["first_seen_at"], r["last_seen_at"]) for r in articles.values()}
    assert articles[S2.article_id]["first_seen_at"] == FIRST
    assert articles[S2.article_id]["last_seen_at"] == SECOND
    assert articles[S1.article_id]["last_seen_at"] == FIRST  # not seen again
    assert (SECOND, SECOND) in seen  # story 4, new in run B


def test_the_newest_version_of_an_article_wins(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    _overlapping(data)
    process(data)
    row = by_id(data, "articles")[S2.article_id]
    assert row["title"] == "Story number 2, updated"
    assert row["text"] == body("story2-v2")
    assert row["crawl_run_id"] == "B" and row["fetched_at"] == SECOND


def test_processing_runs_in_either_order_gives_the_same_archive(tmp_path: Path) -> None:
    forward, backward = DataDir.at(tmp_path / "ab"), DataDir.at(tmp_path / "ba")
    for data in (forward, backward):
        _overlapping(data)
        # a syndicated copy and an article whose month changed, to cover every rule
        original = story(9, day=2)
        copy = replace(story(10, site="other.example", day=4),
                       text=syndicated(original.text, 10))
        RunBuilder("C").crawl(copy, fetched=at(21)).write(data)
        RunBuilder("D").crawl(original, replace(story(1), published=at(2, 9, month=2)),
                              fetched=at(22)).write(data)
    process(forward, runs=["A", "B", "C", "D"])
    process(backward, runs=["D", "C", "B", "A"])
    assert snapshot(forward) == snapshot(backward)


def test_a_run_split_over_several_sessions_and_sites_is_one_run(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    s1, s2 = story(1), story(2, site="other.example")
    RunBuilder("A").crawl(s1, fetched=FIRST).write(data, site="news")
    RunBuilder("A").crawl(s2, fetched=FIRST).write(data, site="other")
    [report] = process(data)
    assert report["counts"]["articles/new"] == 2
    assert {r["site"] for r in rows(data, "articles")} == {"news.example", "other.example"}
