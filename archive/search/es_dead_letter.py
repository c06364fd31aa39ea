"""Documents Elasticsearch rejected, kept with the reason so that none is lost silently.

One JSON line per rejected document in `DIR/state/elasticsearch/dead-letter/<UTC time>.jsonl`:
its id and index, the HTTP status, the error type and reason, and the whole bulk action,
so the document can be inspected and replayed once the cause is fixed. The file is only
created when something is written.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.search.es_errors import error_summary


class DeadLetter:
    def __init__(self, directory: Path, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = directory / f"{stamp}.jsonl"
        self.count = 0
        self.by_type: Counter[str] = Counter()

    def write(self, action: dict[str, Any] | None, item: dict[str, Any]) -> dict[str, Any]:
        """Record one failed bulk item (`item` is the per-item result); returns the record."""
        kind, reason = error_summary(item.get("error", ""))
        record = {
            "id": item.get("_id") or (action or {}).get("_id"),
            "index": item.get("_index") or (action or {}).get("_index"),
            "status": item.get("status"),
            "error_type": kind,
            "error_reason": reason,
            "action": action,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True, default=str) + "\n")
        self.count += 1
        self.by_type[kind] += 1
        return record
