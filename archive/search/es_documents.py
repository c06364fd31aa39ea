"""Archive rows as Elasticsearch documents and bulk actions.

Each action carries an explicit `_id` and `op_type: index`, so sending the same rows again
replaces the same documents: a rerun never duplicates. The `_id` is the entity's primary
key, or `sha256-<hex>` of it when the key is longer than the 512 bytes Elasticsearch
accepts (a site comment id that does not end in digits is kept whole and can be longer):
one such id would make Elasticsearch reject the whole bulk request. The key itself is
always in its own field (`comment_id`, `article_id`), so searches show the original.

Timestamps become ISO 8601 in UTC with a `Z`; null fields are left out (Elasticsearch
treats a missing field and a null alike), lists stay lists. Each document also gets the
derived time fields of `schemas.elasticsearch` (`@timestamp`, `timestamp_source`).

The source is serialised here, once, so that its size is known before it is sent: a
document larger than the cluster accepts in one request is dead-lettered, not sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from schemas.elasticsearch import TIME_FALLBACK, TIME_FIELD, TIME_SOURCE_FIELD
from schemas.fields import Entity

MAX_ID_BYTES = 512


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat().replace("+00:00", "Z")
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def document_id(key: str) -> str:
    """The `_id` for a primary key: the key itself when Elasticsearch accepts it."""
    raw = key.encode("utf-8")
    if len(raw) <= MAX_ID_BYTES:
        return key
    return f"sha256-{hashlib.sha256(raw).hexdigest()}"


def to_document(row: dict[str, Any], entity: Entity) -> dict[str, Any]:
    document = {name: json_value(value) for name, value in row.items() if value is not None}
    published = document.get(entity.time_field)
    fallback = document.get(TIME_FALLBACK)
    if published or fallback:
        document[TIME_FIELD] = published or fallback
        document[TIME_SOURCE_FIELD] = "published" if published else "first_seen"
    return document


@dataclass(frozen=True)
class BulkDoc:
    """One bulk action and what the dead letter needs to name the archive row."""

    action: dict[str, Any]
    key: str
    partition: tuple[str, ...]

    @property
    def doc_id(self) -> str:
        return str(self.action["_id"])

    @property
    def size(self) -> int:
        return len(self.action["_source"])


def bulk_actions(tables: Iterable[pa.Table], entity: Entity, index: str) -> Iterator[BulkDoc]:
    """One `index` action per row of `tables`, addressed to `index` by primary key."""
    key = entity.primary_key
    for table in tables:
        for row in table.to_pylist():
            row_key = row.get(key)
            if not row_key:
                raise ValueError(f"{entity.name} row without {key}: the archive is damaged")
            source = json.dumps(to_document(row, entity), ensure_ascii=False,
                                separators=(",", ":")).encode("utf-8")
            yield BulkDoc({"_op_type": "index", "_index": index,
                           "_id": document_id(str(row_key)), "_source": source},
                          str(row_key), tuple(str(row.get(k)) for k in entity.partition_by))
