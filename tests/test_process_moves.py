"""An article whose published month changed moves partitions, with its comments."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from archive.layout import DataDir
from archive.process import Archive, process
from tests.process_support import RunBuilder, at, by_id, rows, story

STORY = story(1, day=5, month=3)
REDATED = replace(STORY, published=at(28, 9, month=2))  # the site corrected the date


def _partitions(data: DataDir, entity: str) -> dict[tuple[str, str], int]:
    store = getattr(Archive.open(data), entity)
    return {p: store.read(p).num_rows for p in store.partitions()}


def test_an_article_whose_month_changed_moves_with_its_comments(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, story(2), fetched=at(10)).write(data)
    RunBuilder("B").crawl(REDATED, fetched=at(11)).write(data)
    process(data)
    site = "news.example"
    assert _partitions(data, "articles") == {(site, "2024-02"): 1, (site, "2024-03"): 1}
    assert _partitions(data, "comments") == {(site, "2024-02"): 3, (site, "2024-03"): 3}
    row = by_id(data, "articles")[STORY.article_id]
    assert (row["month"], row["first_seen_at"], row["comment_count"]) == ("2024-02", at(10), 3)
    assert {c["month"] for c in rows(data, "comments") if c["article_id"] == STORY.article_id
            } == {"2024-02"}
    assert len(rows(data, "articles")) == 2 and len(rows(data, "comments")) == 6


def test_an_older_crawl_processed_late_does_not_move_the_article_back(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(REDATED, fetched=at(11)).write(data)
    process(data, runs=["B"])
    process(data, runs=["A"])
    [row] = rows(data, "articles")
    assert (row["month"], row["published_at"], row["first_seen_at"]) == (
        "2024-02", REDATED.published, at(10))
    assert len(rows(data, "comments")) == 3


def test_a_partition_left_empty_by_a_move_reads_as_empty(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    RunBuilder("B").crawl(REDATED, fetched=at(11)).write(data)
    process(data)
    assert _partitions(data, "articles")[("news.example", "2024-03")] == 0
    assert [r["month"] for r in rows(data, "articles")] == ["2024-02"]


def test_an_interrupted_move_is_mended_by_the_rerun(tmp_path: Path) -> None:
    """A kill between writing the new partition and rewriting the old one leaves the article
    twice; processing the run again leaves it once, in its new month."""
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, fetched=at(10)).write(data)
    process(data)
    archive = Archive.open(data)
    old = ("news.example", "2024-03")
    stored_articles, stored_comments = archive.articles.read(old), archive.comments.read(old)
    RunBuilder("B").crawl(REDATED, fetched=at(11)).write(data)
    process(data)
    archive.articles.write(old, stored_articles)  # as if the old partition was never rewritten
    archive.comments.write(old, stored_comments)
    assert len(rows(data, "articles")) == 2
    process(data, runs=["B"])
    [row] = rows(data, "articles")
    assert row["month"] == "2024-02" and len(rows(data, "comments")) == 3
