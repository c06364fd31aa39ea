"""The index step: the Parquet archive into a search backend, incrementally.

The watermark is the version of every partition file indexed last time (its size and
modification time): a run re-indexes only partitions that `process` replaced since, and
upserts their rows by id, so a rerun never duplicates a document. `full=True` builds a
fresh index version beside the live one and switches to it only when it is complete.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from archive.layout import DataDir
from archive.lease import lease
from archive.process import Archive
from archive.reports import update_report
from archive.search.query import SearchQuery, SearchResult
from archive.store import PartitionStore


class Backend(Protocol):
    name: str

    def current(self) -> str | None: ...
    def new_version(self) -> str: ...
    def publish(self, version: str) -> None: ...
    def upsert(self, version: str, entity: str, tables: Iterator[pa.Table]) -> int: ...
    def search(self, query: SearchQuery) -> SearchResult: ...


def open_backend(data: DataDir, elasticsearch: str | None = None) -> Backend:
    """Elasticsearch when a URL is given (or `ELASTICSEARCH_URL` is set), else tantivy."""
    url = elasticsearch or os.environ.get("ELASTICSEARCH_URL")
    if url:
        from archive.search.elasticsearch_backend import ElasticsearchBackend

        return ElasticsearchBackend.from_env(url, data=data)
    from archive.search.tantivy_index import TantivyIndex

    return TantivyIndex(data.index)


def _state_path(data: DataDir, backend: Backend) -> Path:
    return data.state / f"index-{backend.name}.json"


def _load_state(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def _save_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(json.dumps(state, indent=1, sort_keys=True))
    staging.replace(path)


def index(data: DataDir, *, elasticsearch: str | None = None, parquet: str | None = None,
          full: bool = False, run_id: str | None = None) -> dict[str, Any]:
    """Bring the search backend up to date with the archive; returns the figures."""
    archive = Archive.open(data, parquet)
    backend = open_backend(data, elasticsearch)
    started = time.monotonic()
    with lease(data.state / f"index-{backend.name}.lock"):
        state_path = _state_path(data, backend)
        state = _load_state(state_path)
        rebuild = full or backend.current() is None or state.get("version") != backend.current()
        version = backend.new_version() if rebuild else backend.current()
        seen: dict[str, str] = {} if rebuild else state.get("partitions", {})
        figures: dict[str, Any] = {"backend": backend.name, "version": version,
                                   "full": rebuild}
        for entity, store in (("articles", archive.articles), ("comments", archive.comments)):
            changed = _changed(store, entity, seen)
            figures[f"{entity}/partitions"] = len(changed)
            figures[f"{entity}/documents"] = backend.upsert(
                version, entity, (store.read(p) for p, _ in changed))
            seen.update({f"{entity}/{'/'.join(p)}": fp for p, fp in changed})
        figures.update(getattr(backend, "stats", {}))  # e.g. Elasticsearch per-item failures
        if rebuild:
            backend.publish(version)
        _save_state(state_path, {"version": version, "partitions": seen})
    figures["seconds"] = round(time.monotonic() - started, 3)
    if run_id:
        update_report(data, run_id, f"index:{backend.name}", figures)
    return figures


def _changed(store: PartitionStore, entity: str,
             seen: dict[str, str]) -> list[tuple[tuple[str, ...], str]]:
    changed = []
    for partition in store.partitions():
        fingerprint = store.fingerprint(partition)
        if fingerprint and seen.get(f"{entity}/{'/'.join(partition)}") != fingerprint:
            changed.append((partition, fingerprint))
    return changed


def search(data: DataDir, query: SearchQuery, *, elasticsearch: str | None = None
           ) -> SearchResult:
    return open_backend(data, elasticsearch).search(query)
