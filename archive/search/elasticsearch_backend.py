"""The Elasticsearch search backend: the `Backend` protocol of `archive.index` over a cluster.

Versions are versioned indices behind the `<prefix>-articles` and `<prefix>-comments`
aliases (`es_indices`); rows go in through `streaming_bulk` with explicit ids and a dead
letter (`es_bulk`); searches translate the one query model (`es_query`). A full load
creates a version, upserts into it with refresh off, and `publish` checks the document
counts against what was loaded before it swaps both aliases at once. Incremental upserts
write into the live version by id.

Every client error leaves this module as a one-line `ElasticsearchError`.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from archive.layout import DataDir
from archive.search.es_bulk import DEFAULT_BULK, BulkOptions, load
from archive.search.es_config import ElasticsearchSettings, connect
from archive.search.es_dead_letter import DeadLetter
from archive.search.es_documents import bulk_actions
from archive.search.es_errors import ElasticsearchError, translated
from archive.search.es_indices import Indices
from archive.search.es_query import to_query_body, to_result
from archive.search.query import SearchQuery, SearchResult
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
        self.dead_letter = DeadLetter(dead_letters)
        self.bulk = bulk
        self.loaded: Counter[tuple[str, str]] = Counter()  # (version, entity) -> new docs
        self.stats: Counter[str] = Counter()

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

    def new_version(self) -> str:
        """Fresh, empty versioned indices for a full load: refresh off, no replicas."""
        self.setup()
        version = new_version_name()
        with translated(f"create the indices of version {version}", self.url):
            self.indices.create(version)
        logger.info("created Elasticsearch indices for version %s", version)
        return version

    def publish(self, version: str) -> None:
        """Make `version` live: live settings back, refresh, check the counts, swap both
        aliases in one atomic request, then delete the indices it replaced."""
        with translated(f"publish version {version}", self.url):
            self.indices.finish_load(version)
            self._check_counts(version)
            replaced = self.indices.swap(version)
            logger.info("aliases now point at version %s", version)
            self.indices.delete(sorted(set(replaced) | set(self.indices.stale(version))))

    def _check_counts(self, version: str) -> None:
        for entity in ENTITIES:
            index = self.indices.index(entity, version)
            actual = self.indices.count(index)
            if (version, entity) not in self.loaded:
                logger.warning("%s: nothing loaded by this process, count %d not checked",
                               index, actual)
                continue
            expected = self.loaded[(version, entity)]
            if actual != expected:
                raise ElasticsearchError(
                    f"{index} holds {actual} documents but {expected} were loaded; the "
                    "aliases still point at the previous version, rerun the full reindex")

    # --- writing ---------------------------------------------------------------------

    def upsert(self, version: str, entity: str, tables: Iterable[pa.Table]) -> int:
        """Index or replace rows by primary key; returns the number of documents written.
        Rejected documents are in the dead letter and counted in `stats`."""
        index = self.indices.index(entity, version)
        actions = bulk_actions(tables, ENTITIES[entity], index)
        try:
            stats = load(self.client, actions, self.dead_letter, options=self.bulk,
                         url=self.url)
        finally:
            self._report_dead_letters()
        self.loaded[(version, entity)] += stats.created
        self.stats.update(stats.figures(entity))
        return stats.ok

    def _report_dead_letters(self) -> None:
        if self.dead_letter.count:
            logger.warning("%d documents rejected by Elasticsearch so far (%s), see %s",
                           self.dead_letter.count, dict(self.dead_letter.by_type),
                           self.dead_letter.path)

    # --- reading ---------------------------------------------------------------------

    def count(self, entity: str) -> int:
        from elasticsearch import NotFoundError

        with translated(f"count {entity}", self.url):
            try:
                return self.indices.count(self.indices.alias(entity))
            except NotFoundError:
                return 0

    def search(self, query: SearchQuery) -> SearchResult:
        from elasticsearch import NotFoundError

        with translated(f"search {query.kind}", self.url):
            try:
                response = self.client.search(index=self.indices.alias(query.kind),
                                              body=to_query_body(query))
            except NotFoundError:
                return SearchResult(0)
        return to_result(query, response.body)
