"""Bulk loading with `elasticsearch.helpers.streaming_bulk`, every item accounted for.

Chunks are cut by count and by bytes. Items rejected with 429 (write queue full) or a
5xx are re-sent alone, after a backoff that doubles from `initial_backoff` up to
`max_backoff`, at most `max_retries` times; a whole bulk request failing with one of those
statuses is retried the same way (its documents are then reported one by one), and
connection errors by the transport. Nothing retries forever.

No single document can stop a load:

- a document whose serialised source is larger than `max_request_bytes` (the cluster's
  `http.max_content_length`, 100 MB by default) is dead-lettered without being sent;
- a permanent per-item failure (400 `mapper_parsing_exception`, ...) is dead-lettered and
  the load goes on; so are the documents of a request refused as a whole for a reason that
  retrying cannot cure (413 when the cluster's limit is lower than configured here);
- a transient failure that outlasted the retries (429 backpressure, a flood-stage
  `cluster_block_exception`, 5xx) is dead-lettered too, then `BulkFailed` stops the load,
  since the cluster is unhealthy and the next documents would fail the same way. The index
  step saves its watermark only after success, so a rerun sends these rows again.

`created` and `updated` come from the per-item results; a retried request can report a
document it created on the first attempt as `updated`, so the count check before a swap
compares the index with the number of distinct ids written (`BulkStats.distinct`, kept as
8-byte digests: about 8 MB per million documents), never with `created`.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from archive.search.es_dead_letter import DeadLetter
from archive.search.es_documents import BulkDoc
from archive.search.es_errors import BulkFailed, error_summary, translated

HTTP_MAX_CONTENT_LENGTH = 100 * 1024 * 1024  # Elasticsearch's default
# One document travels with its action line and two newlines; keep room for them.
REQUEST_OVERHEAD = 4096


@dataclass(frozen=True)
class BulkOptions:
    chunk_size: int = 500
    max_chunk_bytes: int = 10 * 1024 * 1024
    max_request_bytes: int = HTTP_MAX_CONTENT_LENGTH
    max_retries: int = 5
    initial_backoff: float = 2.0
    max_backoff: float = 60.0
    retry_on_status: tuple[int, ...] = (429, 500, 502, 503, 504)


DEFAULT_BULK = BulkOptions()


@dataclass
class BulkStats:
    """What one load did: `ok` documents written (`created` new, `updated` replaced)."""

    ok: int = 0
    created: int = 0
    updated: int = 0
    failed: int = 0
    failed_by_type: Counter[str] = field(default_factory=Counter)
    digests: array = field(default_factory=lambda: array("Q"))

    def written(self, doc_id: str) -> None:
        digest = hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest()
        self.digests.append(int.from_bytes(digest, "little"))

    def distinct(self) -> int:
        """How many different documents were written."""
        return len(np.unique(np.frombuffer(self.digests, dtype=np.uint64)))

    def add(self, other: BulkStats) -> None:
        self.ok += other.ok
        self.created += other.created
        self.updated += other.updated
        self.failed += other.failed
        self.failed_by_type.update(other.failed_by_type)
        self.digests.extend(other.digests)

    def figures(self, prefix: str) -> dict[str, int]:
        out = {f"{prefix}/indexed": self.created, f"{prefix}/updated": self.updated,
               f"{prefix}/dead_lettered": self.failed}
        out.update({f"{prefix}/dead_lettered/{k}": v
                    for k, v in sorted(self.failed_by_type.items())})
        return out


class _Pending:
    """Documents sent but not yet answered, by `_id`: the helper's failure reports do not
    carry the archive row, and retried items are answered out of order."""

    def __init__(self) -> None:
        self._by_id: dict[str, deque[BulkDoc]] = {}

    def add(self, doc: BulkDoc) -> None:
        self._by_id.setdefault(doc.doc_id, deque()).append(doc)

    def pop(self, doc_id: str | None) -> BulkDoc | None:
        queue = self._by_id.get(doc_id or "")
        if not queue:
            return None
        doc = queue.popleft()
        if not queue:
            del self._by_id[doc_id or ""]
        return doc


class _Load:
    def __init__(self, dead_letter: DeadLetter, entity: str, version: str,
                 options: BulkOptions) -> None:
        self.dead_letter, self.entity, self.version = dead_letter, entity, version
        self.options = options
        self.stats = BulkStats()
        self.pending = _Pending()

    def admit(self, docs: Iterable[BulkDoc]) -> Iterator[dict[str, Any]]:
        """The actions to send; oversize documents go straight to the dead letter."""
        limit = self.options.max_request_bytes - REQUEST_OVERHEAD
        for doc in docs:
            if doc.size > limit:
                self.reject(doc, {"_id": doc.doc_id, "_index": doc.action["_index"],
                                  "status": 413, "error": {
                                      "type": "document_too_large",
                                      "reason": f"{doc.size} bytes of source, over the "
                                                f"{self.options.max_request_bytes} bytes "
                                                "one request may carry "
                                                "(http.max_content_length)"}})
                continue
            self.pending.add(doc)
            yield doc.action

    def reject(self, doc: BulkDoc | None, info: dict[str, Any]) -> dict[str, Any]:
        record = self.dead_letter.write(
            entity=self.entity, version=self.version, key=doc.key if doc else None,
            partition=doc.partition if doc else None,
            source=doc.action["_source"] if doc else None, item=info)
        self.stats.failed += 1
        self.stats.failed_by_type[record["error_type"]] += 1
        return record

    def answer(self, ok: bool, item: dict[str, Any]) -> None:
        _op, info = next(iter(item.items()))
        doc = self.pending.pop(info.get("_id"))
        if ok:
            self.stats.ok += 1
            self.stats.written(str(info.get("_id")))
            self.stats.created += info.get("result") == "created"
            self.stats.updated += info.get("result") == "updated"
            return
        self.reject(doc, info)
        if info.get("status") in self.options.retry_on_status:
            raise BulkFailed(_transient_message(info, self.options, self.stats,
                                                self.dead_letter))


def load(client: Any, docs: Iterable[BulkDoc], dead_letter: DeadLetter, *, entity: str,
         version: str, options: BulkOptions = DEFAULT_BULK, url: str = "") -> BulkStats:
    """Send `docs`; returns the figures, raises `BulkFailed` on a transient failure that
    outlasted the retries and `ElasticsearchUnavailable` when the cluster cannot be reached."""
    from elasticsearch.helpers import streaming_bulk

    run = _Load(dead_letter, entity, version, options)
    results = streaming_bulk(
        client, run.admit(docs),
        chunk_size=options.chunk_size, max_chunk_bytes=options.max_chunk_bytes,
        max_retries=options.max_retries, initial_backoff=options.initial_backoff,
        max_backoff=options.max_backoff, retry_on_status=options.retry_on_status,
        raise_on_error=False, raise_on_exception=False, yield_ok=True)
    with translated("bulk index documents", url):
        for ok, item in results:
            run.answer(ok, item)
    return run.stats


def _transient_message(info: dict[str, Any], options: BulkOptions, stats: BulkStats,
                       dead_letter: DeadLetter) -> str:
    kind, reason = error_summary(info.get("exception") or info.get("error", ""))
    hint = ("the disk passed the flood-stage watermark: free disk space, then rerun"
            if "flood" in reason or "read_only_allow_delete" in reason
            else "the cluster is overloaded or unhealthy: rerun later")
    return (f"Elasticsearch kept rejecting documents with HTTP {info.get('status')} {kind} "
            f"after {options.max_retries} retries ({reason[:300]}); {hint}. "
            f"{stats.ok} documents were written, {stats.failed} dead-lettered in "
            f"{dead_letter.path}")
