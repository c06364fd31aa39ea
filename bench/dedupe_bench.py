"""(a') The near-duplicate step alone: MinHash signatures, then LSH against the store.

`ARTICLES` synthetic articles (2.5 % planted copies, see `bench.synthetic`) are signed in
chunks of 1,000 on one core, deduplicated against an empty store and saved; then a second
batch of ARTICLES/10 newer articles is deduplicated against that store, as a nightly run
is. Texts are generated chunk by chunk and dropped once signed, as in `process`, where
signatures are computed while cleaning. Recall is measured on the planted copies.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from archive.dedupe import SignatureStore, find_duplicates, fingerprint_table, signatures
from bench.synthetic import START, Plan, _kind, _published, _source, article_text

CHUNK = 1000


def _batch(plan: Plan, numbers: range) -> tuple[pa.Table, float, float, float]:
    """Fingerprints of articles `numbers`; seconds spent generating and signing (wall and
    CPU)."""
    generating = signing = signing_cpu = 0.0
    metas, parts = [], []
    for start in range(numbers.start, numbers.stop, CHUNK):
        chunk = range(start, min(start + CHUNK, numbers.stop))
        mark = time.perf_counter()
        texts = [article_text(n) for n in chunk]
        generating += time.perf_counter() - mark
        mark, cpu = time.perf_counter(), time.process_time()
        parts.append(signatures(texts))
        signing += time.perf_counter() - mark
        signing_cpu += time.process_time() - cpu
        fetched = START + timedelta(days=400)
        metas.extend({"article_id": f"a{n:09d}", "fetched_at": fetched, "crawl_run_id": "bench",
                      "content_hash": hashlib.sha256(t.encode()).hexdigest(),
                      "published_at": _published(plan, n), "first_seen_at": fetched}
                     for n, t in zip(chunk, texts, strict=True))
    return fingerprint_table(metas, np.concatenate(parts)), generating, signing, signing_cpu


def measure(articles: int, workdir: str) -> dict[str, Any]:
    plan = Plan(articles + articles // 10, 11)
    store_dir = Path(workdir) / f"dedupe-{articles}"
    store = SignatureStore(store_dir)
    if store.root.exists():
        import shutil

        shutil.rmtree(store.root)
    prints, generating, signing, signing_cpu = _batch(plan, range(articles))
    mark = time.perf_counter()
    first = find_duplicates(prints, store, "first")
    lsh_first = time.perf_counter() - mark
    mark = time.perf_counter()
    store.save("first", first.to_save)
    saving = time.perf_counter() - mark
    del prints

    later = range(articles, articles + articles // 10)
    prints, _, signing_later, _ = _batch(plan, later)
    mark = time.perf_counter()
    second = find_duplicates(prints, store, "second")
    lsh_second = time.perf_counter() - mark

    planted = {f"a{n:09d}": f"a{_source(n):09d}"
               for n in range(articles + articles // 10) if _kind(n) != "original"}
    found = {a: d.original for result in (first, second)
             for a, d in [*result.decisions.items(), *result.stored.items()] if d}

    def cluster(aid: str) -> str:
        return found.get(aid, aid)

    # A planted pair is found when both end in the same cluster (the copy may well be the
    # original: it was published first).
    hits = sum(1 for copy, source in planted.items() if cluster(copy) == cluster(source))
    clustered = set(found) | set(found.values())
    unplanted = {a for a in found if a not in planted and found[a] not in planted
                 and a not in planted.values()}
    store_mb = sum(p.stat().st_size for p in store_dir.rglob("*.parquet")) / 2**20
    return {
        "articles": articles, "second_batch": len(later),
        "generate_seconds": round(generating, 1),
        "signatures_seconds": round(signing, 1),
        "signatures_per_second": round(articles / signing),
        "signatures_per_cpu_second": round(articles / signing_cpu),
        "lsh_seconds": round(lsh_first, 2),
        "lsh_per_second": round(articles / lsh_first),
        "save_seconds": round(saving, 2),
        "second_batch_signatures_seconds": round(signing_later, 2),
        "second_batch_lsh_seconds": round(lsh_second, 2),
        "second_batch_lsh_per_second": round(len(later) / lsh_second),
        "step_per_second": round(articles / (signing + lsh_first)),
        "planted_copies": len(planted), "articles_marked_duplicate": len(found),
        "articles_in_clusters": len(clustered),
        "recall": round(hits / max(1, len(planted)), 4),
        "marked_without_a_planted_link": len(unplanted),
        "candidate_pairs": first.counts["dedupe/candidate_pairs"]
        + second.counts["dedupe/candidate_pairs"],
        "store_mb": round(store_mb, 1),
    }
