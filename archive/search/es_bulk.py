"""Bulk loading with `elasticsearch.helpers.streaming_bulk`, every item accounted for.

Chunks are cut by count and by bytes. Items rejected with 429 (write queue full) or a
5xx are re-sent alone, after a backoff that doubles from `initial_backoff` up to
`max_backoff`, at most `max_retries` times; a whole bulk request failing with one of those
statuses is retried the same way, and connection errors by the transport. Nothing retries
forever.

`raise_on_error=False`, so one bad document never stops the rest: each failed item goes to
the dead-letter file and is counted. Two kinds of failure are told apart:

- permanent (400 `mapper_parsing_exception`, 413 ...): not retried, dead-lettered, the run
  goes on;
- transient that outlasted the retries (429 backpressure, a flood-stage
  `cluster_block_exception`, 5xx): dead-lettered too, then `BulkFailed` stops the load,
  since the cluster is unhealthy and the next documents would fail the same way. The index
  step saves its watermark only after success, so a rerun sends these rows again.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from archive.search.es_dead_letter import DeadLetter
from archive.search.es_errors import BulkFailed, error_summary, translated


@dataclass(frozen=True)
class BulkOptions:
    chunk_size: int = 500
    max_chunk_bytes: int = 10 * 1024 * 1024
    max_retries: int = 5
    initial_backoff: float = 2.0
    max_backoff: float = 60.0
    retry_on_status: tuple[int, ...] = (429, 502, 503, 504)


DEFAULT_BULK = BulkOptions()


@dataclass
class BulkStats:
    """What one load did: `ok` documents written, `created` of them new to the index."""

    ok: int = 0
    created: int = 0
    failed: int = 0
    failed_by_type: Counter[str] = field(default_factory=Counter)

    def figures(self, prefix: str) -> dict[str, int]:
        out = {f"{prefix}/ok": self.ok, f"{prefix}/failed": self.failed}
        out.update({f"{prefix}/failed/{k}": v for k, v in sorted(self.failed_by_type.items())})
        return out


class _Pending:
    """Actions sent but not yet answered, by id: the helper's failure reports do not carry
    the document, and retried items are answered out of order."""

    def __init__(self) -> None:
        self._by_id: dict[str, deque[dict[str, Any]]] = {}

    def track(self, actions: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for action in actions:
            self._by_id.setdefault(action["_id"], deque()).append(action)
            yield action

    def pop(self, doc_id: str | None) -> dict[str, Any] | None:
        queue = self._by_id.get(doc_id or "")
        if not queue:
            return None
        action = queue.popleft()
        if not queue:
            del self._by_id[doc_id or ""]
        return action


def load(client: Any, actions: Iterable[dict[str, Any]], dead_letter: DeadLetter, *,
         options: BulkOptions = DEFAULT_BULK, url: str = "") -> BulkStats:
    """Send `actions`; returns the figures, raises `BulkFailed` on a transient failure that
    outlasted the retries and `ElasticsearchUnavailable` when the cluster cannot be reached."""
    from elasticsearch.helpers import streaming_bulk

    stats, pending = BulkStats(), _Pending()
    results = streaming_bulk(
        client, pending.track(actions),
        chunk_size=options.chunk_size, max_chunk_bytes=options.max_chunk_bytes,
        max_retries=options.max_retries, initial_backoff=options.initial_backoff,
        max_backoff=options.max_backoff, retry_on_status=options.retry_on_status,
        raise_on_error=False, raise_on_exception=True, yield_ok=True)
    with translated("bulk index documents", url):
        for ok, item in results:
            _op, info = next(iter(item.items()))
            action = pending.pop(info.get("_id"))
            if ok:
                stats.ok += 1
                stats.created += info.get("result") == "created"
                continue
            record = dead_letter.write(action, info)
            stats.failed += 1
            stats.failed_by_type[record["error_type"]] += 1
            if info.get("status") in options.retry_on_status:
                raise BulkFailed(_transient_message(info, options, stats, dead_letter))
    return stats


def _transient_message(info: dict[str, Any], options: BulkOptions, stats: BulkStats,
                       dead_letter: DeadLetter) -> str:
    kind, reason = error_summary(info.get("error", ""))
    hint = ("the disk passed the flood-stage watermark: free disk space, then rerun"
            if "flood" in reason or "read_only_allow_delete" in reason
            else "the cluster is overloaded or unhealthy: rerun later")
    return (f"Elasticsearch kept rejecting documents with HTTP {info.get('status')} {kind} "
            f"after {options.max_retries} retries ({reason[:300]}); {hint}. "
            f"{stats.ok} documents were written, {stats.failed} dead-lettered in "
            f"{dead_letter.path}")
