"""Comments across runs: one row per comment id, edits flagged, history kept."""

from __future__ import annotations

from pathlib import Path

from archive.layout import DataDir
from archive.process import process
from tests.process_support import Comment, RunBuilder, at, by_id, story

STORY = story(1, comments=3)
EDITED_TEXT = "On reflection I take back half of what I said."


def test_an_edited_comment_keeps_its_id_gets_edited_and_its_latest_text(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, second, third = STORY.comments
    edited = Comment(first.source_id, first.author, EDITED_TEXT, first.published)
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(STORY.with_comments(edited, second, third), fetched=at(11)).write(data)
    [_, report] = process(data)
    comments = by_id(data, "comments")
    row = comments[STORY.comment_id(first)]
    assert STORY.comment_id(edited) == STORY.comment_id(first)
    assert (row["edited"], row["text"]) == (True, EDITED_TEXT)
    assert row["first_seen_at"] == at(10) and row["last_seen_at"] == at(11)
    assert not comments[STORY.comment_id(second)]["edited"]
    assert report["counts"]["comments/edited"] == 1


def test_a_comment_that_no_longer_appears_keeps_its_row_and_last_seen(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, second, third = STORY.comments
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(STORY.with_comments(first, third), fetched=at(11)).write(data)
    process(data)
    comments = by_id(data, "comments")
    gone = comments[STORY.comment_id(second)]
    assert gone["last_seen_at"] == at(10)
    assert gone["text"] == second.text
    assert comments[STORY.comment_id(first)]["last_seen_at"] == at(11)
    assert by_id(data, "articles")[STORY.article_id]["comment_count"] == 3


def test_a_comment_gone_on_a_later_complete_read_gets_removed_at_that_read(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, second, third = STORY.comments
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(STORY.with_comments(first, third), fetched=at(11)).write(data)
    RunBuilder("C").crawl(STORY.with_comments(first), fetched=at(12)).write(data)
    process(data)
    removed = {c["comment_id"]: c["removed_at"] for c in by_id(data, "comments").values()}
    assert removed == {STORY.comment_id(first): None, STORY.comment_id(second): at(11),
                       STORY.comment_id(third): at(12)}


def test_a_read_that_did_not_finish_removes_nothing(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, *_ = STORY.comments
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    partial = [r for r in STORY.with_comments(first).records(at(11), "B") if r["type"] != "done"]
    RunBuilder("B").add(*partial).write(data)
    process(data)
    assert {c["removed_at"] for c in by_id(data, "comments").values()} == {None}


def test_a_removed_comment_that_comes_back_is_no_longer_removed(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, second, third = STORY.comments
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(STORY.with_comments(first, third), fetched=at(11)).write(data)
    process(data)
    assert by_id(data, "comments")[STORY.comment_id(second)]["removed_at"] == at(11)
    RunBuilder("C").crawl(STORY, fetched=at(12)).write(data)
    process(data)
    back = by_id(data, "comments")[STORY.comment_id(second)]
    assert (back["removed_at"], back["last_seen_at"]) == (None, at(12))


def test_each_later_text_of_a_comment_counts_one_edit(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first, second, third = STORY.comments
    for n, (run, text) in enumerate([("A", first.text), ("B", "Second thoughts."),
                                     ("C", "Second thoughts."), ("D", "Third thoughts.")]):
        version = Comment(first.source_id, first.author, text, first.published)
        RunBuilder(run).crawl(STORY.with_comments(version, second, third),
                              fetched=at(10 + n)).write(data)
    process(data)
    process(data, force=True)  # processing again counts nothing twice
    row = by_id(data, "comments")[STORY.comment_id(first)]
    assert (row["edited"], row["edit_count"], row["text"]) == (True, 2, "Third thoughts.")
    assert by_id(data, "comments")[STORY.comment_id(second)]["edit_count"] == 0


def test_comments_are_numbered_by_time_and_carry_their_article(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    late = Comment("150", "early bird", "Posted before the others, crawled later.", at(5, 9))
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(STORY.with_comments(late), fetched=at(11)).write(data)
    process(data)
    thread = sorted((c for c in by_id(data, "comments").values()), key=lambda c: c["position"])
    assert [c["author"] for c in thread] == ["early bird", "reader0", "reader1", "reader2"]
    assert [c["position"] for c in thread] == [1, 2, 3, 4]
    assert {(c["article_title"], c["article_url"], c["site"], c["month"]) for c in thread} == {
        (STORY.title, STORY.url, "news.example", "2024-03")}
    assert by_id(data, "articles")[STORY.article_id]["comment_count"] == 4


def test_replies_keep_their_parent(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    first = STORY.comments[0]
    reply = Comment("777", "replier", "I disagree with the first comment.", at(6),
                    parent=first.source_id)
    threaded = STORY.with_comments(first, reply)
    RunBuilder("A").crawl(threaded, fetched=at(10)).write(data)
    process(data)
    assert by_id(data, "comments")[threaded.comment_id(reply)]["parent_id"] == (
        threaded.comment_id(first))


def test_a_comment_crawled_without_its_article_joins_the_stored_article(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    extra = Comment("199", "night owl", "A comment that came in overnight.", at(8))
    only_comment = [r for r in STORY.with_comments(extra).records(at(11), "B")
                    if r["type"] == "comment"]
    RunBuilder("B").add(*only_comment).write(data)
    process(data)
    row = by_id(data, "comments")[STORY.comment_id(extra)]
    assert (row["article_title"], row["month"]) == (STORY.title, "2024-03")
    assert by_id(data, "articles")[STORY.article_id]["comment_count"] == 4
