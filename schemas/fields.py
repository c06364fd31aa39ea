"""The vocabulary of record definitions: a field, an entity, their types.

Everything downstream (the Arrow schema of the Parquet archive, the search mappings,
the README's column table) is derived from these definitions, never inferred from data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """Logical field types; each maps to one Arrow type and one search mapping."""

    ID = "id"  # exact-match string key
    KEYWORD = "keyword"  # exact-match string that analysts filter and aggregate on
    TEXT = "text"  # analysed full text
    URL = "url"
    KEYWORDS = "keywords"  # list of keyword strings
    TIMESTAMP = "timestamp"  # UTC instant, microseconds
    INT = "int"
    BOOL = "bool"


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    nullable: bool = True
    searchable_as_keyword: bool = False  # TEXT fields that also get a keyword subfield


@dataclass(frozen=True)
class Entity:
    """One record type of the archive with its keys and storage contract."""

    name: str
    version: int
    fields: tuple[Field, ...]
    primary_key: str
    time_field: str
    partition_by: tuple[str, ...] = ("site", "month")
    description: str = ""
    search_only: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]
