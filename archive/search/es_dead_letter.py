"""Documents Elasticsearch rejected, kept with the reason so that none is lost silently.

One JSON line per rejected document in `DIR/state/elasticsearch/dead-letter/<UTC time>.jsonl`
(one file per load, created only when something is written): the archive row it came from
(entity, primary key, partition), the index version it was meant for, the `_id`, the HTTP
status, the error type and reason, and, for documents up to 64 KiB, the source itself so
that the cause can be read off the record.

Records stay *pending* until `pressarchive index --replay-dead-letters` sends the rows again
(read afresh from the Parquet archive, so a replay never writes an outdated copy) or a full
rebuild makes them moot; then their files move to `retired/`. Only records for the live
version are pending: a rebuild loads every row again.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.search.es_errors import error_summary

INLINE_SOURCE_BYTES = 64 * 1024
RETIRED = "retired"


class DeadLetter:
    """The dead-letter file of one load."""

    def __init__(self, directory: Path, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
        self.directory = directory
        self.path = directory / f"{stamp}.jsonl"
        self.count = 0
        self.by_type: Counter[str] = Counter()

    def write(self, *, entity: str, version: str, key: str | None,
              partition: Iterable[str] | None, source: bytes | None,
              item: dict[str, Any]) -> dict[str, Any]:
        """Record one failed bulk item (`item` is the per-item result); returns the record."""
        kind, reason = error_summary(item.get("exception") or item.get("error", ""))
        record = {
            "entity": entity, "version": version, "key": key,
            "partition": list(partition) if partition is not None else None,
            "id": item.get("_id"), "index": item.get("_index"),
            "status": item.get("status"), "error_type": kind, "error_reason": reason,
        }
        if source is not None:
            record["source_bytes"] = len(source)
            if len(source) <= INLINE_SOURCE_BYTES:
                record["source"] = json.loads(source)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        self.count += 1
        self.by_type[kind] += 1
        return record


def pending_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


def pending(directory: Path, version: str) -> list[dict[str, Any]]:
    """The records still waiting for a replay into `version`, oldest first."""
    records = []
    for path in pending_files(directory):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("version") == version:
                records.append(record)
    return records


def retire(paths: Iterable[Path]) -> int:
    """Move dead-letter files out of the pending set (kept for the record); returns how many."""
    moved = 0
    for path in paths:
        target = path.parent / RETIRED / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved += 1
    return moved
