"""The quarantine: records a step rejected, kept with the reason, never dropped silently.

`DIR/quarantine/<entity>/run=<run_id>.parquet`, one file per run and entity, replaced when
the run is processed again. `record` holds the raw record as JSON, so that a fixed
pipeline can process it again (`pressarchive process --run RUN_ID --force`).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from archive.records import Rejected

QUARANTINE_SCHEMA = pa.schema([
    ("reason", pa.string()), ("entity", pa.string()), ("id", pa.string()),
    ("url", pa.string()), ("crawl_run_id", pa.string()), ("fetched_at", pa.string()),
    ("record", pa.large_string()),
])


def write_quarantine(root: Path, run_id: str, rejected: list[Rejected]) -> Counter[str]:
    """Replace a run's quarantine files; returns the counts by `entity/reason`."""
    counts: Counter[str] = Counter()
    by_entity: dict[str, list[dict]] = {}
    for item in rejected:
        counts[f"{item.entity}/{item.reason}"] += 1
        record = item.record
        by_entity.setdefault(item.entity, []).append({
            "reason": item.reason, "entity": item.entity,
            "id": record.get("comment_id") or record.get("article_id"),
            "url": record.get("url") or record.get("article_url"),
            "crawl_run_id": record.get("crawl_run_id"), "fetched_at": record.get("fetched_at"),
            "record": json.dumps(record, ensure_ascii=False, sort_keys=True, default=str),
        })
    for entity in ("articles", "comments"):
        path = root / entity / f"run={run_id}.parquet"
        rows = by_entity.get(entity, [])
        if not rows:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, QUARANTINE_SCHEMA), staging)
        staging.replace(path)
    return counts


def read_quarantine(root: Path, entity: str) -> pa.Table:
    files = sorted((root / entity).glob("run=*.parquet"))
    if not files:
        return QUARANTINE_SCHEMA.empty_table()
    return pa.concat_tables(pq.read_table(f) for f in files)
