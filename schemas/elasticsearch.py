"""Elasticsearch index templates, derived from the record schemas.

Every `Kind` maps to one mapping, so a new record field gets a mapping without anyone
touching this file, and `dynamic: strict` makes Elasticsearch reject a document with a
field the schema does not know (a drift test fails first). Two groups of fields get more
than their kind's mapping because analysts use them differently:

- names (`authors`, `author`): `text` with the standard analyzer, so a word of a name
  matches, plus a `keyword` subfield (`author.keyword`) to filter and aggregate on the
  exact name. The search backends filter on the subfield.
- headlines (`title`, `article_title`): English text plus a `keyword` subfield, so that
  Kibana can list "most-commented articles" by title.

Every other KEYWORD (`site`, `language`, `tags`, ...) is a plain `keyword` field: it is
filtered and aggregated on directly, a text variant would only add noise.

Analysed text is indexed with offsets (`index_options: offsets`), so highlighting reads
the postings instead of analysing the text again: an article of several million characters
highlights like a short one, in the search backends and in Kibana Discover, without
reaching `index.highlight.max_analyzed_offset`.

Two fields exist only in the search documents, for Kibana's time axis (`TIME_FIELD`):
`@timestamp` is `published_at`, or `first_seen_at` when the page stated no time, and
`timestamp_source` says which (`published` or `first_seen`). A comment whose date could not
be read still shows up in a data view's time range, at the time it was first archived.

`_meta` of each mapping carries the record schema's version and `template_hash`, a digest
of everything in the template that fixes how documents are indexed (mappings, shards).
The index step compares the live index's `_meta` with the templates and rebuilds on any
difference, so a schema change never needs a manual reindex.

`python -m schemas.elasticsearch` rewrites `schemas/elasticsearch/*.json`; a test fails
when the committed files differ from what this module generates.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from schemas.fields import Entity, Field, Kind
from schemas.records import ENTITIES

DEFAULT_PREFIX = "pressarchive"
TEMPLATE_PRIORITY = 200  # above the built-in templates (priority 100) that could match
DATE_FORMAT = "strict_date_optional_time||epoch_millis"
REFRESH_INTERVAL = "1s"
NUMBER_OF_SHARDS = 1
# Values longer than this stay in `_source` but are not indexed, instead of rejecting the
# whole document (a keyword term is limited to 32766 bytes).
KEYWORD_IGNORE_ABOVE = 1024
URL_IGNORE_ABOVE = 4096
TITLE_KEYWORD_IGNORE_ABOVE = 512

TIME_FIELD = "@timestamp"
TIME_SOURCE_FIELD = "timestamp_source"
TIME_FALLBACK = "first_seen_at"

NAME_FIELDS = frozenset({"authors", "author"})
AGGREGATED_TEXT = frozenset({"title", "article_title"})
TEMPLATE_DIR = Path(__file__).with_name("elasticsearch")


def _keyword(ignore_above: int | None = None) -> dict[str, Any]:
    mapping: dict[str, Any] = {"type": "keyword"}
    if ignore_above:
        mapping["ignore_above"] = ignore_above
    return mapping


def _text(analyzer: str) -> dict[str, Any]:
    return {"type": "text", "analyzer": analyzer, "index_options": "offsets"}


def field_mapping(field: Field) -> dict[str, Any]:
    """The mapping of one record field."""
    if field.name in NAME_FIELDS:
        return {"type": "text", "analyzer": "standard",
                "fields": {"keyword": _keyword(KEYWORD_IGNORE_ABOVE)}}
    if field.kind is Kind.TEXT:
        subfields: dict[str, Any] = {"std": _text("standard")}
        if field.searchable_as_keyword or field.name in AGGREGATED_TEXT:
            subfields["keyword"] = _keyword(TITLE_KEYWORD_IGNORE_ABOVE)
        return {**_text("english"), "fields": subfields}
    if field.kind is Kind.ID:
        return _keyword()
    if field.kind is Kind.URL:
        return _keyword(URL_IGNORE_ABOVE)
    if field.kind in (Kind.KEYWORD, Kind.KEYWORDS):
        return _keyword(KEYWORD_IGNORE_ABOVE)
    if field.kind is Kind.TIMESTAMP:
        return {"type": "date", "format": DATE_FORMAT}
    if field.kind is Kind.INT:
        return {"type": "integer"}
    if field.kind is Kind.BOOL:
        return {"type": "boolean"}
    raise ValueError(f"no Elasticsearch mapping for kind {field.kind!r} of {field.name!r}")


def derived_mappings() -> dict[str, Any]:
    """Fields computed for the search documents only (see the module docstring)."""
    return {TIME_FIELD: {"type": "date", "format": DATE_FORMAT},
            TIME_SOURCE_FIELD: _keyword()}


def _properties(entity: Entity) -> dict[str, Any]:
    return {**{f.name: field_mapping(f) for f in entity.fields}, **derived_mappings()}


def template_hash(entity: Entity) -> str:
    """Digest of what fixes how documents are indexed: mappings and shard count. Replicas
    and the refresh interval change on a live index and are left out."""
    fixed = {"dynamic": "strict", "properties": _properties(entity),
             "number_of_shards": NUMBER_OF_SHARDS}
    return hashlib.sha256(json.dumps(fixed, sort_keys=True).encode()).hexdigest()[:16]


def schema_meta(entity: Entity) -> dict[str, Any]:
    """The `_meta` of the mapping, compared with a live index's to detect schema changes."""
    return {"entity": entity.name, "schema_version": entity.version,
            "template_hash": template_hash(entity)}


def mappings(entity: Entity) -> dict[str, Any]:
    return {"dynamic": "strict", "_meta": schema_meta(entity),
            "properties": _properties(entity)}


def exact_field(entity: Entity, name: str) -> str:
    """The path to filter or aggregate on `name` by its exact value."""
    mapping = field_mapping(entity.field(name))
    if mapping["type"] == "keyword":
        return name
    if "keyword" in mapping.get("fields", {}):
        return f"{name}.keyword"
    raise ValueError(f"{entity.name}.{name} has no exact (keyword) mapping")


def index_settings(*, replicas: int | None = None,
                   refresh_interval: str = REFRESH_INTERVAL) -> dict[str, Any]:
    """Settings of a live index. `replicas=None` means one replica where the cluster has a
    second node and none on a single node (`auto_expand_replicas: 0-1`), so a one-node
    compose cluster stays green without a setting."""
    settings: dict[str, Any] = {"number_of_shards": NUMBER_OF_SHARDS,
                                "refresh_interval": refresh_interval}
    if replicas is None:
        settings["auto_expand_replicas"] = "0-1"
    else:
        settings["number_of_replicas"] = replicas
    return settings


def alias_name(entity: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The name searches and Kibana use: `pressarchive-articles`."""
    return f"{prefix}-{entity}"


def versioned_index(entity: str, version: str, prefix: str = DEFAULT_PREFIX) -> str:
    """One build of an entity's index: `pressarchive-articles-<version>`."""
    return f"{alias_name(entity, prefix)}-{version}"


def index_pattern(entity: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{alias_name(entity, prefix)}-*"


def index_template(entity: Entity, *, prefix: str = DEFAULT_PREFIX,
                   replicas: int | None = None) -> dict[str, Any]:
    """The body of `PUT _index_template/<prefix>-<entity>`."""
    return {
        "index_patterns": [index_pattern(entity.name, prefix)],
        "priority": TEMPLATE_PRIORITY,
        "version": entity.version,
        "_meta": {"managed_by": "pressarchive", "entity": entity.name,
                  "description": entity.description},
        "template": {
            "settings": index_settings(replicas=replicas),
            "mappings": mappings(entity),
        },
    }


def templates(*, prefix: str = DEFAULT_PREFIX,
              replicas: int | None = None) -> dict[str, dict[str, Any]]:
    """Template name -> body, for every entity."""
    return {alias_name(name, prefix): index_template(entity, prefix=prefix, replicas=replicas)
            for name, entity in ENTITIES.items()}


def render(template: dict[str, Any]) -> str:
    return json.dumps(template, indent=2, sort_keys=True) + "\n"


def write_templates(directory: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the default templates as `<entity>.json` (the committed copies)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, entity in ENTITIES.items():
        path = directory / f"{name}.json"
        path.write_text(render(index_template(entity)))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_templates():
        sys.stdout.write(f"wrote {path}\n")
