"""The merge rules, on Arrow rows: newest version wins, history kept, order-independent."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pyarrow as pa

from archive.merge import STORED, finish_partition, mark_stored, merge_versions
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from tests.process_support import at

LOOSE_COMMENTS = pa.schema([f.with_nullable(True) for f in COMMENT_SCHEMA])
LOOSE_ARTICLES = pa.schema([f.with_nullable(True) for f in ARTICLE_SCHEMA])


def _comment(text: str, fetched: object, run: str = "r", **extra: object) -> dict:
    return {"comment_id": "c1", "article_id": "a1", "text": text, "content_hash": text,
            "fetched_at": fetched, "first_seen_at": fetched, "last_seen_at": fetched,
            "crawl_run_id": run, "edited": False, "edit_count": 0, "published_at": at(1),
            **extra}


def _table(rows: list[dict], stored: bool = False) -> pa.Table:
    return mark_stored(pa.Table.from_pylist(rows, LOOSE_COMMENTS), stored)


def merged(*tables: pa.Table) -> dict:
    [row] = merge_versions(pa.concat_tables(tables), "comment_id").to_pylist()
    return row


def test_the_newest_fetch_wins_and_the_seen_range_spans_every_fetch() -> None:
    row = merged(_table([_comment("old", at(10)), _comment("new", at(12))]))
    assert (row["text"], row["first_seen_at"], row["last_seen_at"]) == ("new", at(10), at(12))
    assert STORED not in row


def test_merging_is_order_independent() -> None:
    versions = [_comment("a", at(10)), _comment("b", at(12)), _comment("a", at(11)),
                _comment("c", at(12), run="reprocess-x")]
    results = {tuple(sorted(merged(_table(list(order))).items()))
               for order in itertools.permutations(versions)}
    assert len(results) == 1


def test_a_changed_text_marks_a_comment_edited_and_counts_each_edit() -> None:
    row = merged(_table([_comment("first", at(10)), _comment("second", at(11)),
                         _comment("third", at(12)), _comment("third", at(13))]))
    assert (row["edited"], row["edit_count"], row["text"]) == (True, 2, "third")


def test_merging_a_stored_row_with_its_own_version_again_counts_nothing() -> None:
    stored = merged(_table([_comment("first", at(10)), _comment("second", at(11))]))
    again = merged(_table([stored], stored=True), _table([_comment("second", at(11))]))
    assert (again["edited"], again["edit_count"]) == (True, 1)


def test_an_older_fetch_processed_late_never_overwrites_nor_counts_twice() -> None:
    stored = merged(_table([_comment("second", at(11)), _comment("third", at(12))]))
    late = merged(_table([stored], stored=True), _table([_comment("first", at(10))]))
    assert (late["text"], late["edit_count"], late["first_seen_at"]) == ("third", 1, at(10))


def test_a_re_extraction_of_the_same_fetch_wins_over_the_original() -> None:
    original = _comment("as extracted then", at(10), run="20240310T000000Z-abc")
    redone = _comment("as extracted now", at(10), run="reprocess-20240401T000000Z-def")
    for order in ([original, redone], [redone, original]):
        assert merged(_table(order))["text"] == "as extracted now"


def test_a_date_the_newest_version_lost_is_taken_from_the_older_one() -> None:
    row = merged(_table([_comment("x", at(10)), _comment("x", at(11), published_at=None)]))
    assert row["published_at"] == at(1)


def test_a_removed_comment_seen_again_is_no_longer_removed() -> None:
    gone = _comment("x", at(10), removed_at=at(11))
    assert merged(_table([gone], stored=True), _table([_comment("x", at(12))]))[
        "removed_at"] is None
    assert merged(_table([gone], stored=True))["removed_at"] == at(11)


def _article(**extra: object) -> dict:
    return {"article_id": "a1", "site": "s", "month": "2024-03", "title": "T",
            "url": "https://s/a", "language": "en", "comment_count": 0, **extra}


def test_finish_partition_numbers_comments_by_time_and_counts_them() -> None:
    rows = [_comment(f"t{n}", at(10), comment_id=f"c{n}", language=None, position=0,
                     published_at=at(1) + timedelta(hours=hours))
            for n, hours in enumerate([3, 1, 2])]
    rows.append(_comment("t9", at(10), comment_id="c9", language="fr", position=0,
                         published_at=None))
    articles = pa.Table.from_pylist([_article()], LOOSE_ARTICLES)
    articles, comments = finish_partition(articles, pa.Table.from_pylist(rows, LOOSE_COMMENTS))
    ordered = sorted(comments.to_pylist(), key=lambda c: c["position"])
    assert [c["comment_id"] for c in ordered] == ["c1", "c2", "c0", "c9"]
    assert articles.column("comment_count").to_pylist() == [4]
    assert {c["article_title"] for c in ordered} == {"T"}
    assert [c["language"] for c in ordered] == ["en", "en", "en", "fr"]


def test_a_complete_read_without_a_comment_marks_it_removed_at_that_read() -> None:
    rows = [_comment("kept", at(12), comment_id="c1"),
            _comment("gone", at(10), comment_id="c2"),
            _comment("gone before", at(9), comment_id="c3", removed_at=at(10))]
    articles = pa.Table.from_pylist([_article()], LOOSE_ARTICLES)
    reads = pa.table({"article_id": ["a1"], "read_at": pa.array([at(12)],
                                                                COMMENT_SCHEMA.field(
                                                                    "removed_at").type)})
    _, comments = finish_partition(articles, pa.Table.from_pylist(rows, LOOSE_COMMENTS), reads)
    removed = {c["comment_id"]: c["removed_at"] for c in comments.to_pylist()}
    assert removed == {"c1": None, "c2": at(12), "c3": at(10)}
