"""Archive rows as Elasticsearch documents and bulk actions.

Each action carries an explicit `_id` (the entity's primary key) and `op_type: index`, so
sending the same rows again replaces the same documents: a rerun never duplicates.
Timestamps become ISO 8601 in UTC with a `Z`; null fields are left out (Elasticsearch
treats a missing field and a null alike), lists stay lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from schemas.fields import Entity


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def to_document(row: dict[str, Any]) -> dict[str, Any]:
    return {name: json_value(value) for name, value in row.items() if value is not None}


def bulk_actions(tables: Iterable[pa.Table], entity: Entity, index: str
                 ) -> Iterator[dict[str, Any]]:
    """One `index` action per row of `tables`, addressed to `index` by primary key."""
    key = entity.primary_key
    for table in tables:
        for row in table.to_pylist():
            doc_id = row.get(key)
            if not doc_id:
                raise ValueError(f"{entity.name} row without {key}: the archive is damaged")
            yield {"_op_type": "index", "_index": index, "_id": str(doc_id),
                   "_source": to_document(row)}
