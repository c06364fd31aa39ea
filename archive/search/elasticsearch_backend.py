"""The Elasticsearch search backend: the `Backend` protocol of `archive.index` over a cluster.

Versions are versioned indices behind the `<prefix>-articles` and `<prefix>-comments`
aliases (`es_indices`); rows go in through `streaming_bulk` with explicit ids and a dead
letter (`es_bulk`); searches translate the one query model (`es_query`). A full load
creates a version, upserts into it with refresh off, and `publish` checks the document
counts against what was loaded before it swaps both aliases at once. Removing the indices
a swap replaced is `cleanup`, a separate, best-effort step: a failure there is logged and
retried by the next run, never a reason to rebuild. Incremental upserts write into the
live version by id.

Every client error leaves this module as a one-line `ElasticsearchError`.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from archive.layout import DataDir
from archive.search import es_dead_letter
from archive.search.es_bulk import DEFAULT_BULK, BulkOptions, BulkStats, load
from archive.search.es_config import ElasticsearchSettings, connect
from archive.search.es_dead_letter import DeadLetter
from archive.search.es_documents import bulk_actions
from archive.search.es_errors import ElasticsearchError, translated
from archive.search.es_indices import Indices
from archive.search.es_query import PIT_KEEP_ALIVE, last_sort, to_query_body, to_result
from archive.search.query import (
    CursorError,
    SearchQuery,
    SearchResult,
    decode_cursor,
    encode_cursor,
)
from schemas.elasticsearch import DEFAULT_PREFIX
from schemas.records import ENTITIES

logger = logging.getLogger(__name__)


def dead_letter_dir(data: DataDir) -> Path:
    return data.state / "elasticsearch" / "dead-letter"


def new_version_name(now: datetime | None = None) -> str:
    """`v<UTC yyyymmddHHMMSSffffff>-<6 hex>`: lowercase (index names must be), sortable by time."""
    return f"v{(now or datetime.now(UTC)):%Y%m%d%H%M%S%f}-{uuid.uuid4().hex[:6]}"


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, client: Any, *, url: str, dead_letters: Path,
                 prefix: str = DEFAULT_PREFIX, replicas: int | None = None,
                 bulk: BulkOptions = DEFAULT_BULK) -> None:
        self.client = client
        self.url = url
        self.indices = Indices(client, prefix=prefix, replicas=replicas)
        self.dead_letters = dead_letters
        self.dead_letter = DeadLetter(dead_letters)
        self.bulk = bulk
        self.loads: defaultdict[tuple[str, str], BulkStats] = defaultdict(BulkStats)

    @classmethod
    def from_env(cls, url: str | None = None, *, data: DataDir,
                 environ: Mapping[str, str] | None = None) -> ElasticsearchBackend:
        """The backend for `url` (else `ELASTICSEARCH_URL`), credentials from the environment."""
        settings = ElasticsearchSettings.from_env(url, environ)
        return cls(connect(settings), url=settings.url, dead_letters=dead_letter_dir(data),
                   prefix=settings.index_prefix, replicas=settings.replicas)

    def close(self) -> None:
        self.client.close()

    # --- versions --------------------------------------------------------------------

    def setup(self) -> None:
        """Install or update the index templates (idempotent)."""
        with translated("install the index templates", self.url):
            self.indices.install_templates()

    def current(self) -> str | None:
        with translated("read the index aliases", self.url):
            return self.indices.current()

    def schema_drift(self) -> str | None:
        """Why the live indices no longer match the templates, or None when they do."""
        with translated("read the live mappings to compare them with the templates", self.url):
            return "; ".join(self.indices.schema_drift()) or None

    def new_version(self) -> str:
        """Fresh, empty versioned indices for a full load: refresh off, no replicas."""
        self.setup()
        version = new_version_name()
        with translated(f"create the indices of version {version}", self.url):
            self.indices.create(version)
        logger.info("created Elasticsearch indices for version %s", version)
        return version

    def publish(self, version: str) -> None:
        """Make `version` live: live settings back, refresh, check the counts, then swap
        both aliases in one atomic request. Dead letters of earlier versions become moot."""
        with translated(f"publish version {version}", self.url):
            self.indices.finish_load(version)
            self._check_counts(version)
            self.indices.swap(version)
        logger.info("aliases now point at version %s", version)
        earlier = [p for p in es_dead_letter.pending_files(self.dead_letters)
                   if p != self.dead_letter.path]
        es_dead_letter.retire(earlier)

    def _check_counts(self, version: str) -> None:
        for entity in ENTITIES:
            index = self.indices.index(entity, version)
            actual = self.indices.count(index)
            if (version, entity) not in self.loads:
                logger.warning("%s: nothing loaded by this process, count %d not checked",
                               index, actual)
                continue
            expected = self.loads[(version, entity)].distinct()
            if actual != expected:
                raise ElasticsearchError(
                    f"{index} holds {actual} documents but {expected} were written; the "
                    "aliases still point at the previous version, rerun the full reindex")

    def cleanup(self, version: str) -> dict[str, list[str]]:
        """Delete the indices of versions older than `version` that no alias holds; best
        effort: what cannot be deleted now is logged and left for the next run."""
        removed: list[str] = []
        failed: list[str] = []
        try:
            with translated("list the versioned indices", self.url):
                stale = self.indices.stale(version)
        except ElasticsearchError as exc:
            logger.warning("old index versions not cleaned up (next run retries): %s", exc)
            return {"removed": removed, "failed": ["<listing>"]}
        for name in stale:
            try:
                with translated(f"delete the replaced index {name}", self.url):
                    self.indices.delete([name])
                removed.append(name)
            except ElasticsearchError as exc:
                logger.warning("%s; the next run retries", exc)
                failed.append(name)
        return {"removed": removed, "failed": failed}

    # --- writing ---------------------------------------------------------------------

    def upsert(self, version: str, entity: str, tables: Iterable[pa.Table]) -> int:
        """Index or replace rows by primary key; returns the number of documents written.
        Rejected documents are in the dead letter and counted in `figures()`."""
        index = self.indices.index(entity, version)
        docs = bulk_actions(tables, ENTITIES[entity], index)
        try:
            stats = load(self.client, docs, self.dead_letter, entity=entity, version=version,
                         options=self.bulk, url=self.url)
        finally:
            self._report_dead_letters()
        self.loads[(version, entity)].add(stats)
        return stats.ok

    def figures(self) -> dict[str, int]:
        """Indexed, updated and dead-lettered documents per entity, by this process."""
        totals: defaultdict[str, BulkStats] = defaultdict(BulkStats)
        for (_version, entity), stats in self.loads.items():
            totals[entity].add(stats)
        out: dict[str, int] = {}
        for entity, stats in sorted(totals.items()):
            out.update(stats.figures(entity))
        return out

    def _report_dead_letters(self) -> None:
        if self.dead_letter.count:
            logger.warning("%d documents rejected by Elasticsearch so far (%s), see %s",
                           self.dead_letter.count, dict(self.dead_letter.by_type),
                           self.dead_letter.path)

    # --- dead letters ------------------------------------------------------------------

    def pending_dead_letters(self, version: str) -> list[dict[str, Any]]:
        return es_dead_letter.pending(self.dead_letters, version)

    def retire_dead_letters(self, before: list[Path]) -> int:
        """Retire the pending files listed before a replay (the replay's own stay)."""
        return es_dead_letter.retire(p for p in before if p != self.dead_letter.path)

    def dead_letter_files(self) -> list[Path]:
        return es_dead_letter.pending_files(self.dead_letters)

    # --- reading ---------------------------------------------------------------------

    def count(self, entity: str) -> int:
        from elasticsearch import NotFoundError

        with translated(f"count {entity}", self.url):
            try:
                return self.indices.count(self.indices.alias(entity))
            except NotFoundError:
                return 0

    def partition_counts(self, entity: str, partitions: list[tuple[str, ...]]
                         ) -> dict[tuple[str, ...], int]:
        """Documents per partition in the live version (after a refresh, so that what was
        just written counts)."""
        alias = self.indices.alias(entity)
        with translated(f"count the {entity} per partition", self.url):
            self.indices.refresh(alias)
            counts = self.indices.partition_counts(alias, ENTITIES[entity].partition_by)
        return {p: counts.get(p, 0) for p in partitions}

    def search(self, query: SearchQuery) -> SearchResult:
        """One page. The first answers from the alias; a cursor page reads a point in time
        (opened by the first cursor page, closed by the last), so that deep paging sees one
        unchanging index; an ordinary search therefore never leaves a point in time open."""
        from elasticsearch import NotFoundError

        query.check_window()
        alias = self.indices.alias(query.kind)
        with translated(f"search {query.kind}", self.url):
            if query.after is None:
                try:
                    response = self.client.search(index=alias, body=to_query_body(query)).body
                except NotFoundError:
                    return SearchResult(0)
                return self._page(query, response, None, query.offset)
            state = decode_cursor(query, self.name)
            pit = state.get("pit") or self.client.open_point_in_time(
                index=alias, keep_alive=PIT_KEEP_ALIVE).body["id"]
            try:
                response = self.client.search(body=to_query_body(
                    query, pit=pit, search_after=state["s"])).body
            except NotFoundError as exc:
                raise CursorError("the cursor expired (it lives for "
                                  f"{PIT_KEEP_ALIVE} between pages) or the index was rebuilt "
                                  "since: run the search again") from exc
            return self._page(query, response, response.get("pit_id", pit), int(state["n"]))

    def _page(self, query: SearchQuery, response: dict[str, Any], pit: str | None,
              before: int) -> SearchResult:
        """The result, with a cursor when hits remain past it."""
        result = to_result(query, response)
        seen = before + len(result.hits)
        if seen < result.total and result.hits:
            state = {"s": last_sort(response), "n": seen}
            result.next = encode_cursor(query, self.name, {**state, "pit": pit} if pit else state)
        elif pit is not None:  # expired already is as good as closed
            self.client.options(ignore_status=404).close_point_in_time(id=pit)
        return result
