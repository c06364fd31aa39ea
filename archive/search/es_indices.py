"""Versioned indices behind aliases: create a build, finish it, swap, clean up.

`pressarchive-articles` and `pressarchive-comments` are aliases; each points at one
versioned index (`pressarchive-articles-v20250101120000000000-ab12cd`). A full load writes a
new version with refresh off and no replicas, then `finish_load` restores the live
settings and refreshes, and `swap` moves both aliases in ONE `_aliases` request, which
Elasticsearch applies atomically: a reader sees the old pair or the new pair, never a mix
or a half-built index. Old indices are deleted only after the swap succeeded.

Every request here uses a method that every 9.x server allows for it: indices are listed
with `GET /<pattern>` (not `_resolve/index`, which servers before 9.3 answer only to GET
while the 9.3+ client sends POST).
"""

from __future__ import annotations

import re
from typing import Any

from schemas.elasticsearch import (
    DEFAULT_PREFIX,
    alias_name,
    index_pattern,
    index_settings,
    schema_meta,
    templates,
    versioned_index,
)
from schemas.records import ENTITIES

BULK_LOAD_SETTINGS = {"refresh_interval": "-1", "number_of_replicas": 0,
                      "auto_expand_replicas": "false"}
_VERSION = re.compile(r"^v\d{20}-[0-9a-f]{6}$")
COMPOSITE_PAGE = 1000


class Indices:
    def __init__(self, client: Any, *, prefix: str = DEFAULT_PREFIX,
                 replicas: int | None = None) -> None:
        self.client = client
        self.prefix = prefix
        self.replicas = replicas

    def alias(self, entity: str) -> str:
        return alias_name(entity, self.prefix)

    def index(self, entity: str, version: str) -> str:
        return versioned_index(entity, version, self.prefix)

    def install_templates(self) -> None:
        """Create or update the index templates (idempotent)."""
        for name, body in templates(prefix=self.prefix, replicas=self.replicas).items():
            self.client.indices.put_index_template(name=name, body=body)

    def holders(self, entity: str) -> list[str]:
        """The concrete indices behind an entity's alias (none before the first publish)."""
        from elasticsearch import NotFoundError

        try:
            response = self.client.indices.get_alias(name=self.alias(entity))
        except NotFoundError:
            return []
        return sorted(response.body)

    def version_of(self, entity: str, index: str) -> str | None:
        version = index.removeprefix(self.alias(entity) + "-")
        return version if version != index and _VERSION.match(version) else None

    def current(self) -> str | None:
        """The version both aliases point at, or None when there is none or they disagree
        (which only a manual change can cause; the next load then rebuilds)."""
        versions = set()
        for entity in ENTITIES:
            holders = self.holders(entity)
            if len(holders) != 1:
                return None
            versions.add(self.version_of(entity, holders[0]))
        return versions.pop() if len(versions) == 1 else None

    def create(self, version: str) -> None:
        """Empty indices for `version`, set up for a bulk load (the template adds mappings)."""
        for entity in ENTITIES:
            self.client.indices.create(index=self.index(entity, version),
                                       settings=BULK_LOAD_SETTINGS)

    def finish_load(self, version: str) -> None:
        """Live settings back (refresh interval, replicas), then one refresh."""
        live = index_settings(replicas=self.replicas)
        live.pop("number_of_shards")  # fixed at creation
        indices = ",".join(self.index(entity, version) for entity in ENTITIES)
        self.client.indices.put_settings(index=indices, settings=live)
        self.client.indices.refresh(index=indices)

    def count(self, index: str) -> int:
        return int(self.client.count(index=index).body["count"])

    def swap_actions(self, version: str) -> tuple[list[dict[str, Any]], list[str]]:
        """The `_aliases` actions that point every alias at `version`, and the indices they
        take the aliases from."""
        actions: list[dict[str, Any]] = []
        previous: list[str] = []
        for entity in ENTITIES:
            alias, target = self.alias(entity), self.index(entity, version)
            for holder in self.holders(entity):
                if holder != target:
                    actions.append({"remove": {"index": holder, "alias": alias}})
                    previous.append(holder)
            actions.append({"add": {"index": target, "alias": alias}})
        return actions, previous

    def swap(self, version: str) -> list[str]:
        """Point both aliases at `version` in one atomic request; returns the old indices."""
        actions, previous = self.swap_actions(version)
        self.client.indices.update_aliases(actions=actions)
        return previous

    def listing(self, entity: str) -> dict[str, list[str]]:
        """Every versioned index of an entity with the aliases it holds."""
        response = self.client.indices.get(index=index_pattern(entity, self.prefix),
                                           allow_no_indices=True, expand_wildcards="open")
        return {name: sorted(info.get("aliases", {})) for name, info in response.body.items()}

    def stale(self, version: str) -> list[str]:
        """Indices of older versions that no alias points at any more: the ones a swap
        replaced, builds that failed before they were published, and deletions that
        failed last time. Newer unpublished versions are left alone: they may be a build
        in progress elsewhere."""
        stale = []
        for entity in ENTITIES:
            for name, aliases in self.listing(entity).items():
                other = self.version_of(entity, name)
                if other and other < version and self.alias(entity) not in aliases:
                    stale.append(name)
        return sorted(stale)

    def delete(self, indices: list[str]) -> None:
        for name in indices:  # by name: wildcard deletes are refused by default, rightly
            self.client.indices.delete(index=name)

    def live_meta(self, entity: str) -> dict[str, Any]:
        """The `_meta` of the mapping behind an entity's alias."""
        response = self.client.indices.get_mapping(index=self.alias(entity))
        [mapping] = response.body.values()
        return dict(mapping.get("mappings", {}).get("_meta") or {})

    def schema_drift(self) -> list[str]:
        """What differs between the live mappings' `_meta` and the templates, per entity."""
        drift = []
        for name, entity in ENTITIES.items():
            live, expected = self.live_meta(name), schema_meta(entity)
            changed = [f"{key} {live.get(key)!r} -> {value!r}" for key, value in
                       expected.items() if live.get(key) != value]
            if changed:
                drift.append(f"{name}: {', '.join(changed)}")
        return drift

    def refresh(self, index: str) -> None:
        self.client.indices.refresh(index=index)

    def partition_counts(self, index: str, keys: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        """Documents per partition (the values of `keys`), by a composite aggregation."""
        counts: dict[tuple[str, ...], int] = {}
        after: dict[str, Any] | None = None
        while True:
            composite: dict[str, Any] = {
                "size": COMPOSITE_PAGE,
                "sources": [{key: {"terms": {"field": key}}} for key in keys]}
            if after:
                composite["after"] = after
            response = self.client.search(index=index, size=0, track_total_hits=False,
                                          aggregations={"partitions": {"composite": composite}})
            result = response.body["aggregations"]["partitions"]
            for bucket in result["buckets"]:
                counts[tuple(str(bucket["key"][k]) for k in keys)] = int(bucket["doc_count"])
            after = result.get("after_key")
            if not after or len(result["buckets"]) < COMPOSITE_PAGE:
                return counts
