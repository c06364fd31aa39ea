"""Step 2 of `process`, clean and validate: raw records in, archive rows and rejects out.

`clean_batch` takes a table of raw lines (`archive.read`) and returns the article rows, the
comment rows, the complete reads (`done` records) and the rejects, each reject with its
reason and its raw line. Columns marked `raw=` in the record contract are taken from the
raw record by their `Clean` rule; the others are computed here (hash, words, language,
month) or later, by the merge (positions, counts, history). Everything is column-wise
Arrow work, except ftfy on the few values showing mojibake, the language model (in
batches) and the date flags of the rows that have or get one.

Rejects, in the order they are checked:

- articles: `bad_url` (no id, or not http(s)), `bad_timestamp`, `missing_fetched_at`,
  `missing_body` (no text left), `undecodable_text` (over 1 % U+FFFD);
- comments: `missing_id`, `bad_timestamp`, `missing_fetched_at`, `empty_text`,
  `undecodable_text`;
- any line: `unknown_record_type`, `malformed_record` (fields that do not fit the contract).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from archive.language import detect_many
from archive.read import LINE
from archive.text import (
    clean_line,
    clean_lines,
    clean_paragraphs,
    content_hashes,
    replacement_shares,
)
from archive.times import UTC_TYPE, utc_column
from archive.words import Words, split_words
from crawler.extraction.urls import site_of
from schemas.arrow import arrow_schema
from schemas.fields import Clean, Entity
from schemas.records import ARTICLE, COMMENT

MAX_REPLACEMENT_SHARE = 0.01
FUTURE_TOLERANCE = timedelta(days=1)
DATE_FLOOR = datetime(1990, 1, 1, tzinfo=UTC)
COMMENT_LANGUAGE_MIN_CHARS = 80  # shorter comments take their article's language
REJECT_SCHEMA = pa.schema([("entity", pa.string()), ("reason", pa.string()),
                           (LINE, pa.large_string())])
DONE_SCHEMA = pa.schema([("article_id", pa.string()), ("read_at", UTC_TYPE)])
ARTICLE_ROWS = arrow_schema(ARTICLE)
COMMENT_ROWS = arrow_schema(COMMENT).append(pa.field(LINE, pa.large_string()))


@dataclass
class Cleaned:
    """One batch after cleaning."""

    articles: pa.Table
    comments: pa.Table  # with the raw line of those that may turn out orphans
    done: pa.Table
    rejects: pa.Table
    counts: Counter[str] = field(default_factory=Counter)
    article_words: Words | None = None  # the words of each article's text (for signatures)


def rejects_table(entity: str, reason: str | pa.Array, lines: pa.Array) -> pa.Table:
    reasons = (pa.array([reason] * len(lines), pa.string()) if isinstance(reason, str)
               else reason.cast(pa.string()))
    return pa.table({"entity": pa.array([entity] * len(lines), pa.string()),
                     "reason": reasons, LINE: lines.cast(pa.large_string())}, REJECT_SCHEMA)


def clean_batch(raw: pa.Table, floor: datetime = DATE_FLOOR) -> Cleaned:
    """Clean and validate one table of raw lines."""
    counts: Counter[str] = Counter()
    kinds = pc.fill_null(raw.column("type"), "")
    by_kind = {kind: raw.filter(pc.equal(kinds, kind)) for kind in ("article", "comment", "done")}
    unknown = raw.filter(pc.invert(pc.is_in(kinds, pa.array(["article", "comment", "done"]))))
    counts["article/in"] = by_kind["article"].num_rows
    counts["comment/in"] = by_kind["comment"].num_rows
    counts["unknown/in"] = unknown.num_rows
    articles, bad_articles, words = _clean(by_kind["article"], ARTICLE, _ARTICLE_CHECKS,
                                           _article_columns, floor, counts)
    comments, bad_comments, _ = _clean(by_kind["comment"], COMMENT, _COMMENT_CHECKS,
                                       _comment_columns, floor, counts)
    comments = _lines_of_possible_orphans(comments, articles)
    rejects = pa.concat_tables([
        bad_articles, bad_comments,
        rejects_table("articles", "unknown_record_type", unknown.column(LINE).combine_chunks())])
    return Cleaned(articles, comments, _done(by_kind["done"]), rejects, counts, words)


def _lines_of_possible_orphans(comments: pa.Table, articles: pa.Table) -> pa.Table:
    """The comments with their raw line only where their article is not in the batch:
    only such a comment can turn out an orphan, which goes to the quarantine as the
    crawler wrote it. The others (nearly all) do not carry their line through the spills
    of `process` (over half of their bytes)."""
    homed = pc.is_in(comments.column("article_id"), value_set=articles.column("article_id"))
    lines = pc.if_else(homed, pa.scalar(None, pa.large_string()), comments.column(LINE))
    return comments.set_column(comments.schema.get_field_index(LINE), COMMENT_ROWS.field(LINE),
                               lines)


def _done(raw: pa.Table) -> pa.Table:
    """Complete reads: the article and when its page was fetched (null: the time of the
    run's own fetch of the article, found by the merge)."""
    read_at, bad = utc_column(raw.column("fetched_at"))
    read_at = pc.if_else(bad, pa.scalar(None, UTC_TYPE), read_at)
    table = pa.table({"article_id": raw.column("article_id"), "read_at": read_at}, DONE_SCHEMA)
    return table.filter(pc.is_valid(table.column("article_id")))


# --- checks ------------------------------------------------------------------------------

@dataclass
class _Prepared:
    """What the checks need: parsed times and the cleaned text."""

    raw: pa.Table
    times: dict[str, pa.Array]
    bad_time: pa.Array
    text: pa.Array
    repaired: pa.Array


def _empty(column: pa.ChunkedArray) -> pa.Array:
    return pc.fill_null(pc.equal(pc.utf8_length(pc.fill_null(column, "")), 0), True)


def _bad_url(p: _Prepared) -> pa.Array:
    web = pc.fill_null(pc.match_substring_regex(p.raw.column("url"), "(?i)^https?:"), False)
    return pc.or_(_empty(p.raw.column("article_id")), pc.invert(web))


def _missing_id(p: _Prepared) -> pa.Array:
    return pc.or_(_empty(p.raw.column("comment_id")), _empty(p.raw.column("article_id")))


def _no_fetch_time(p: _Prepared) -> pa.Array:
    return pc.is_null(p.times["fetched_at"])


def _no_text(p: _Prepared) -> pa.Array:
    return pc.equal(pc.utf8_length(p.text), 0)


def _undecodable(p: _Prepared) -> pa.Array:
    return pc.greater(replacement_shares(p.text), MAX_REPLACEMENT_SHARE)


Check = tuple[str, Callable[[_Prepared], pa.Array]]
_ARTICLE_CHECKS: list[Check] = [
    ("bad_url", _bad_url), ("bad_timestamp", lambda p: p.bad_time),
    ("missing_fetched_at", _no_fetch_time), ("missing_body", _no_text),
    ("undecodable_text", _undecodable)]
_COMMENT_CHECKS: list[Check] = [
    ("missing_id", _missing_id), ("bad_timestamp", lambda p: p.bad_time),
    ("missing_fetched_at", _no_fetch_time), ("empty_text", _no_text),
    ("undecodable_text", _undecodable)]


def _prepare(raw: pa.Table, entity: Entity) -> _Prepared:
    times: dict[str, pa.Array] = {}
    bad = pa.array(np.zeros(raw.num_rows, bool))
    for name in ("fetched_at", "published_at", "modified_at"):
        if name in raw.column_names:
            times[name], invalid = utc_column(raw.column(name))
            bad = pc.or_(bad, invalid)
    text, repaired = clean_paragraphs(raw.column("text"))
    return _Prepared(raw, times, bad, text, repaired)


def _reasons(prepared: _Prepared, checks: list[Check]) -> pa.Array:
    """The first failed check of each row (null: the row is good)."""
    reason = pa.nulls(prepared.raw.num_rows, pa.string())
    for name, check in reversed(checks):
        failed = pc.fill_null(check(prepared), False)
        reason = pc.if_else(failed, pa.scalar(name), reason)
    return reason


def _clean(raw: pa.Table, entity: Entity, checks: list[Check],
           columns: Callable[[_Prepared, Words], dict[str, pa.Array]],
           floor: datetime, counts: Counter[str]) -> tuple[pa.Table, pa.Table, Words]:
    """(Rows, rejects, the words of each row's text) of one kind of record."""
    prepared = _prepare(raw, entity)
    reasons = _reasons(prepared, checks)
    good = pc.is_null(reasons)
    rejected = pc.invert(good)
    rejects = rejects_table(entity.name, reasons.filter(rejected),
                            raw.column(LINE).combine_chunks().filter(rejected))
    kept = _Prepared(raw.filter(good), {k: v.filter(good) for k, v in prepared.times.items()},
                     prepared.bad_time.filter(good), prepared.text.filter(good),
                     prepared.repaired.filter(good))
    counts[f"{entity.name}/mojibake_repaired"] += pc.sum(kept.repaired).as_py() or 0
    words = split_words(kept.text)
    computed = columns(kept, words)
    _sane_dates(kept, computed, floor)
    if entity is ARTICLE:
        computed["month"] = month_of(computed["published_at"])
    return _assemble(entity, computed), rejects, words


def month_of(published: pa.Array) -> pa.Array:
    """The partition month of a publication time: `YYYY-MM` (UTC), or `unknown`."""
    return pc.fill_null(pc.strftime(published, "%Y-%m"), "unknown")


# --- columns -----------------------------------------------------------------------------

def _from_raw(p: _Prepared, entity: Entity) -> dict[str, pa.Array]:
    """Every column the contract takes from the raw record, by its `Clean` rule."""
    out: dict[str, pa.Array] = {}
    for f in entity.from_raw:
        column = p.raw.column(f.name).combine_chunks()
        if f.raw is Clean.UTC:
            out[f.name] = p.times[f.name]
        elif f.raw is Clean.PARAGRAPHS:
            out[f.name] = p.text
        elif f.raw is Clean.LINE:
            out[f.name] = clean_line(column)
        elif f.raw is Clean.LINES:
            out[f.name] = clean_lines(column)
        else:
            out[f.name] = column
    return out


def _article_columns(p: _Prepared, words: Words) -> dict[str, pa.Array]:
    out = _from_raw(p, ARTICLE)
    out["site"] = _sites(out["site"], out["url"])
    out["crawl_run_id"] = pc.fill_null(out["crawl_run_id"], "")
    out["language"] = detect_many(p.text, p.raw.column("language"))
    out.update(_text_columns(p.text, words))
    out["comment_count"] = pa.array(np.zeros(p.raw.num_rows, np.int32))
    out["duplicate_of"] = pa.nulls(p.raw.num_rows, pa.string())
    out["duplicate_kind"] = pa.nulls(p.raw.num_rows, pa.string())
    out["first_seen_at"] = out["last_seen_at"] = out["fetched_at"]
    return out


def _comment_columns(p: _Prepared, words: Words) -> dict[str, pa.Array]:
    out = _from_raw(p, COMMENT)
    out["crawl_run_id"] = pc.fill_null(out["crawl_run_id"], "")
    out["article_url"] = pc.fill_null(out["article_url"], "")
    out["language"] = detect_many(p.text, min_chars=COMMENT_LANGUAGE_MIN_CHARS)
    out.update(_text_columns(p.text, words))
    rows = p.raw.num_rows
    out["position"] = pa.array(np.zeros(rows, np.int32))
    out["edited"] = pa.array(np.zeros(rows, bool))
    out["edit_count"] = pa.array(np.zeros(rows, np.int32))
    out["removed_at"] = pa.nulls(rows, UTC_TYPE)
    out["site"] = out["article_title"] = out["month"] = pa.nulls(rows, pa.string())
    out["first_seen_at"] = out["last_seen_at"] = out["fetched_at"]
    out[LINE] = p.raw.column(LINE).combine_chunks()
    return out


def _text_columns(text: pa.Array, words: Words) -> dict[str, pa.Array]:
    return {"word_count": pa.array(words.counts.astype(np.int32)),
            "content_hash": content_hashes(text)}


def _sites(sites: pa.Array, urls: pa.Array) -> pa.Array:
    """The raw record's site, else the URL's host."""
    missing = np.flatnonzero(_empty(sites).to_numpy(zero_copy_only=False))
    if len(missing) == 0:
        return sites
    values = sites.to_pylist()
    for row, url in zip(missing.tolist(), urls.take(pa.array(missing)).to_pylist(), strict=True):
        values[row] = site_of(url)
    return pa.array(values, pa.string())


def _sane_dates(p: _Prepared, out: dict[str, pa.Array], floor: datetime) -> None:
    """Null a publication time after the fetch (plus a day) or before the floor, flagging
    why; flag a date the page wrote but nobody could read. Only rows with a flag go
    through Python."""
    published, fetched = out["published_at"], out["fetched_at"]
    future = pc.fill_null(pc.greater(published, pc.add(fetched, FUTURE_TOLERANCE)), False)
    old = pc.fill_null(pc.less(published, pa.scalar(floor, UTC_TYPE)), False)
    flags = pc.fill_null(out["date_flags"], pa.scalar([], pa.list_(pa.string())))
    unreadable = pc.and_(pc.is_null(published), pc.invert(_empty(out["published_raw"])))
    touched = pc.or_(pc.or_(future, old), pc.or_(unreadable,
                                                 pc.greater(pc.list_value_length(flags), 0)))
    rows = np.flatnonzero(touched.to_numpy(zero_copy_only=False))
    values = flags.to_pylist() if len(rows) else None
    for row in rows.tolist():
        extra = ["future_date"] if future[row].as_py() else (
            ["too_old"] if old[row].as_py() else [])
        merged = [*values[row], *extra]
        if not merged and unreadable[row].as_py():
            merged = ["unparsed_date"]
        values[row] = sorted(set(merged))
    out["date_flags"] = pa.array(values, pa.list_(pa.string())) if values is not None else flags
    out["published_at"] = pc.if_else(pc.or_(future, old), pa.scalar(None, UTC_TYPE), published)


def _assemble(entity: Entity, columns: dict[str, Any]) -> pa.Table:
    schema = ARTICLE_ROWS if entity is ARTICLE else COMMENT_ROWS
    missing = [f.name for f in schema if f.name not in columns]
    if missing:
        raise KeyError(f"no rule makes {entity.name} column(s) {missing}: mark them `raw=` "
                       "in schemas/records.py or compute them in archive/clean.py")
    return pa.table({f.name: pc.cast(columns[f.name], f.type) for f in schema},
                    nullable(schema))


def nullable(schema: pa.Schema) -> pa.Schema:
    """`schema` with every field nullable (rows in the making: derived fields come later)."""
    return pa.schema([f.with_nullable(True) for f in schema], metadata=schema.metadata)
