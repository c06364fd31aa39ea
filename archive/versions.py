"""Which version of an article or comment wins: the one rule, for rows and for Arrow tables.

A record seen several times (nightly recrawls, a re-extraction by `pressarchive reprocess`)
has one row in the archive, and its content is the newest version's:

1. the later fetch (`fetched_at`) wins: an older fetch never overwrites a newer one,
   whatever order runs are processed in;
2. for the same fetch (a response re-extracted offline), the re-extraction wins
   (runs named `reprocess-<time>`), the later re-extraction first;
3. then, only so that the choice is deterministic, the run id and the content hash.

Every step that chooses between versions (cleaning a run, planning where an article lives,
merging into a partition, deduplication, `reprocess` naming its runs) uses this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

REPROCESS_PREFIX = "reprocess-"
REEXTRACTED = "_reextracted"  # helper column: the version comes from a re-extraction
VERSION_COLUMNS = ("fetched_at", REEXTRACTED, "crawl_run_id", "content_hash")


def reprocess_run_id(run_id: str) -> str:
    """The run id of a re-extraction: its versions win over the original fetch's."""
    return f"{REPROCESS_PREFIX}{run_id}"


def version_key(fetched_at: datetime, crawl_run_id: str | None,
                content_hash: str | None) -> tuple[Any, ...]:
    """Sortable version of one record: the larger key is the newer version."""
    run = crawl_run_id or ""
    return (fetched_at, run.startswith(REPROCESS_PREFIX), run, content_hash or "")


def row_version(row: dict[str, Any]) -> tuple[Any, ...]:
    return version_key(row["fetched_at"], row.get("crawl_run_id"), row.get("content_hash"))


def with_version(table: pa.Table) -> pa.Table:
    """`table` with the helper column the version order needs."""
    runs = pc.fill_null(table.column("crawl_run_id"), "")
    flag = pc.starts_with(runs, REPROCESS_PREFIX)
    if REEXTRACTED in table.column_names:
        return table.set_column(table.schema.get_field_index(REEXTRACTED), REEXTRACTED, flag)
    return table.append_column(REEXTRACTED, flag)


def version_order(table: pa.Table, key: str, *extra: tuple[str, str]) -> pa.Array:
    """The row order of `sort_versions` (of a table `with_version`), read from the key
    and version columns only."""
    keys = [(key, "ascending"), *((c, "ascending") for c in VERSION_COLUMNS), *extra]
    return pc.sort_indices(table, sort_keys=keys)


def sort_versions(table: pa.Table, key: str, *extra: tuple[str, str]) -> pa.Table:
    """Rows grouped by `key`, each group oldest version first (`extra` sort keys last)."""
    table = with_version(table)
    return table.take(version_order(table, key, *extra))


def group_bounds(keys: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) row offsets of each run of equal values in a sorted key column."""
    array = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    if len(array) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    changed = pc.not_equal(array[1:], array[:-1]).to_numpy(zero_copy_only=False)
    starts = np.concatenate([[0], np.flatnonzero(changed) + 1]).astype(np.int64)
    ends = np.concatenate([starts[1:], [len(array)]]).astype(np.int64)
    return starts, ends


def newest(table: pa.Table, key: str) -> pa.Table:
    """One row per `key`: its newest version (helper column dropped), sorted by key."""
    if table.num_rows == 0:
        return table
    ordered = sort_versions(table, key)
    _, ends = group_bounds(ordered.column(key))
    return ordered.take(pa.array(ends - 1)).drop_columns([REEXTRACTED])
