"""Rows set aside by key on local disk, so that a run's rows never all sit in memory.

`process` spills the run's cleaned articles by (site, month) partition and its comments in
arrival order, then reads them back one partition at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from archive.store import Partition

Row = dict[str, Any]
SPILL_BUDGET_ROWS = 20_000  # rows held in memory by a spill before it goes to disk,
SPILL_BUDGET_BYTES = 48 * 1024 * 1024  # or about this many bytes of text, if sooner
_ROW_OVERHEAD = 1500  # bytes of a row in memory besides its texts (dict, dates, lists)
ALL = ("all", "all")  # the one key of rows kept in arrival order


def nullable(schema: pa.Schema, extra: Iterable[pa.Field] = ()) -> pa.Schema:
    return pa.schema([f.with_nullable(True) for f in schema] + list(extra))


class Spill:
    """Rows set aside by key, in memory up to a budget, then on local disk as Arrow IPC
    files; read back one key at a time."""

    def __init__(self, directory: Path, schema: pa.Schema,
                 budget_rows: int | None = None) -> None:
        self.directory = directory
        self.schema = schema
        self.budget_rows = budget_rows or SPILL_BUDGET_ROWS
        self._buffers: dict[Partition, list[Row]] = {}
        self._files: dict[Partition, list[Path]] = {}
        self._names: dict[Partition, int] = {}
        self._buffered = 0
        self._bytes = 0
        self.rows_added = 0

    def add(self, key: Partition, row: Row) -> None:
        self._buffers.setdefault(key, []).append(row)
        self._buffered += 1
        self._bytes += _ROW_OVERHEAD + len(row.get("text") or "") + len(row.get("_raw") or "")
        self.rows_added += 1
        if self._buffered >= self.budget_rows or self._bytes >= SPILL_BUDGET_BYTES:
            self.flush()

    def flush(self) -> None:
        for key, rows in self._buffers.items():
            if not rows:
                continue
            name = self._names.setdefault(key, len(self._names))
            files = self._files.setdefault(key, [])
            path = self.directory / str(name) / f"{len(files)}.arrow"
            path.parent.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pylist(rows, self.schema)
            options = pa.ipc.IpcWriteOptions(compression="lz4")
            with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(
                    sink, self.schema, options=options) as writer:
                writer.write_table(table)
            files.append(path)
        self._buffers = {}
        self._buffered = self._bytes = 0
        pa.default_memory_pool().release_unused()

    def partitions(self) -> set[Partition]:
        return {k for k, rows in self._buffers.items() if rows} | set(self._files)

    def tables(self, key: Partition) -> Iterator[list[Row]]:
        """The rows of one key, a file (or the buffer) at a time."""
        for path in self._files.get(key, ()):
            with pa.memory_map(str(path)) as source:
                yield pa.ipc.open_file(source).read_all().to_pylist()
        if self._buffers.get(key):
            yield self._buffers[key]

    def rows(self, key: Partition) -> list[Row]:
        return [row for chunk in self.tables(key) for row in chunk]

    def discard(self, key: Partition) -> None:
        for path in self._files.pop(key, ()):
            path.unlink(missing_ok=True)
        rows = self._buffers.pop(key, [])
        self._buffered -= len(rows)
        self._bytes -= sum(_ROW_OVERHEAD + len(r.get("text") or "") + len(r.get("_raw") or "")
                           for r in rows)
