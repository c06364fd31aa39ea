"""The clean and validate step: archive rows from raw records, rejects with their reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa

from archive.clean import Cleaned, clean_batch
from archive.read import LINE, READ_SCHEMA
from schemas.arrow import RAW_SCHEMA

FETCHED = "2024-05-01T12:00:00+00:00"


def raw_article(**fields: object) -> dict:
    record = {"type": "article", "article_id": "a1", "url": "https://ex.com/a/",
              "site": "ex.com", "title": "A title", "authors": ["Ann"],
              "published_at": "2024-04-30T10:00:00Z", "published_raw": "April 30, 2024",
              "date_flags": [], "text": "Some words of an English article about the news "
              "of the day, long enough to tell its language.", "fetched_at": FETCHED,
              "crawl_run_id": "r1", "language": "en", "layout": "wordpress-block",
              "extractor_version": "3", "timezone": "Europe/London",
              "timezone_source": "site_file", "comment_system": "isso",
              "comment_count_stated": 12}
    return {**record, **fields}


def raw_comment(**fields: object) -> dict:
    record = {"type": "comment", "comment_id": "a1-1", "article_id": "a1",
              "article_url": "https://ex.com/a/", "author": "Bo", "text": "Nice piece.",
              "published_at": "2024-04-30T11:00:00Z", "fetched_at": FETCHED,
              "crawl_run_id": "r1", "layout": "isso-api"}
    return {**record, **fields}


def clean(*records: dict) -> Cleaned:
    rows = [{k: v for k, v in r.items() if k in RAW_SCHEMA.names} for r in records]
    table = pa.Table.from_pylist(rows, RAW_SCHEMA).append_column(
        LINE, pa.array([json.dumps(r) + "\n" for r in records], pa.large_string()))
    return clean_batch(table.cast(READ_SCHEMA))


def article(**fields: object) -> dict:
    [row] = clean(raw_article(**fields)).articles.to_pylist()
    return row


def reasons(cleaned: Cleaned) -> list[str]:
    return cleaned.rejects.column("reason").to_pylist()


def test_article_row_has_counts_hash_and_utc_times() -> None:
    row = article()
    assert row["published_at"] == datetime(2024, 4, 30, 10, tzinfo=UTC)
    assert row["month"] == "2024-04" and row["word_count"] == 18
    assert row["language"] == "en" and len(row["content_hash"]) == 64
    assert row["first_seen_at"] == row["last_seen_at"] == row["fetched_at"]


def test_every_row_says_which_extractor_layout_and_timezone_produced_it() -> None:
    row = article()
    assert (row["extractor_version"], row["layout"], row["timezone"],
            row["timezone_source"]) == ("3", "wordpress-block", "Europe/London", "site_file")
    assert (row["comment_system"], row["comment_count_stated"]) == ("isso", 12)
    [comment] = clean(raw_comment()).comments.to_pylist()
    assert comment["layout"] == "isso-api" and comment["fetched_at"] == row["fetched_at"]


def test_a_raw_zone_without_provenance_gives_nulls() -> None:
    old = {k: v for k, v in raw_article().items()
           if k not in ("layout", "extractor_version", "timezone_source", "comment_system",
                        "comment_count_stated")}
    [row] = clean(old).articles.to_pylist()
    assert (row["layout"], row["extractor_version"], row["comment_system"]) == (None,) * 3


def test_titles_and_names_are_one_line_and_empty_ones_null() -> None:
    row = article(title="  Two\nlines  ", authors=["  Ann  Lee ", "", "Bo"], section=" ")
    assert (row["title"], row["authors"], row["section"]) == ("Two lines", ["Ann Lee", "Bo"],
                                                              None)


def test_article_without_body_is_quarantined() -> None:
    assert reasons(clean(raw_article(text="  "))) == ["missing_body"]


def test_article_with_bad_url_is_quarantined() -> None:
    assert reasons(clean(raw_article(url="javascript:alert(1)"))) == ["bad_url"]


def test_undecodable_text_is_quarantined() -> None:
    assert reasons(clean(raw_article(text="Caf\ufffd \ufffd\ufffd \ufffd"))) == [
        "undecodable_text"]


def test_a_reject_keeps_its_raw_line() -> None:
    bad = raw_article(text="")
    [line] = clean(bad).rejects.column(LINE).to_pylist()
    assert json.loads(line) == bad


def test_future_date_is_nulled_and_flagged_not_rejected() -> None:
    row = article(published_at="2024-05-09T00:00:00Z")
    assert row["published_at"] is None and "future_date" in row["date_flags"]
    assert row["month"] == "unknown"


def test_date_before_the_floor_is_nulled() -> None:
    row = article(published_at="1970-01-01T00:00:00Z")
    assert row["published_at"] is None and "too_old" in row["date_flags"]


def test_a_date_nobody_could_read_is_flagged() -> None:
    row = article(published_at=None, published_raw="le 3 brumaire")
    assert row["date_flags"] == ["unparsed_date"]


def test_a_time_without_offset_is_utc() -> None:
    assert article(published_at="2024-04-30T10:00:00")["published_at"] == datetime(
        2024, 4, 30, 10, tzinfo=UTC)


def test_language_is_detected_when_not_declared() -> None:
    text = ("Die Regierung hat am Montag neue Regeln für den Wohnungsbau vorgestellt, "
            "die ab dem nächsten Jahr gelten sollen.")
    assert article(text=text, language=None)["language"] == "de"


def test_comment_without_text_is_quarantined() -> None:
    assert reasons(clean(raw_comment(text=""))) == ["empty_text"]


def test_comment_without_ids_is_quarantined() -> None:
    assert reasons(clean(raw_comment(comment_id=None))) == ["missing_id"]


def test_malformed_timestamp_is_quarantined() -> None:
    assert reasons(clean(raw_comment(published_at="yesterday"))) == ["bad_timestamp"]


def test_a_line_of_unknown_type_is_quarantined() -> None:
    cleaned = clean({"type": "mystery", "url": "https://ex.com/?"})
    assert reasons(cleaned) == ["unknown_record_type"]
    assert cleaned.counts["unknown/in"] == 1


def test_a_done_record_is_a_complete_read_not_a_row() -> None:
    cleaned = clean({"type": "done", "article_id": "a1", "url": "https://ex.com/a/",
                     "crawl_run_id": "r1", "fetched_at": FETCHED})
    assert cleaned.articles.num_rows == 0 and cleaned.rejects.num_rows == 0
    assert cleaned.done.to_pylist() == [{"article_id": "a1",
                                         "read_at": datetime(2024, 5, 1, 12, tzinfo=UTC)}]


def test_a_comment_keeps_its_raw_line_only_when_its_article_is_not_in_the_batch() -> None:
    homed, alone = raw_comment(), raw_comment(comment_id="b1-1", article_id="b1")
    cleaned = clean(raw_article(), homed, alone, raw_article(article_id="c1", text=""))
    lines = dict(zip(cleaned.comments.column("comment_id").to_pylist(),
                     cleaned.comments.column(LINE).to_pylist(), strict=True))
    assert lines["a1-1"] is None
    assert json.loads(lines["b1-1"]) == alone


def test_a_comment_of_a_rejected_article_keeps_its_raw_line() -> None:
    cleaned = clean(raw_article(text=""), raw_comment())
    [line] = cleaned.comments.column(LINE).to_pylist()
    assert json.loads(line) == raw_comment()
