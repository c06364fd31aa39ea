"""The quarantine: records a step rejected, kept with the reason, never dropped silently.

`DIR/quarantine/<entity>/run=<run_id>/part-0.parquet`, one file per run and entity,
replaced when the run is processed again (so it always holds what the latest processing
of the run rejected). `record` holds the raw record as JSON, exactly as the crawler wrote
it. Once the cause is fixed (a better cleaner, or the article of an orphan comment
archived by a later run), `pressarchive process --run RUN_ID --force` processes the run
again; `quarantined_records()` gives the raw records back for other tools.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from archive.records import Rejected

ENTITIES = ("articles", "comments")
QUARANTINE_SCHEMA = pa.schema([
    ("reason", pa.string()), ("entity", pa.string()), ("id", pa.string()),
    ("url", pa.string()), ("crawl_run_id", pa.string()), ("fetched_at", pa.string()),
    ("record", pa.large_string()),
])
_BUFFER_ROWS = 2048


def _run_dir(root: Path, entity: str, run_id: str) -> Path:
    return root / entity / f"run={quote(run_id, safe='')}"


def quarantine_row(item: Rejected) -> dict[str, Any]:
    record = item.record
    return {
        "reason": item.reason, "entity": item.entity,
        "id": _text(record.get("comment_id") or record.get("article_id")),
        "url": _text(record.get("url") or record.get("article_url")),
        "crawl_run_id": _text(record.get("crawl_run_id")),
        "fetched_at": _text(record.get("fetched_at")),
        "record": json.dumps(record, ensure_ascii=False, sort_keys=True, default=str),
    }


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class QuarantineWriter:
    """Streams one run's rejects to the quarantine; `close()` replaces the run's files.

    Rows are written aside (`.part-0.parquet.tmp`) and renamed on close, so the quarantine
    of a run is the old one or the new one, never a mix. `abort()` drops what was written.
    """

    def __init__(self, root: Path, run_id: str) -> None:
        self.root = root
        self.run_id = run_id
        self.counts: Counter[str] = Counter()
        self._buffers: dict[str, list[dict[str, Any]]] = {e: [] for e in ENTITIES}
        self._writers: dict[str, pq.ParquetWriter] = {}

    def add(self, item: Rejected) -> None:
        entity = item.entity if item.entity in ENTITIES else "articles"
        self.counts[f"{entity}/{item.reason}"] += 1
        self._buffers[entity].append(quarantine_row(item))
        if len(self._buffers[entity]) >= _BUFFER_ROWS:
            self._flush(entity)

    def extend(self, items: Iterable[Rejected]) -> None:
        for item in items:
            self.add(item)

    def _staging(self, entity: str) -> Path:
        return _run_dir(self.root, entity, self.run_id) / ".part-0.parquet.tmp"

    def _flush(self, entity: str) -> None:
        rows = self._buffers[entity]
        if not rows:
            return
        if entity not in self._writers:
            staging = self._staging(entity)
            staging.parent.mkdir(parents=True, exist_ok=True)
            self._writers[entity] = pq.ParquetWriter(staging, QUARANTINE_SCHEMA,
                                                     compression="zstd")
        self._writers[entity].write_table(pa.Table.from_pylist(rows, QUARANTINE_SCHEMA))
        self._buffers[entity] = []

    def close(self) -> Counter[str]:
        """Publish the run's quarantine (removing an older one); returns counts by
        `entity/reason`."""
        for entity in ENTITIES:
            self._flush(entity)
            directory = _run_dir(self.root, entity, self.run_id)
            writer = self._writers.pop(entity, None)
            if writer is None:
                shutil.rmtree(directory, ignore_errors=True)
                continue
            writer.close()
            self._staging(entity).replace(directory / "part-0.parquet")
        return self.counts

    def abort(self) -> None:
        for entity, writer in list(self._writers.items()):
            writer.close()
            self._staging(entity).unlink(missing_ok=True)
        self._writers.clear()


def write_quarantine(root: Path, run_id: str, rejected: Iterable[Rejected]) -> Counter[str]:
    """Replace a run's quarantine files; returns the counts by `entity/reason`."""
    writer = QuarantineWriter(root, run_id)
    writer.extend(rejected)
    return writer.close()


def read_quarantine(root: Path, entity: str, run_id: str | None = None) -> pa.Table:
    """The quarantine of one entity (every run, or one), with a `run` column."""
    directory = root / entity
    if not any(directory.glob("run=*/part-0.parquet")):
        return pa.schema([*QUARANTINE_SCHEMA, ("run", pa.string())]).empty_table()
    dataset = ds.dataset(directory, format="parquet",
                         schema=pa.schema([*QUARANTINE_SCHEMA, ("run", pa.string())]),
                         partitioning=ds.partitioning(pa.schema([("run", pa.string())]),
                                                      flavor="hive"))
    where = None if run_id is None else pc.field("run") == run_id
    return dataset.to_table(filter=where)


def quarantined_records(root: Path, entity: str, run_id: str | None = None,
                        reason: str | None = None) -> Iterator[dict[str, Any]]:
    """The raw records held in the quarantine, as the crawler wrote them."""
    table = read_quarantine(root, entity, run_id)
    for row in table.select(["reason", "record"]).to_pylist():
        if reason is None or row["reason"] == reason:
            yield json.loads(row["record"])
