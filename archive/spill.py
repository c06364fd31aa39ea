"""Arrow tables set aside by key on local disk, so that a run's rows never all sit in memory.

`process` spills a run's cleaned articles and comments by partition as they arrive (an
article under its own site and month, a comment under its article's when that article
is in the same batch, else UNROUTED), moves the few rows whose article lives elsewhere
once it knows, and reads the spill back one partition at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from archive.versions import group_bounds

SPILL_BUDGET_BYTES = 64 * 1024 * 1024  # Arrow bytes held in memory before going to disk
Key = tuple[str, ...]
UNROUTED: Key = ("unrouted",)  # rows whose partition is not known yet


class Spill:
    """Tables set aside by key, in memory up to a budget, then on local disk as Arrow IPC
    files, read back one key at a time. Uncompressed: lz4 would cost more CPU than the
    local disk (its page cache, mostly) takes to write and map the bytes."""

    def __init__(self, directory: Path, schema: pa.Schema,
                 budget_bytes: int | None = None) -> None:
        self.directory = directory
        self.schema = schema
        self.budget_bytes = budget_bytes or SPILL_BUDGET_BYTES
        self._buffers: dict[Key, list[pa.Table]] = {}
        self._buffered: dict[Key, int] = {}  # bytes in memory by key (`nbytes` is not free)
        self._files: dict[Key, list[Path]] = {}
        self._names: dict[Key, int] = {}
        self._bytes = 0
        self.rows_added = 0

    def add(self, key: Key, table: pa.Table, nbytes: int | None = None) -> None:
        """Set `table` aside under `key`; `nbytes`: its size when the caller knows it
        (for the budget: `Table.nbytes` of a slice costs 0.1 ms)."""
        if table.num_rows == 0:
            return
        size = table.nbytes if nbytes is None else nbytes
        self._buffers.setdefault(key, []).append(table)
        self._buffered[key] = self._buffered.get(key, 0) + size
        self._bytes += size
        self.rows_added += table.num_rows
        if self._bytes >= self.budget_bytes:
            self.flush()

    def flush(self) -> None:
        for key, tables in self._buffers.items():
            name = self._names.setdefault(key, len(self._names))
            files = self._files.setdefault(key, [])
            path = self.directory / str(name) / f"{len(files)}.arrow"
            path.parent.mkdir(parents=True, exist_ok=True)
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(
                    sink, self.schema) as writer:
                for table in tables:
                    writer.write_table(conformed(table, self.schema))
            files.append(path)
        self._buffers = {}
        self._buffered = {}
        self._bytes = 0
        pa.default_memory_pool().release_unused()

    def keys(self) -> set[Key]:
        return set(self._buffers) | set(self._files)

    def tables(self, key: Key) -> Iterator[pa.Table]:
        """The tables of one key, a file (or the buffer) at a time."""
        for path in self._files.get(key, ()):
            with pa.memory_map(str(path)) as source:
                yield pa.ipc.open_file(source).read_all()
        for table in self._buffers.get(key, ()):
            yield conformed(table, self.schema)


    def read(self, key: Key) -> pa.Table:
        tables = list(self.tables(key))
        return pa.concat_tables(tables) if tables else self.schema.empty_table()

    def discard(self, key: Key) -> None:
        for path in self._files.pop(key, ()):
            path.unlink(missing_ok=True)
        self._buffers.pop(key, None)
        self._bytes -= self._buffered.pop(key, 0)


def by_key(table: pa.Table, sites: pa.Array | pa.ChunkedArray,
           months: pa.Array | pa.ChunkedArray) -> tuple[list[tuple[Key, pa.Table, int]],
                                                        pa.Table]:
    """`table`'s rows cut by partition (site, month of each row; null: none): (key, rows
    in arrival order, their approximate bytes) of each partition, and the rows without."""
    keys = pc.binary_join_element_wise(sites, months, "\x1f")
    # One take puts the rows in key order (arrival order within a key); each key's rows
    # are then a slice.
    order = pc.array_sort_indices(keys, null_placement="at_end")
    ordered = keys.take(order)
    keyed = len(ordered) - ordered.null_count
    rows = table.take(order.slice(0, keyed))
    row_bytes = rows.nbytes / max(rows.num_rows, 1)
    starts, ends = group_bounds(ordered.slice(0, keyed))
    parts = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        site, month = ordered[start].as_py().split("\x1f")
        parts.append(((site, month), rows.slice(start, end - start),
                      round(row_bytes * (end - start))))
    return parts, table.take(order.slice(keyed))


def conformed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """`table` in `schema` (the same columns, in order), its columns cast only where
    their types differ: a cast of every column costs 0.3 ms even when nothing changes,
    and the run's tables usually differ from their schema by nullability only."""
    if table.schema.names == schema.names and table.schema.types == schema.types:
        return pa.Table.from_arrays(table.columns, schema=schema)
    return table.cast(schema)
