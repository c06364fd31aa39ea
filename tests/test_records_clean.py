"""The clean and validate step: normalised text, and rejects kept with their reason."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from archive.records import Rejected, clean_article, clean_comment
from archive.text import clean_text

FETCHED = "2024-05-01T12:00:00+00:00"


def raw_article(**fields: object) -> dict:
    record = {"type": "article", "article_id": "a1", "url": "https://ex.com/a/",
              "site": "ex.com", "title": "A title", "authors": ["Ann"],
              "published_at": "2024-04-30T10:00:00Z", "published_raw": "April 30, 2024",
              "date_flags": [], "text": "Some words of an English article about the news "
              "of the day, long enough to tell its language.", "fetched_at": FETCHED,
              "crawl_run_id": "r1", "language": "en"}
    return {**record, **fields}


def raw_comment(**fields: object) -> dict:
    record = {"type": "comment", "comment_id": "a1-1", "article_id": "a1",
              "article_url": "https://ex.com/a/", "author": "Bo", "text": "Nice piece.",
              "published_at": "2024-04-30T11:00:00Z", "fetched_at": FETCHED,
              "crawl_run_id": "r1"}
    return {**record, **fields}


def test_text_is_nfc_with_tidy_whitespace() -> None:
    text, _ = clean_text("Cafe\u0301  au\tlait\r\n\r\n\n\nSecond\u00a0para ")
    assert text == "Café au lait\n\nSecond para"


def test_leftover_markup_and_entities_are_removed() -> None:
    assert clean_text("<p>Tom &amp; Jerry</p> <b>run</b>")[0] == "Tom & Jerry run"


def test_boilerplate_lines_are_dropped() -> None:
    assert clean_text("Body.\n\nShare this:\n\nSubscribe to our newsletter today")[0] == "Body."


def test_mojibake_is_repaired_and_typography_kept() -> None:
    text, repaired = clean_text("Itâ€™s a cafÃ© — “quoted”")
    assert (text, repaired) == ("It’s a café — “quoted”", True)


def test_article_row_has_counts_hash_and_utc_times() -> None:
    row = clean_article(raw_article(), Counter())
    assert not isinstance(row, Rejected)
    assert row["published_at"] == datetime(2024, 4, 30, 10, tzinfo=UTC)
    assert row["month"] == "2024-04" and row["word_count"] == 18
    assert row["language"] == "en" and len(row["content_hash"]) == 64
    assert row["first_seen_at"] == row["last_seen_at"] == row["fetched_at"]


def test_article_without_body_is_quarantined() -> None:
    assert clean_article(raw_article(text="  "), Counter()) == Rejected(
        "articles", "missing_body", raw_article(text="  "))


def test_article_with_bad_url_is_quarantined() -> None:
    assert clean_article(raw_article(url="javascript:alert(1)"), Counter()).reason == "bad_url"


def test_undecodable_text_is_quarantined() -> None:
    rejected = clean_article(raw_article(text="Caf\ufffd \ufffd\ufffd \ufffd"), Counter())
    assert rejected.reason == "undecodable_text"


def test_future_date_is_nulled_and_flagged_not_rejected() -> None:
    row = clean_article(raw_article(published_at="2024-05-09T00:00:00Z"), Counter())
    assert row["published_at"] is None and "future_date" in row["date_flags"]
    assert row["month"] == "unknown"


def test_date_before_the_floor_is_nulled() -> None:
    row = clean_article(raw_article(published_at="1970-01-01T00:00:00Z"), Counter())
    assert row["published_at"] is None and "too_old" in row["date_flags"]


def test_language_is_detected_when_not_declared() -> None:
    text = ("Die Regierung hat am Montag neue Regeln für den Wohnungsbau vorgestellt, "
            "die ab dem nächsten Jahr gelten sollen.")
    assert clean_article(raw_article(text=text, language=None), Counter())["language"] == "de"


def test_comment_without_text_is_quarantined() -> None:
    assert clean_comment(raw_comment(text=""), Counter()).reason == "empty_text"


def test_comment_without_ids_is_quarantined() -> None:
    assert clean_comment(raw_comment(comment_id=None), Counter()).reason == "missing_id"


def test_malformed_timestamp_is_quarantined() -> None:
    assert clean_comment(raw_comment(published_at="yesterday"), Counter()).reason == (
        "bad_timestamp")
