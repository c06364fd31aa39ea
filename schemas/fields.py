"""The vocabulary of record definitions: a field, an entity, their types.

Everything downstream (the raw item the crawler writes, the Arrow schema of the Parquet
archive, the search mappings, the README's column table) is derived from these
definitions, never inferred from data.
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


class Clean(StrEnum):
    """How `process` turns a raw record's field into the archive's column of the same name.

    Text is never unescaped nor stripped of markup here: the extractor does that, once.
    """

    COPY = "copy"  # as the crawler wrote it
    LINE = "line"  # one line: whitespace collapsed, mojibake repaired, empty -> null
    PARAGRAPHS = "paragraphs"  # whitespace tidied, a blank line between paragraphs
    LINES = "lines"  # a list of LINE values, the empty ones left out
    UTC = "utc"  # an ISO 8601 time, to UTC (a time without an offset is UTC)


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    nullable: bool = True
    searchable_as_keyword: bool = False  # TEXT fields that also get a keyword subfield
    raw: Clean | None = None  # carried by the raw record (so cleaned); None: computed


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

    @property
    def from_raw(self) -> tuple[Field, ...]:
        """The columns `process` takes from the raw record."""
        return tuple(f for f in self.fields if f.raw is not None)


@dataclass(frozen=True)
class RawRecord:
    """One kind of line of the raw zone (`type` = `name`): what the crawler writes.

    Its fields are the archive columns marked `raw` plus `extra`, the fields only the
    crawl and `process` need (fetch details, the declared language, page numbers)."""

    name: str
    fields: tuple[Field, ...]
    description: str = ""

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]
