"""The merge rules, on rows: newest version wins, history kept, order-independent."""

from __future__ import annotations

import itertools
from datetime import timedelta

from archive.merge import finish_partition, merge_rows, upsert
from tests.process_support import at


def _comment(text: str, fetched: object, run: str = "r", **extra: object) -> dict:
    return {"comment_id": "c1", "article_id": "a1", "text": text, "content_hash": text,
            "fetched_at": fetched, "first_seen_at": fetched, "last_seen_at": fetched,
            "crawl_run_id": run, "edited": False, "published_at": at(1), **extra}


def test_the_newest_fetch_wins_and_the_seen_range_spans_every_fetch() -> None:
    old, new = _comment("old", at(10)), _comment("new", at(12))
    merged = merge_rows(old, new)
    assert (merged["text"], merged["first_seen_at"], merged["last_seen_at"]) == (
        "new", at(10), at(12))


def test_merging_is_order_independent() -> None:
    versions = [_comment("a", at(10)), _comment("b", at(12)), _comment("a", at(11)),
                _comment("c", at(12), run="reprocess-x")]
    results = set()
    for order in itertools.permutations(versions):
        merged = None
        for row in order:
            merged = merge_rows(merged, row)
        results.add(tuple(sorted(merged.items())))
    assert len(results) == 1


def test_a_changed_text_marks_a_comment_edited_for_good() -> None:
    merged = merge_rows(_comment("first", at(10)), _comment("second", at(11)))
    assert merged["edited"] and merged["text"] == "second"
    again = merge_rows(merged, _comment("second", at(12)))
    assert again["edited"]


def test_a_re_extraction_of_the_same_fetch_wins_over_the_original() -> None:
    original = _comment("as extracted then", at(10), run="20240310T000000Z-abc")
    redone = _comment("as extracted now", at(10), run="reprocess-20240401T000000Z-def")
    for merged in (merge_rows(original, redone), merge_rows(redone, original)):
        assert merged["text"] == "as extracted now"


def test_a_date_the_newest_version_lost_is_taken_from_the_older_one() -> None:
    merged = merge_rows(_comment("x", at(10)), _comment("x", at(11), published_at=None))
    assert merged["published_at"] == at(1)


def test_upsert_folds_repeated_rows_of_both_sides() -> None:
    stored = [_comment("a", at(10)), _comment("a", at(9))]
    merged = upsert(stored, [_comment("b", at(11)), _comment("b", at(8))], "comment_id")
    assert list(merged) == ["c1"]
    assert (merged["c1"]["first_seen_at"], merged["c1"]["last_seen_at"]) == (at(8), at(11))


def test_finish_partition_numbers_comments_by_time_and_counts_them() -> None:
    article = {"article_id": "a1", "site": "s", "month": "2024-03", "title": "T",
               "url": "https://s/a", "language": "en", "comment_count": 0}
    comments = {}
    for n, hours in enumerate([3, 1, 2]):
        row = _comment(f"t{n}", at(10), comment_id=f"c{n}", language=None, position=0,
                       published_at=at(1) + timedelta(hours=hours))
        comments[row["comment_id"]] = row
    undated = _comment("t9", at(10), comment_id="c9", language="fr", position=0,
                       published_at=None)
    comments["c9"] = undated
    finish_partition({"a1": article}, comments)
    assert [c["comment_id"] for c in sorted(comments.values(), key=lambda c: c["position"])
            ] == ["c1", "c2", "c0", "c9"]
    assert article["comment_count"] == 4
    assert {c["article_title"] for c in comments.values()} == {"T"}
    assert (comments["c0"]["language"], comments["c9"]["language"]) == ("en", "fr")
