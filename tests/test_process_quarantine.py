"""Rejected records: in the quarantine with reason and raw record, counted, re-processable."""

from __future__ import annotations

import json
from pathlib import Path

from archive.layout import DataDir
from archive.process import process
from archive.quarantine import quarantined_records, read_quarantine
from archive.reports import read_report
from tests.process_support import Comment, RunBuilder, at, by_id, rows, story

STORY = story(1)


def _bad_records() -> list[dict]:
    article, *comments, _ = STORY.records(at(10), "A")
    return [
        {**article, "article_id": "nobody", "url": "ftp://example.com/x", "text": "x"},
        {**article, "article_id": "empty", "url": "https://news.example/empty/", "text": " "},
        {**article, "article_id": "clock", "url": "https://news.example/clock/",
         "fetched_at": "not a time"},
        {**comments[0], "comment_id": "c-empty", "text": ""},
        {"type": "mystery", "url": "https://news.example/?"},
    ]


def test_rejected_records_are_quarantined_with_reason_and_raw_record(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    bad = _bad_records()
    RunBuilder("A").crawl(STORY, fetched=at(10)).add(*bad).write(data)
    process(data)
    articles = read_quarantine(data.quarantine, "articles").to_pylist()
    comments = read_quarantine(data.quarantine, "comments").to_pylist()
    assert sorted(r["reason"] for r in articles) == [
        "bad_timestamp", "bad_url", "missing_body", "unknown_record_type"]
    assert [r["reason"] for r in comments] == ["empty_text"]
    assert {r["run"] for r in articles + comments} == {"A"}
    stored = sorted((json.loads(r["record"]) for r in articles + comments),
                    key=lambda r: json.dumps(r, sort_keys=True))
    assert stored == sorted(bad, key=lambda r: json.dumps(r, sort_keys=True))
    assert len(rows(data, "articles")) == 1 and len(rows(data, "comments")) == 3


def test_rejects_are_counted_in_the_run_report(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    RunBuilder("A").crawl(STORY, fetched=at(10)).add(*_bad_records()).write(data)
    process(data)
    counts = read_report(data, "A")["process"]["counts"]
    assert {k: v for k, v in counts.items() if k.startswith("quarantined/")} == {
        "quarantined/articles/bad_timestamp": 1, "quarantined/articles/bad_url": 1,
        "quarantined/articles/missing_body": 1,
        "quarantined/articles/unknown_record_type": 1,
        "quarantined/comments/empty_text": 1}
    assert counts["article/in"] == 4 and counts["comment/in"] == 4
    assert counts["unknown/in"] == 1


def test_a_comment_whose_article_is_unknown_is_quarantined_as_orphan(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    comments = [r for r in STORY.records(at(10), "A") if r["type"] == "comment"]
    RunBuilder("A").add(*comments).write(data)
    [report] = process(data)
    assert rows(data, "comments") == []
    assert report["counts"]["quarantined/comments/orphan_comment"] == 3
    assert list(quarantined_records(data.quarantine, "comments", "A",
                                    reason="orphan_comment")) == comments


def test_quarantined_records_are_processed_again_once_the_cause_is_fixed(
        tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    late = Comment("188", "early reader", "Commented before the article was crawled.", at(6))
    orphans = [r for r in STORY.with_comments(late).records(at(9), "A")
               if r["type"] == "comment"]
    RunBuilder("A").add(*orphans).write(data)
    RunBuilder("B").crawl(STORY, fetched=at(10)).write(data)
    process(data, runs=["A"])
    assert len(read_quarantine(data.quarantine, "comments", "A")) == 1
    process(data, runs=["B"])
    [report] = process(data, runs=["A"], force=True)  # the article is archived now
    assert "quarantined/comments/orphan_comment" not in report["counts"]
    assert len(read_quarantine(data.quarantine, "comments", "A")) == 0
    assert by_id(data, "comments")[STORY.comment_id(late)]["first_seen_at"] == at(9)
    assert by_id(data, "articles")[STORY.article_id]["comment_count"] == 4
