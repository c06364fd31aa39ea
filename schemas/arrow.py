"""Arrow schemas built from the record contract (never inferred from data)."""

from __future__ import annotations

import pyarrow as pa

from schemas.fields import Entity, Field, Kind, RawRecord
from schemas.records import ARTICLE, COMMENT, RAW_RECORDS

_ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.ID: pa.string(),
    Kind.KEYWORD: pa.string(),
    Kind.TEXT: pa.large_string(),
    Kind.URL: pa.string(),
    Kind.KEYWORDS: pa.list_(pa.string()),
    Kind.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    Kind.INT: pa.int32(),
    Kind.BOOL: pa.bool_(),
}
# In the raw zone a time is the ISO 8601 text the crawler wrote, converted by `process`.
_RAW_TYPES = {**_ARROW_TYPES, Kind.TIMESTAMP: pa.string(), Kind.INT: pa.int64()}


def arrow_schema(entity: Entity) -> pa.Schema:
    """The Arrow schema of `entity`, with its description and version as metadata."""
    fields = [
        pa.field(
            f.name,
            _ARROW_TYPES[f.kind],
            nullable=f.nullable,
            metadata={"description": f.description},
        )
        for f in entity.fields
    ]
    return pa.schema(
        fields,
        metadata={"pressarchive.entity": entity.name, "pressarchive.version": str(entity.version)},
    )


def raw_schema(records: tuple[RawRecord, ...] | None = None) -> pa.Schema:
    """The columns of raw zone lines (every record type at once: one file holds them all),
    all nullable: a field a record type lacks, or an older raw zone did not write, is null."""
    seen: dict[str, Field] = {}
    for record in records or tuple(RAW_RECORDS.values()):
        for f in record.fields:
            known = seen.setdefault(f.name, f)
            if _RAW_TYPES[known.kind] != _RAW_TYPES[f.kind]:
                raise TypeError(f"raw field {f.name!r} has two types: {known.kind}, {f.kind}")
    return pa.schema([pa.field(f.name, _RAW_TYPES[f.kind]) for f in seen.values()])


ARTICLE_SCHEMA = arrow_schema(ARTICLE)
COMMENT_SCHEMA = arrow_schema(COMMENT)
RAW_SCHEMA = raw_schema()
