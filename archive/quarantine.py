"""The quarantine: records a step rejected, kept with the reason, never dropped silently.

`DIR/quarantine/<entity>/run=<run_id>/part-<site>.parquet`, one file per run, raw site and
entity, replaced when that run and site are processed again (so it always holds what the
latest processing rejected). `record` holds the raw record exactly as the crawler wrote
it (its line of the raw zone). Once the cause is fixed (a better cleaner, or the article
of an orphan comment archived by a later run), `pressarchive process --run RUN_ID --force`
processes the run again; `quarantined_records()` gives the raw records back for other tools.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from archive.read import LINE

ENTITIES = ("articles", "comments")
QUARANTINE_SCHEMA = pa.schema([
    ("reason", pa.string()), ("entity", pa.string()), ("id", pa.string()),
    ("url", pa.string()), ("crawl_run_id", pa.string()), ("fetched_at", pa.string()),
    ("record", pa.large_string()),
])
_RUN = pa.schema([("run", pa.string())])


def _run_dir(root: Path, entity: str, run_id: str) -> Path:
    return root / entity / f"run={quote(run_id, safe='')}"


def quarantine_rows(rejects: pa.Table) -> pa.Table:
    """Quarantine rows from rejects (entity, reason, raw line)."""
    rows = []
    for entity, reason, line in zip(*(rejects.column(n).to_pylist()
                                      for n in ("entity", "reason", LINE)), strict=True):
        text = line.rstrip("\r\n")
        try:
            record = json.loads(text)
        except json.JSONDecodeError:
            record = {}
        record = record if isinstance(record, dict) else {}
        rows.append({
            "reason": reason, "entity": entity,
            "id": _text(record.get("comment_id") or record.get("article_id")),
            "url": _text(record.get("url") or record.get("article_url")),
            "crawl_run_id": _text(record.get("crawl_run_id")),
            "fetched_at": _text(record.get("fetched_at")), "record": text})
    return pa.Table.from_pylist(rows, QUARANTINE_SCHEMA)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class QuarantineWriter:
    """Streams one run's (and raw site's) rejects to the quarantine; `close()` replaces
    their files. Rows are written aside (`.part-<site>.parquet.tmp`) and renamed on close,
    so the quarantine is the old one or the new one, never a mix. `abort()` drops what
    was written."""

    def __init__(self, root: Path, run_id: str, site: str) -> None:
        self.root = root
        self.run_id = run_id
        self.name = f"part-{quote(site, safe='')}.parquet"
        self.counts: Counter[str] = Counter()
        self._writers: dict[str, pq.ParquetWriter] = {}

    def add_table(self, rejects: pa.Table) -> None:
        """Rejects as a table of (entity, reason, raw line)."""
        if rejects.num_rows == 0:
            return
        for entity in ENTITIES:
            part = rejects.filter(pc.equal(rejects.column("entity"), entity))
            if part.num_rows == 0:
                continue
            for reason, count in Counter(part.column("reason").to_pylist()).items():
                self.counts[f"{entity}/{reason}"] += count
            self._writer(entity).write_table(quarantine_rows(part))

    def add_malformed(self, lines: list[str]) -> None:
        """Raw lines whose fields do not fit the record contract."""
        if not lines:
            return
        entity = [("comments" if '"type": "comment"' in line else "articles") for line in lines]
        self.add_table(pa.table({"entity": entity, "reason": ["malformed_record"] * len(lines),
                                 LINE: pa.array(lines, pa.large_string())}))

    def _staging(self, entity: str) -> Path:
        return _run_dir(self.root, entity, self.run_id) / f".{self.name}.tmp"

    def _writer(self, entity: str) -> pq.ParquetWriter:
        if entity not in self._writers:
            staging = self._staging(entity)
            staging.parent.mkdir(parents=True, exist_ok=True)
            self._writers[entity] = pq.ParquetWriter(staging, QUARANTINE_SCHEMA,
                                                     compression="zstd")
        return self._writers[entity]

    def close(self) -> Counter[str]:
        """Publish the quarantine (removing an older one); returns counts by
        `entity/reason`."""
        for entity in ENTITIES:
            target = _run_dir(self.root, entity, self.run_id) / self.name
            writer = self._writers.pop(entity, None)
            if writer is None:
                target.unlink(missing_ok=True)
                continue
            writer.close()
            self._staging(entity).replace(target)
        return self.counts

    def abort(self) -> None:
        for entity, writer in list(self._writers.items()):
            writer.close()
            self._staging(entity).unlink(missing_ok=True)
        self._writers.clear()


def read_quarantine(root: Path, entity: str, run_id: str | None = None) -> pa.Table:
    """The quarantine of one entity (every run, or one), with a `run` column."""
    directory = root / entity
    schema = pa.schema([*QUARANTINE_SCHEMA, *_RUN])
    if not any(directory.glob("run=*/part-*.parquet")):
        return schema.empty_table()
    dataset = ds.dataset(directory, format="parquet", schema=schema,
                         partitioning=ds.partitioning(_RUN, flavor="hive"))
    where = None if run_id is None else pc.field("run") == run_id
    return dataset.to_table(filter=where)


def quarantined_records(root: Path, entity: str, run_id: str | None = None,
                        reason: str | None = None) -> Iterator[dict[str, Any]]:
    """The raw records held in the quarantine, as the crawler wrote them."""
    table = read_quarantine(root, entity, run_id)
    for row in table.select(["reason", "record"]).to_pylist():
        if reason is None or row["reason"] == reason:
            yield json.loads(row["record"])
