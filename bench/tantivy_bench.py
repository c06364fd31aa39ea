"""(d) The embedded index: documents per second into tantivy, query latency p50/p99.

`DOCUMENTS` synthetic articles (about 600 words, 20 sites, three years) are indexed in
chunks of 10,000 rows through `TantivyIndex.upsert`, as `pressarchive index` does; then
`QUERIES` queries run through `TantivyIndex.search`: one or two words drawn from the
vocabulary's middle ranks, alone and with a random one-to-three-month date range.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import statistics
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from archive.search.query import SearchQuery
from archive.search.tantivy_index import TantivyIndex
from bench.synthetic import SITES, START, VOCABULARY, _Words
from schemas.arrow import ARTICLE_SCHEMA

CHUNK = 10_000
SPAN_DAYS = 3 * 365


def _rows(start: int, count: int) -> list[dict[str, Any]]:
    rows = []
    for number in range(start, start + count):
        words = _Words(number, 700)
        text = "\n\n".join(words.paragraph() for _ in range(8))
        published = START + timedelta(minutes=random.Random(number).randrange(
            SPAN_DAYS * 24 * 60))
        site = SITES[number % len(SITES)]
        rows.append({
            "article_id": hashlib.sha256(str(number).encode()).hexdigest()[:24],
            "url": f"https://{site}/{published:%Y/%m/%d}/story-{number}/", "site": site,
            "title": words.take(8).title(), "authors": [f"Author {number % 97}"],
            "published_at": published, "published_raw": None, "date_flags": [],
            "modified_at": None, "language": "en", "section": "News", "tags": ["news"],
            "text": text, "word_count": 600, "comment_count": number % 11,
            "content_hash": hashlib.sha256(text.encode()).hexdigest(), "duplicate_of": None,
            "duplicate_kind": None, "first_seen_at": published, "last_seen_at": published,
            "fetched_at": published, "crawl_run_id": "bench",
            "month": published.strftime("%Y-%m")})
    return rows


def _tables(documents: int) -> Iterator[pa.Table]:
    for start in range(0, documents, CHUNK):
        yield pa.Table.from_pylist(_rows(start, min(CHUNK, documents - start)), ARTICLE_SCHEMA)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 3),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 3)}


def measure(documents: int, workdir: str, queries: int) -> dict[str, Any]:
    root = Path(workdir) / f"tantivy-{documents}"
    shutil.rmtree(root, ignore_errors=True)
    tables = list(_tables(documents))  # generated first: only indexing is timed
    index = TantivyIndex(root)
    version = index.new_version()
    mark = time.perf_counter()
    written = index.upsert(version, "articles", tables)
    indexing = time.perf_counter() - mark
    index.publish(version)
    del tables

    rng = random.Random(1)
    middle = VOCABULARY[200:5000]
    results: dict[str, Any] = {}
    for name, dated in (("text", False), ("text_and_dates", True)):
        samples, hits = [], 0
        for _ in range(queries):
            text = " ".join(rng.sample(middle, rng.choice((1, 1, 2))))
            query = SearchQuery(text=text, kind="articles", limit=10)
            if dated:
                start = START + timedelta(days=rng.randrange(SPAN_DAYS - 90))
                query = SearchQuery(text=text, kind="articles", limit=10,
                                    published_from=start,
                                    published_before=start + timedelta(days=rng.choice(
                                        (30, 60, 90))))
            mark = time.perf_counter()
            found = index.search(query)
            samples.append(time.perf_counter() - mark)
            hits += found.total
        results[name] = {**_percentiles(samples), "queries": queries,
                         "mean_total_hits": round(hits / queries, 1)}
    return {"documents": written, "index_seconds": round(indexing, 1),
            "documents_per_second": round(written / indexing),
            "index_mb": round(sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
                              / 2**20, 1), **results}
