"""Merging a run's rows into a partition: one row per id, the newest version wins.

`merge_versions` folds every version of every row of a partition (the stored rows and the
run's) into one row per primary key, column-wise:

- the content is the newest version's (`archive.versions`); `first_seen_at` is the earliest
  fetch, `last_seen_at` the latest; a publication time the newest version lost is taken
  from the newest version that had one;
- an article keeps the `duplicate_of` the archive holds (the dedupe step decides it);
- a comment whose text differs from the version before it is `edited`; `edit_count` adds
  one for each newer version whose text differs from the one before it (a fetch older than
  the stored version, processed late, marks the comment edited but adds no count, so
  processing a run again never counts twice);
- `removed_at` is kept from the archive and cleared once a later fetch sees the comment.

`finish_partition` then sets what depends on the whole partition: comment positions and
counts, the article fields carried by comments, and `removed_at` for the comments a
complete read of their article (a `done` record) no longer had. The rules do not depend on
the order runs are processed in, except that a complete read judges the comments the
archive holds when it is processed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from archive.times import UTC_TYPE
from archive.versions import REEXTRACTED, group_bounds, version_order, with_version

STORED = "_stored"  # helper column: the row was read from the archive


def mark_stored(table: pa.Table, stored: bool) -> pa.Table:
    flags = pa.array(np.full(table.num_rows, stored))
    if STORED in table.column_names:
        return table.set_column(table.schema.get_field_index(STORED), STORED, flags)
    return table.append_column(STORED, flags)


def _numpy(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return array.to_numpy(zero_copy_only=False)


def _times(column: pa.ChunkedArray) -> np.ndarray:
    return _numpy(pc.cast(column, pa.int64()))


def _last_where(mask: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Per group, the index of its last row where `mask` holds, or -1."""
    marked = np.maximum.accumulate(np.where(mask, np.arange(len(mask)), -1))
    last = marked[ends - 1]
    return np.where(last >= starts, last, -1)


def _take_or_null(column: pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """`column` at `rows`, null where a row is -1."""
    values = column.take(pa.array(np.maximum(rows, 0)))
    return pc.if_else(pa.array(rows < 0), pa.scalar(None, column.type), values)


# What the merge reads of every version (the newest version gives the rest of the row).
_HISTORY = (STORED, "first_seen_at", "last_seen_at", "published_at", "duplicate_of",
            "duplicate_kind", "content_hash", "edit_count", "edited", "removed_at")


def merge_versions(table: pa.Table, key: str) -> pa.Table:
    """One row per `key` from every version in `table` (which has the STORED column),
    sorted by `key`. Only the key and history columns are put in version order; the
    whole row is taken once, for the newest version."""
    if table.num_rows == 0:
        return table.drop_columns([STORED])
    table = with_version(table)
    order = version_order(table, key)
    ordered = table.select([key, *(c for c in _HISTORY if c in table.column_names)]).take(
        order)
    starts, ends = group_bounds(ordered.column(key))
    newest = table.take(order.take(pa.array(ends - 1)))
    stored = _numpy(ordered.column(STORED)).astype(bool)

    seen_first = np.minimum.reduceat(_times(ordered.column("first_seen_at")), starts)
    seen_last = np.maximum.reduceat(_times(ordered.column("last_seen_at")), starts)
    newest = _set(newest, "first_seen_at", pa.array(seen_first).cast(UTC_TYPE))
    newest = _set(newest, "last_seen_at", pa.array(seen_last).cast(UTC_TYPE))
    dated = _last_where(_numpy(pc.is_valid(ordered.column("published_at"))), starts, ends)
    newest = _set(newest, "published_at", _take_or_null(ordered.column("published_at"), dated))

    last_stored = _last_where(stored, starts, ends)
    if "duplicate_of" in ordered.column_names:
        for name in ("duplicate_of", "duplicate_kind"):
            newest = _set(newest, name, _take_or_null(ordered.column(name), last_stored))
    if "edit_count" in ordered.column_names:
        newest = _comment_history(ordered, newest, starts, ends, stored, last_stored)
    return newest.drop_columns([STORED, REEXTRACTED])


def _comment_history(ordered: pa.Table, newest: pa.Table, starts: np.ndarray,
                     ends: np.ndarray, stored: np.ndarray,
                     last_stored: np.ndarray) -> pa.Table:
    group = np.repeat(np.arange(len(starts)), ends - starts)
    hashes = ordered.column("content_hash").combine_chunks()
    changed = np.zeros(ordered.num_rows, bool)
    if ordered.num_rows > 1:
        differs = _numpy(pc.not_equal(hashes[1:], hashes[:-1]))
        changed[1:] = differs & (group[1:] == group[:-1])
    # counted: a change brought by a version newer than everything the archive held
    after_stored = np.arange(ordered.num_rows) > last_stored[group]
    counted = changed & after_stored & ~stored
    base = np.maximum.reduceat(np.where(stored, _numpy(pc.fill_null(
        ordered.column("edit_count"), 0)), 0), starts)
    edits = base + np.add.reduceat(counted.astype(np.int64), starts)
    was_edited = np.logical_or.reduceat(stored & _numpy(pc.fill_null(
        ordered.column("edited"), False)).astype(bool), starts)
    edited = was_edited | np.logical_or.reduceat(changed, starts) | (edits > 0)
    edits = np.where(edited & (edits == 0), 1, edits)
    newest = _set(newest, "edited", pa.array(edited))
    newest = _set(newest, "edit_count", pa.array(edits.astype(np.int32)))
    removed = _take_or_null(ordered.column("removed_at"), last_stored)
    back = pc.fill_null(pc.less_equal(removed, newest.column("last_seen_at")), False)
    return _set(newest, "removed_at", pc.if_else(back, pa.scalar(None, UTC_TYPE), removed))


def _set(table: pa.Table, name: str, values: pa.Array | pa.ChunkedArray) -> pa.Table:
    index = table.schema.get_field_index(name)
    return table.set_column(index, table.schema.field(name), values.cast(
        table.schema.field(name).type))


def finish_partition(articles: pa.Table, comments: pa.Table,
                     reads: pa.Table | None = None) -> tuple[pa.Table, pa.Table]:
    """Derived fields of one partition (every comment of each article must be there):
    comment positions (by time, then id) and counts, the article's site, month, title, URL
    and language on its comments, and `removed_at` for comments that a complete read of
    their article (`reads`: article_id, read_at) no longer had."""
    ids = articles.column("article_id").combine_chunks()
    if comments.num_rows:
        comments = _denormalise(comments, articles, ids)
        if reads is not None and reads.num_rows:
            comments = _removed(comments, reads)
        comments = _positions(comments)
    counts = np.zeros(articles.num_rows, np.int32)
    if comments.num_rows:
        owner = _numpy(pc.fill_null(pc.index_in(comments.column("article_id"),
                                                value_set=ids), -1))
        counts = np.bincount(owner[owner >= 0], minlength=articles.num_rows).astype(np.int32)
    articles = _set(articles, "comment_count", pa.array(counts))
    return articles, comments


def _denormalise(comments: pa.Table, articles: pa.Table, ids: pa.Array) -> pa.Table:
    owner = pc.index_in(comments.column("article_id"), value_set=ids)
    found = pc.is_valid(owner)
    for target, source in (("site", "site"), ("month", "month"), ("article_title", "title"),
                           ("article_url", "url")):
        values = articles.column(source).take(owner)
        comments = _set(comments, target, pc.if_else(found, values, comments.column(target)))
    article_language = articles.column("language").take(owner)
    return _set(comments, "language", pc.coalesce(comments.column("language"),
                                                  article_language))


def _removed(comments: pa.Table, reads: pa.Table) -> pa.Table:
    read_ids = reads.column("article_id").combine_chunks()
    where = pc.index_in(comments.column("article_id"), value_set=read_ids)
    read_at = reads.column("read_at").take(where)
    gone = pc.fill_null(pc.less(comments.column("last_seen_at"), read_at), False)
    removed = comments.column("removed_at")
    earlier = pc.if_else(pc.fill_null(pc.less(removed, read_at), False), removed, read_at)
    return _set(comments, "removed_at", pc.if_else(gone, earlier, comments.column("removed_at")))


def _positions(comments: pa.Table) -> pa.Table:
    ordered = comments.sort_by([("article_id", "ascending"), ("published_at", "ascending"),
                                ("comment_id", "ascending")])  # undated last
    starts, ends = group_bounds(ordered.column("article_id"))
    group_start = np.repeat(starts, ends - starts)
    positions = np.arange(ordered.num_rows) - group_start + 1
    return _set(ordered, "position", pa.array(positions.astype(np.int32)))
