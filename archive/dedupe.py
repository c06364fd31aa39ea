"""Exact and near-duplicate articles across the whole archive, by MinHash and LSH.

Every article gets a MinHash signature of its word 5-shingles (rensa). Signatures are cut
into bands; articles that share a band are candidates, and candidates whose estimated
Jaccard similarity reaches the threshold are the same text: an exact duplicate when the
normalised texts are equal, else a near duplicate (a syndicated copy with a new first
paragraph, say). In each cluster the earliest article (by publication, then first sight)
is the original; the others get `duplicate_of`. Nothing is deleted.

The signatures and band keys live beside the archive (`DIR/state/minhash/`), one file per
run, replaced when the run is processed again; lookups scan only the band keys of the
articles at hand, so memory does not grow with the archive.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from rensa import RMinHash

NUM_PERM = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS
THRESHOLD = 0.8
SHINGLE_WORDS = 5
SEED = 1

_BANDS_SCHEMA = pa.schema([("band", pa.uint8()), ("key", pa.uint64()),
                           ("article_id", pa.string())])
_SIGNATURES_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("published_at", pa.timestamp("us", tz="UTC")),
    ("first_seen_at", pa.timestamp("us", tz="UTC")), ("content_hash", pa.string()),
    ("signature", pa.list_(pa.uint32())),
])
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Fingerprint:
    article_id: str
    published_at: datetime | None
    first_seen_at: datetime
    content_hash: str
    signature: list[int]

    def rank(self) -> tuple[datetime, datetime, str]:
        """Earliest wins: the original of a cluster has the smallest rank."""
        return (self.published_at or _LATEST, self.first_seen_at, self.article_id)


@dataclass(frozen=True)
class Duplicate:
    original: str
    kind: str  # "exact" or "near"


def shingles(text: str) -> list[str]:
    words = text.lower().split()
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words)] if words else [""]
    return [" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]


def fingerprints(rows: list[dict[str, Any]]) -> list[Fingerprint]:
    hashes = RMinHash.from_token_sets([shingles(r["text"]) for r in rows], NUM_PERM, SEED)
    return [Fingerprint(r["article_id"], r["published_at"], r["first_seen_at"],
                        r["content_hash"], list(h.digest())) for r, h in zip(rows, hashes,
                                                                                strict=True)]


def band_keys(signature: list[int]) -> list[int]:
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS_PER_BAND:(band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(struct.pack(f"<B{len(chunk)}I", band, *chunk), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "little"))
    return keys


def jaccard(a: list[int], b: list[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


class SignatureStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.bands_dir = root / "bands"
        self.signatures_dir = root / "signatures"

    def _dataset(self, directory: Path, schema: pa.Schema) -> ds.Dataset | None:
        if not directory.exists() or not any(directory.glob("*.parquet")):
            return None
        return ds.dataset(directory, schema=schema, format="parquet")

    def candidates(self, prints: list[Fingerprint]) -> dict[str, set[str]]:
        """Stored articles sharing a band with each fingerprint."""
        wanted: dict[tuple[int, int], set[str]] = {}
        for fp in prints:
            for band, key in enumerate(band_keys(fp.signature)):
                wanted.setdefault((band, key), set()).add(fp.article_id)
        found: dict[str, set[str]] = {fp.article_id: set() for fp in prints}
        dataset = self._dataset(self.bands_dir, _BANDS_SCHEMA)
        if dataset is None or not wanted:
            return found
        keys = pa.array(sorted({key for _, key in wanted}), pa.uint64())
        for batch in dataset.to_batches(filter=pc.field("key").isin(keys)):
            for band, key, stored in zip(*(batch.column(i).to_pylist() for i in range(3)),
                                         strict=True):
                for article in wanted.get((band, key), ()):
                    if stored != article:
                        found[article].add(stored)
        return found

    def load(self, article_ids: set[str]) -> dict[str, Fingerprint]:
        dataset = self._dataset(self.signatures_dir, _SIGNATURES_SCHEMA)
        if dataset is None or not article_ids:
            return {}
        rows = dataset.to_table(filter=pc.field("article_id").isin(
            pa.array(sorted(article_ids), pa.string()))).to_pylist()
        return {r["article_id"]: Fingerprint(**r) for r in rows}

    def save(self, run_id: str, prints: list[Fingerprint]) -> None:
        """Store a run's fingerprints, replacing what an earlier processing of it stored."""
        for directory in (self.bands_dir, self.signatures_dir):
            directory.mkdir(parents=True, exist_ok=True)
        bands = {"band": [], "key": [], "article_id": []}
        for fp in prints:
            for band, key in enumerate(band_keys(fp.signature)):
                bands["band"].append(band)
                bands["key"].append(key)
                bands["article_id"].append(fp.article_id)
        _replace(self.bands_dir / f"run={run_id}.parquet", pa.table(bands, _BANDS_SCHEMA))
        signatures = pa.Table.from_pylist([fp.__dict__ for fp in prints], _SIGNATURES_SCHEMA)
        _replace(self.signatures_dir / f"run={run_id}.parquet", signatures)


def _replace(path: Path, table: pa.Table) -> None:
    staging = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, staging, compression="zstd")
    staging.replace(path)


def find_duplicates(prints: list[Fingerprint], store: SignatureStore,
                    threshold: float = THRESHOLD) -> dict[str, Duplicate]:
    """`duplicate_of` for every article of a cluster that is not its original, for the new
    fingerprints and for stored articles whose original turns out to be new."""
    latest = {fp.article_id: fp for fp in prints}
    candidates = store.candidates(prints)
    stored = store.load({c for found in candidates.values() for c in found} - set(latest))
    every = {**stored, **latest}
    parent = {aid: aid for aid in every}

    def root(aid: str) -> str:
        while parent[aid] != aid:
            parent[aid] = parent[parent[aid]]
            aid = parent[aid]
        return aid

    _pair_new_with_new(prints, parent, root, threshold)
    for aid, found in candidates.items():
        for other in found:
            if other in every and jaccard(every[aid].signature,
                                          every[other].signature) >= threshold:
                parent[root(aid)] = root(other)
    clusters: dict[str, list[Fingerprint]] = {}
    for aid in every:
        clusters.setdefault(root(aid), []).append(every[aid])
    result = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        original = min(members, key=Fingerprint.rank)
        for member in members:
            if member is not original:
                kind = "exact" if member.content_hash == original.content_hash else "near"
                result[member.article_id] = Duplicate(original.article_id, kind)
    return result


def _pair_new_with_new(prints: list[Fingerprint], parent: dict[str, str], root: Any,
                       threshold: float) -> None:
    buckets: dict[tuple[int, int], list[Fingerprint]] = {}
    for fp in prints:
        for band, key in enumerate(band_keys(fp.signature)):
            buckets.setdefault((band, key), []).append(fp)
    for members in buckets.values():
        pairs = ([(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
                 if len(members) <= 20 else [(members[0], b) for b in members[1:]])
        for a, b in pairs:
            if root(a.article_id) != root(b.article_id) and jaccard(
                    a.signature, b.signature) >= threshold:
                parent[root(b.article_id)] = root(a.article_id)
