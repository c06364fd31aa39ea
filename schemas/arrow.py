"""Arrow schemas built from the record definitions (never inferred from data)."""

from __future__ import annotations

import pyarrow as pa

from schemas.fields import Entity, Kind
from schemas.records import ARTICLE, COMMENT

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


ARTICLE_SCHEMA = arrow_schema(ARTICLE)
COMMENT_SCHEMA = arrow_schema(COMMENT)
