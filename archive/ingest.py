"""Steps 1 and 2 of `process` for one raw site of a run: read and clean, then set aside.

Raw files are cut into chunks of whole lines (`archive.read`); each chunk is parsed,
cleaned and validated (`archive.clean`) and its articles get their MinHash signatures, in
one thread per core when there is more than one chunk (the work is Arrow and numpy
kernels, which run without the GIL: threads share the language model and the results
without the start-up, the imports and the copies that worker processes cost).
The main process streams the results: rejects to the quarantine, article and comment
rows to a disk spill by partition (cut in the worker: an article under its own site and
month, a comment under its article's when that article is in the same chunk, else
UNROUTED), and keeps per article only its fingerprint (ids, version, dates, signature), so
memory follows the run's article count, not its size.
"""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from archive.clean import ARTICLE_ROWS, COMMENT_ROWS, DONE_SCHEMA, clean_batch, nullable
from archive.dedupe import NUM_PERM, SIGNATURES_SCHEMA, signatures
from archive.quarantine import QuarantineWriter
from archive.read import CHUNK_BYTES, Chunk, chunks, parse
from archive.spill import UNROUTED, Key, Spill, by_key
from crawler.rawzone import item_files

_FINGERPRINT_COLUMNS = ["article_id", "fetched_at", "crawl_run_id", "content_hash",
                        "published_at", "first_seen_at", "site", "month"]
FINGERPRINTS = pa.schema([*(ARTICLE_ROWS.field(n).with_nullable(True)
                            for n in _FINGERPRINT_COLUMNS),
                          SIGNATURES_SCHEMA.field("signature")])


@dataclass
class Ingest:
    """One raw site of a run, cleaned and set aside."""

    articles: Spill  # by partition, as far as the chunk told (see the module's docstring)
    comments: Spill
    fingerprints: pa.Table  # one row per article version of the run (FINGERPRINTS)
    done: pa.Table  # complete reads (DONE_SCHEMA)
    counts: Counter[str] = field(default_factory=Counter)


def _work(chunk: Chunk) -> tuple[Any, ...]:
    """Read, clean and fingerprint one chunk (runs in a worker thread)."""
    parsed = parse(chunk)
    cleaned = clean_batch(parsed.table)
    sigs = signatures(cleaned.articles.column("text").combine_chunks(), cleaned.article_words)
    flat = pa.array(sigs.reshape(-1), pa.uint32())
    prints = cleaned.articles.select(_FINGERPRINT_COLUMNS).append_column(
        "signature", pa.FixedSizeListArray.from_arrays(flat, NUM_PERM))
    cleaned.counts["raw/records"] += parsed.table.num_rows + len(parsed.malformed or ())
    cleaned.counts["raw/broken_lines"] += parsed.broken_lines
    articles = cleaned.articles
    where = pc.index_in(cleaned.comments.column("article_id"),
                        value_set=articles.column("article_id"))
    return (cleaned, prints, parsed.malformed or [],
            by_key(articles, articles.column("site"), articles.column("month")),
            by_key(cleaned.comments, articles.column("site").take(where),
                   articles.column("month").take(where)))


def _results(files: list[Path], workers: int) -> Iterator[tuple[Any, ...]]:
    """`_work` over every chunk of `files`, in input order, at most 2 per worker in flight."""
    work = (chunk for path in files for chunk in chunks(path))
    if workers <= 1:
        yield from map(_work, work)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="clean") as pool:
        pending: deque[Future[Any]] = deque()
        for chunk in work:
            pending.append(pool.submit(_work, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def worker_count(files: list[Path], workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    size = sum(p.stat().st_size for p in files)
    return (os.cpu_count() or 1) if size > CHUNK_BYTES else 1


def ingest_site(site_dir: Path, spill_dir: Path, quarantine: QuarantineWriter,
                workers: int | None) -> Ingest:
    files = item_files(site_dir)
    ingest = Ingest(Spill(spill_dir / "articles", nullable(ARTICLE_ROWS)),
                    Spill(spill_dir / "comments", nullable(COMMENT_ROWS)),
                    FINGERPRINTS.empty_table(), DONE_SCHEMA.empty_table())
    prints, done = [], []
    for cleaned, fingerprints, malformed, articles, comments in _results(
            files, worker_count(files, workers)):
        ingest.counts.update(cleaned.counts)
        quarantine.add_table(cleaned.rejects)
        quarantine.add_malformed(malformed)
        _set_aside(ingest.articles, *articles)
        _set_aside(ingest.comments, *comments)
        prints.append(fingerprints)
        done.append(cleaned.done)
    if prints:
        ingest.fingerprints = pa.concat_tables(prints).cast(FINGERPRINTS)
        ingest.done = pa.concat_tables(done)
    ingest.counts["articles/rows_in"] = len(pc.unique(ingest.fingerprints.column("article_id")))
    return ingest


def _set_aside(spill: Spill, parts: list[tuple[Key, pa.Table, int]], rest: pa.Table) -> None:
    for key, rows, nbytes in parts:
        spill.add(key, rows, nbytes)
    spill.add(UNROUTED, rest)


def signature_matrix_of(fingerprints: pa.Table) -> np.ndarray:
    column = fingerprints.column("signature").combine_chunks()
    return column.flatten().to_numpy(zero_copy_only=False).reshape(-1, NUM_PERM)
