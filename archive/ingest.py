"""Step 1 of `process`: the raw records of a run, cleaned, validated and set aside.

Raw records stream through clean/validate (`archive.records`; in worker processes for big
runs); each article gets its MinHash signature; rejects go to the quarantine; article rows
are spilled by (site, month) partition and comments in arrival order, and only the newest
version of each article is remembered (`Ingest.newest`), so memory follows the run's
article count, not its size.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from archive.dedupe import fingerprint_table, signatures
from archive.layout import DataDir
from archive.merge import version_key
from archive.quarantine import QuarantineWriter
from archive.records import Rejected, clean_article, clean_comment
from archive.spill import ALL, Spill, nullable
from archive.store import Partition
from crawler.rawzone import RawReadStats, item_files, read_items
from schemas.arrow import arrow_schema
from schemas.records import ARTICLE, COMMENT

Row = dict[str, Any]
CHUNK_RECORDS = 200  # records per unit of work sent to a cleaning worker
PARALLEL_MIN_BYTES = 16 * 1024 * 1024  # raw input below this is cleaned in-process
COMMENTS_IN_SCHEMA = nullable(arrow_schema(COMMENT), [pa.field("_raw", pa.large_string())])


def _records(data: DataDir, run_id: str, stats: RawReadStats) -> Iterator[Row]:
    for site in data.raw_sites(run_id):
        yield from read_items(site, stats)


@dataclass
class _Newest:
    """The newest version of an article within the run, and where its rows were spilled."""

    version: tuple[Any, ...]
    partition: Partition
    first_seen: datetime
    meta: Row
    signature: np.ndarray
    spilled: set[Partition] = field(default_factory=set)


@dataclass
class Ingest:
    articles: Spill
    comments: Spill
    newest: dict[str, _Newest] = field(default_factory=dict)
    comment_articles: set[str] = field(default_factory=set)
    home: dict[str, Partition] = field(default_factory=dict)  # set by the plan
    routed: Spill | None = None

    def fingerprints(self) -> pa.Table:
        ids = sorted(self.newest)
        metas = [{**self.newest[a].meta, "first_seen_at": self.newest[a].first_seen}
                 for a in ids]
        sigs = (np.stack([self.newest[a].signature for a in ids]) if ids
                else np.zeros((0, 128), np.uint32))
        return fingerprint_table(metas, sigs)


def _clean_chunk(records: list[Row]) -> tuple[list[tuple[Row | Rejected | None, bytes | None]],
                                              Counter[str]]:
    """Clean one chunk of raw records; articles get their MinHash signature."""
    counts: Counter[str] = Counter()
    out: list[tuple[Row | Rejected | None, bytes | None]] = []
    texts, slots = [], []
    for record in records:
        kind = record.get("type")
        row: Row | Rejected | None
        if kind == "article":
            row = clean_article(record, counts)
            if not isinstance(row, Rejected):
                slots.append(len(out))
                texts.append(row["text"])
        elif kind == "comment":
            row = clean_comment(record, counts)
        elif kind == "done":
            row = None
        else:
            row = Rejected("articles", "unknown_record_type", record)
        out.append((row, None))
    for slot, sig in zip(slots, signatures(texts), strict=True):
        out[slot] = (out[slot][0], sig.tobytes())
    return out, counts


def _chunks(records: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _cleaned(records: Iterator[Row], workers: int, counts: Counter[str]) -> Iterator[
    tuple[Row, Row | Rejected | None, bytes | None]
]:
    """(raw record, cleaned row or rejection, signature) in input order."""
    chunks = _chunks(records, CHUNK_RECORDS)
    if workers <= 1:
        for chunk in chunks:
            results, chunk_counts = _clean_chunk(chunk)
            counts.update(chunk_counts)
            for raw, (row, sig) in zip(chunk, results, strict=True):
                yield raw, row, sig
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[tuple[list[Row], Future[Any]]] = deque()

        def drain() -> Iterator[tuple[Row, Row | Rejected | None, bytes | None]]:
            chunk, future = pending.popleft()
            results, chunk_counts = future.result()
            counts.update(chunk_counts)
            for raw, (row, sig) in zip(chunk, results, strict=True):
                yield raw, row, sig

        for chunk in chunks:
            pending.append((chunk, pool.submit(_clean_chunk, chunk)))
            if len(pending) >= 4 * workers:  # bounded: never the whole run in flight
                yield from drain()
        while pending:
            yield from drain()


def _workers(data: DataDir, run_id: str, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    size = sum(p.stat().st_size for site in data.raw_sites(run_id) for p in item_files(site))
    return (os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1


def ingest_run(data: DataDir, run_id: str, spill_dir: Path, counts: Counter[str],
            quarantine: QuarantineWriter, workers: int | None) -> Ingest:
    stats = RawReadStats()
    ingest = Ingest(articles=Spill(spill_dir / "articles", nullable(arrow_schema(ARTICLE))),
                    comments=Spill(spill_dir / "comments-in", COMMENTS_IN_SCHEMA))
    for raw, row, sig in _cleaned(_records(data, run_id, stats),
                                  _workers(data, run_id, workers), counts):
        kind = raw.get("type")
        if kind == "done":
            continue
        counts[f"{kind if kind in ('article', 'comment') else 'unknown'}/in"] += 1
        if isinstance(row, Rejected):
            quarantine.add(row)
        elif kind == "article" and row is not None and sig is not None:
            _take_article(ingest, row, np.frombuffer(sig, np.uint32))
        elif kind == "comment" and row is not None:
            ingest.comments.add(ALL, {**row, "_raw": json.dumps(raw, ensure_ascii=False)})
            ingest.comment_articles.add(row["article_id"])
    counts["raw/records"], counts["raw/broken_lines"] = stats.lines, stats.broken_lines
    counts["articles/rows_in"] = len(ingest.newest)
    return ingest


def _take_article(ingest: Ingest, row: Row, signature: np.ndarray) -> None:
    partition = (row["site"], row["month"])
    ingest.articles.add(partition, row)
    version = version_key(row["fetched_at"], row["crawl_run_id"], row["content_hash"])
    known = ingest.newest.get(row["article_id"])
    if known is None or version > known.version:
        meta = {k: row[k] for k in ("article_id", "fetched_at", "crawl_run_id",
                                    "content_hash", "published_at")}
        first_seen = row["first_seen_at"] if known is None else min(known.first_seen,
                                                                    row["first_seen_at"])
        spilled = set() if known is None else known.spilled
        known = ingest.newest[row["article_id"]] = _Newest(version, partition, first_seen,
                                                           meta, signature, spilled)
    else:
        known.first_seen = min(known.first_seen, row["first_seen_at"])
    known.spilled.add(partition)
