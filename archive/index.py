"""The index step: the Parquet archive into a search backend, incrementally, and checked.

The watermark is the version of every partition file indexed last time (its size and
modification time): a run re-indexes only partitions that `process` replaced since, and
upserts their rows by id, so a rerun never duplicates a document. A fresh index version
is built beside the live one and switched to when it is complete, when asked (`full`), when
there is none, and by itself when the live one no longer matches the schema (the backend's
`schema_drift`: a template changed, a field was added).

The order after the writes matters: publish (the atomic switch), save the state at once,
then remove the replaced versions as a best-effort `cleanup` that a later run retries. A
failed cleanup therefore never makes the next run rebuild.

Every run ends with the completeness check: per partition, the documents the live index
holds against the Parquet rows. A shortfall fails the step (and the Airflow task) with the
numbers and the dead letters by reason, after the run report is written; the index stays
usable. `replay_dead_letters` (`pressarchive index --replay-dead-letters`) sends the
rejected rows again, read afresh from the archive, once the cause is fixed.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from archive.layout import DataDir
from archive.lease import lease
from archive.process import Archive
from archive.reports import update_report
from archive.search.query import SearchQuery, SearchResult
from archive.store import PartitionStore

Partition = tuple[str, ...]


class Backend(Protocol):
    name: str

    def current(self) -> str | None: ...
    def schema_drift(self) -> str | None: ...
    def new_version(self) -> str: ...
    def publish(self, version: str) -> None: ...
    def cleanup(self, version: str) -> dict[str, list[str]]: ...
    def upsert(self, version: str, entity: str, tables: Iterator[pa.Table]) -> int: ...
    def figures(self) -> dict[str, int]: ...
    def count(self, entity: str) -> int: ...
    def partition_counts(self, entity: str, partitions: list[Partition]
                         ) -> dict[Partition, int]: ...
    def pending_dead_letters(self, version: str) -> list[dict[str, Any]]: ...
    def dead_letter_files(self) -> list[Path]: ...
    def retire_dead_letters(self, before: list[Path]) -> int: ...
    def search(self, query: SearchQuery) -> SearchResult: ...


class IndexIncomplete(RuntimeError):
    """The live index holds fewer documents than the archive has rows."""


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


def rebuild_reason(backend: Backend, live: str | None, state: dict[str, Any],
                   full: bool) -> str | None:
    """Why this run builds a new version, or None to update the live one."""
    if full:
        return "full reindex requested"
    if live is None:
        return "no live index yet"
    if state.get("version") != live:
        return (f"the live version {live} is not the one last indexed here "
                f"({state.get('version')}): its watermark cannot be trusted")
    drift = backend.schema_drift()
    return f"schema changed: {drift}" if drift else None


def index(data: DataDir, *, elasticsearch: str | None = None, parquet: str | None = None,
          full: bool = False, run_id: str | None = None) -> dict[str, Any]:
    """Bring the search backend up to date with the archive; returns the figures, or
    raises `IndexIncomplete` (after reporting) when documents are missing."""
    archive = Archive.open(data, parquet)
    backend = open_backend(data, elasticsearch)
    started = time.monotonic()
    with lease(data.state / f"index-{backend.name}.lock"):
        state_path = _state_path(data, backend)
        state = _load_state(state_path)
        live = backend.current()
        reason = rebuild_reason(backend, live, state, full)
        version = live if reason is None and live is not None else backend.new_version()
        seen: dict[str, str] = {} if reason else state.get("partitions", {})
        figures: dict[str, Any] = {"backend": backend.name, "version": version,
                                   "full": reason is not None, "rebuild_reason": reason}
        for entity, store in _stores(archive):
            changed = _changed(store, entity, seen)
            figures[f"{entity}/partitions"] = len(changed)
            figures[f"{entity}/documents"] = backend.upsert(
                version, entity, (store.read(p) for p, _ in changed))
            seen.update({f"{entity}/{'/'.join(p)}": fp for p, fp in changed})
        figures.update(backend.figures())
        if reason:
            backend.publish(version)
        _save_state(state_path, {"version": version, "partitions": seen})
        figures["cleanup"] = backend.cleanup(version)
        check = check_completeness(archive, backend, version)
    return _finish(data, figures, check, started, run_id, f"index:{backend.name}")


def replay_dead_letters(data: DataDir, *, elasticsearch: str | None = None,
                        parquet: str | None = None, run_id: str | None = None
                        ) -> dict[str, Any]:
    """Send the rows behind the pending dead letters again, as the archive holds them now,
    into the live version; then check completeness like `index`."""
    archive = Archive.open(data, parquet)
    backend = open_backend(data, elasticsearch)
    started = time.monotonic()
    with lease(data.state / f"index-{backend.name}.lock"):
        version = backend.current()
        if version is None:
            raise IndexIncomplete("nothing is indexed yet: run `pressarchive index` first")
        before = backend.dead_letter_files()
        letters = backend.pending_dead_letters(version)
        figures: dict[str, Any] = {"backend": backend.name, "version": version,
                                   "dead_letters/replayed": len(letters)}
        for entity, store in _stores(archive):
            keys = sorted({r["key"] for r in letters if r["entity"] == entity and r["key"]})
            rows = store.lookup(store.entity.primary_key, keys, store.schema.names)
            figures[f"{entity}/gone"] = len(keys) - rows.num_rows
            figures[f"{entity}/documents"] = backend.upsert(version, entity, iter([rows]))
        figures.update(backend.figures())
        figures["dead_letters/retired_files"] = backend.retire_dead_letters(before)
        check = check_completeness(archive, backend, version)
    return _finish(data, figures, check, started, run_id, f"index-replay:{backend.name}")


def _stores(archive: Archive) -> list[tuple[str, PartitionStore]]:
    return [("articles", archive.articles), ("comments", archive.comments)]


def _finish(data: DataDir, figures: dict[str, Any], check: Completeness, started: float,
            run_id: str | None, section: str) -> dict[str, Any]:
    """Figures completed, the run report written, then the verdict."""
    figures.update(check.figures())
    figures["seconds"] = round(time.monotonic() - started, 3)
    if run_id:
        update_report(data, run_id, section, figures)
    if check.missing_total:
        raise IndexIncomplete(check.message(figures["backend"]))
    return figures


@dataclass
class Completeness:
    """Documents against Parquet rows, per entity, and the dead letters still pending."""

    rows: Counter[str] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)
    extra: Counter[str] = field(default_factory=Counter)
    short_partitions: dict[str, list[str]] = field(default_factory=dict)
    dead_letters: Counter[str] = field(default_factory=Counter)

    @property
    def missing_total(self) -> int:
        return sum(self.missing.values())

    def figures(self) -> dict[str, int]:
        out = {}
        for entity in sorted(self.rows):
            out[f"{entity}/rows"] = self.rows[entity]
            out[f"{entity}/missing"] = self.missing[entity]
            out[f"{entity}/extra"] = self.extra[entity]
        out["dead_letters/pending"] = sum(self.dead_letters.values())
        out.update({f"dead_letters/pending/{k}": v for k, v in sorted(self.dead_letters.items())})
        return out

    def message(self, backend: str) -> str:
        parts = [f"{self.missing[e]} of {self.rows[e]} {e} missing"
                 f" (in {', '.join(self.short_partitions[e][:3])}"
                 f"{' ...' if len(self.short_partitions[e]) > 3 else ''})"
                 for e in sorted(self.missing) if self.missing[e]]
        if self.dead_letters:
            reasons = ", ".join(f"{n} {k}" for k, n in self.dead_letters.most_common())
            hint = (f"dead letters: {reasons}; fix the cause, then run `pressarchive index "
                    "--replay-dead-letters`")
        else:
            hint = "no dead letter explains it: run `pressarchive reindex`"
        return f"the {backend} index is incomplete: {'; '.join(parts)}; {hint}"


def check_completeness(archive: Archive, backend: Backend, version: str) -> Completeness:
    """Compare the live index with the archive, partition by partition."""
    check = Completeness()
    for entity, store in _stores(archive):
        expected = {p: store.row_count(p) for p in store.partitions()}
        indexed = backend.partition_counts(entity, list(expected))
        check.rows[entity] = sum(expected.values())
        shortfall = {p: n - indexed.get(p, 0) for p, n in expected.items()
                     if n > indexed.get(p, 0)}
        check.missing[entity] = sum(shortfall.values())
        check.short_partitions[entity] = ["/".join(p) for p in sorted(shortfall)]
        matched = sum(min(n, indexed.get(p, 0)) for p, n in expected.items())
        check.extra[entity] = max(0, backend.count(entity) - matched)
    by_reason: defaultdict[str, int] = defaultdict(int)
    for record in backend.pending_dead_letters(version):
        by_reason[record.get("error_type") or "error"] += 1
    check.dead_letters.update(by_reason)
    return check


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
