"""From raw crawl records to archive rows: cleaning and validation, as generator steps.

A record that cannot be trusted is not dropped: it comes out as a `Rejected` with its
reason, and the process step writes it to the quarantine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from archive.language import detect
from archive.text import clean_line, clean_text, content_hash, replacement_share, word_count
from crawler.extraction.urls import site_of

MAX_REPLACEMENT_SHARE = 0.01
FUTURE_TOLERANCE = timedelta(days=1)
DATE_FLOOR = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Rejected:
    entity: str
    reason: str
    record: dict[str, Any]


def parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def month_of(published_at: datetime | None) -> str:
    return published_at.strftime("%Y-%m") if published_at else "unknown"


def _sane_date(row: dict[str, Any], fetched: datetime, floor: datetime) -> None:
    """Null a date after the fetch (plus a day) or before the floor, flagging why."""
    value = row["published_at"]
    flags = list(row.get("date_flags") or [])
    if value is not None and value > fetched + FUTURE_TOLERANCE:
        row["published_at"], flags = None, [*flags, "future_date"]
    elif value is not None and value < floor:
        row["published_at"], flags = None, [*flags, "too_old"]
    if row["published_at"] is None and row.get("published_raw") and not flags:
        flags.append("unparsed_date")
    row["date_flags"] = sorted(set(flags))


@dataclass(frozen=True)
class _Checked:
    """What both entities check first: the times, and a text worth keeping."""

    fetched: datetime
    published: datetime | None
    text: str


def _check(raw: dict[str, Any], entity: str, empty_reason: str,
           counts: Counter[str]) -> _Checked | Rejected:
    try:
        fetched = parse_time(raw.get("fetched_at"))
        published = parse_time(raw.get("published_at"))
        parse_time(raw.get("modified_at"))
    except ValueError:
        return Rejected(entity, "bad_timestamp", raw)
    if fetched is None:
        return Rejected(entity, "missing_fetched_at", raw)
    text, repaired = clean_text(raw.get("text"))
    if not text:
        return Rejected(entity, empty_reason, raw)
    if replacement_share(text) > MAX_REPLACEMENT_SHARE:
        return Rejected(entity, "undecodable_text", raw)
    counts[f"{entity}/mojibake_repaired"] += repaired
    return _Checked(fetched, published, text)


def _seen(checked: _Checked, raw: dict[str, Any]) -> dict[str, Any]:
    return {"first_seen_at": checked.fetched, "last_seen_at": checked.fetched,
            "fetched_at": checked.fetched, "crawl_run_id": raw.get("crawl_run_id") or ""}


def _lines(values: list[Any] | None) -> list[str]:
    return [v for v in (clean_line(x) for x in values or []) if v]


def clean_article(raw: dict[str, Any], counts: Counter[str],
                  floor: datetime = DATE_FLOOR) -> dict[str, Any] | Rejected:
    """An article row from a raw record, or the reason it was rejected."""
    url = raw.get("url") or ""
    if not raw.get("article_id") or urlsplit(url).scheme not in ("http", "https"):
        return Rejected("articles", "bad_url", raw)
    checked = _check(raw, "articles", "missing_body", counts)
    if isinstance(checked, Rejected):
        return checked
    text = checked.text
    row = {
        "article_id": raw["article_id"], "url": url, "site": raw.get("site") or site_of(url),
        "title": clean_line(raw.get("title")), "authors": _lines(raw.get("authors")),
        "published_at": checked.published, "published_raw": raw.get("published_raw"),
        "date_flags": raw.get("date_flags") or [], "modified_at": parse_time(
            raw.get("modified_at")),
        "language": detect(text, raw.get("language")), "section": clean_line(raw.get("section")),
        "tags": _lines(raw.get("tags")), "text": text, "word_count": word_count(text),
        "comment_count": 0, "content_hash": content_hash(text), "duplicate_of": None,
        "duplicate_kind": None, **_seen(checked, raw),
    }
    _sane_date(row, checked.fetched, floor)
    row["month"] = month_of(row["published_at"])
    return row


def clean_comment(raw: dict[str, Any], counts: Counter[str],
                  floor: datetime = DATE_FLOOR) -> dict[str, Any] | Rejected:
    """A comment row (partition not yet known) from a raw record, or why it was rejected."""
    if not raw.get("comment_id") or not raw.get("article_id"):
        return Rejected("comments", "missing_id", raw)
    checked = _check(raw, "comments", "empty_text", counts)
    if isinstance(checked, Rejected):
        return checked
    text = checked.text
    row = {
        "comment_id": raw["comment_id"], "source_id": raw.get("source_id"),
        "article_id": raw["article_id"], "parent_id": raw.get("parent_id"),
        "author": clean_line(raw.get("author")), "published_at": checked.published,
        "published_raw": raw.get("published_raw"), "date_flags": raw.get("date_flags") or [],
        "text": text, "position": 0, "language": detect(text) if len(text) >= 80 else None,
        "word_count": word_count(text), "content_hash": content_hash(text), "edited": False,
        "site": None, "article_title": None, "article_url": raw.get("article_url") or "",
        **_seen(checked, raw), "month": None,
    }
    _sane_date(row, checked.fetched, floor)
    return row
