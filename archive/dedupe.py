"""Exact and near-duplicate articles across the whole archive, by MinHash and LSH.

Every article gets a MinHash signature of its word 5-shingles (rensa, 128 permutations).
Signatures are cut into 32 bands of 4 values; articles that share a band are candidates,
and candidates whose estimated Jaccard similarity reaches `THRESHOLD` are the same text:
an exact duplicate when the normalised texts are equal (same `content_hash`), else a near
duplicate (a syndicated copy with a new first paragraph, say). In each cluster the
earliest article (by publication, then first sight, then id) is the original; the others
get `duplicate_of`. Nothing is deleted.

The signature store lives beside the archive (`DIR/state/minhash/v2/`):
`signatures/run=<key>/part-0.parquet` (one row per article version a run brought from one
raw site) and `bands/run=<key>/part-0.parquet` (one row per band key), `<key>` being
`<run>@<site>` (`store_key`). A key's files are replaced when that run and site are
deduplicated again; a run stores only the versions the store does not know yet, so
nightly recrawls of unchanged articles do not grow it. The latest version of an article
(by `archive.versions`) is the one that counts, whatever order runs were processed in.
Lookups stream over the store with filters, one file at a time, so memory grows with the
run at hand (a few KB per article), never with the archive.
"""

from __future__ import annotations

import shutil
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rensa import RMinHash

from archive.versions import version_key
from archive.words import Words, split_words

NUM_PERM = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS
THRESHOLD = 0.7
SHINGLE_WORDS = 5
SEED = 1
STORE_VERSION = "v2"
# In an LSH bucket bigger than this, every member is paired with the first one only.
FULL_PAIRING_LIMIT = 20

_TS = pa.timestamp("us", tz="UTC")
SIGNATURES_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("fetched_at", _TS), ("crawl_run_id", pa.string()),
    ("content_hash", pa.string()), ("published_at", _TS), ("first_seen_at", _TS),
    ("signature", pa.list_(pa.uint32(), NUM_PERM)),
])
BANDS_SCHEMA = pa.schema([("key", pa.uint64()), ("article_id", pa.string())])
_KEY_FILTER_SIZE = 1 << 22
_KEY_FILTER_MASK = np.uint64(_KEY_FILTER_SIZE - 1)
_META = [n for n in SIGNATURES_SCHEMA.names if n != "signature"]
_LATEST = 2**63 - 1  # the publication time (µs) an undated article ranks with: after any


# --- signatures --------------------------------------------------------------------------

_SHINGLE_PRIME = np.uint64(0x100000001B3)


def _word_hashes(words: Words) -> tuple[np.ndarray, np.ndarray]:
    """CRC-32 of every word of every lower-cased text (flat), and each text's word count.
    Each distinct word is lower-cased and hashed once."""
    encoded = words.spans.dictionary_encode()
    vocabulary = pc.utf8_lower(pc.utf8_rtrim_whitespace(encoded.dictionary))
    hashes = np.fromiter((zlib.crc32(w.encode()) for w in vocabulary.to_pylist()),
                         np.uint64, len(vocabulary))
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return hashes[indices] if len(indices) else np.zeros(0, np.uint64), words.counts


def shingle_hashes(texts: Sequence[str] | pa.Array,
                   words: Words | None = None) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of the shingles of each text, flat, with each text's row offsets.

    A shingle is five consecutive words of the lower-cased text; a word hashes to its
    CRC-32 (stable across processes, unlike `hash()`) and a shingle combines its five word
    hashes in order. A text of fewer than five words is one shingle: the CRC-32 of its
    words joined by spaces. `words`: `split_words(texts)`, when the caller has it."""
    array = pa.array(texts, pa.large_string()) if not isinstance(texts, pa.Array) else texts
    flat, lengths = _word_hashes(words if words is not None else split_words(array))
    windows = max(0, len(flat) - SHINGLE_WORDS + 1)
    rolled = np.zeros(windows, np.uint64)
    with np.errstate(over="ignore"):
        for k in range(SHINGLE_WORDS):
            rolled = (rolled * _SHINGLE_PRIME) ^ flat[k:k + windows]
    # A window is a shingle when its first and last words are of the same text.
    text_of_word = np.repeat(np.arange(len(lengths)), lengths)
    valid = text_of_word[:windows] == text_of_word[SHINGLE_WORDS - 1:]
    short = lengths < SHINGLE_WORDS
    counts = np.where(short, 1, lengths - SHINGLE_WORDS + 1)
    pieces = np.zeros(int(counts.sum()), np.uint64)
    pieces[np.repeat(~short, counts)] = rolled[valid]  # texts lie one after the other
    if short.any():
        rows = np.flatnonzero(short)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        pieces[starts[rows]] = [zlib.crc32(" ".join(str(text).lower().split()).encode())
                                for text in array.take(pa.array(rows)).to_pylist()]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
    return pieces, offsets


def signatures(texts: Sequence[str] | pa.Array, words: Words | None = None) -> np.ndarray:
    """MinHash signatures of `texts`: a (len(texts), NUM_PERM) uint32 matrix. `words`:
    `split_words(texts)`, when the caller has it."""
    if not texts:
        return np.zeros((0, NUM_PERM), np.uint32)
    hashes, offsets = shingle_hashes(texts, words)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, NUM_PERM, SEED)
    return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(texts), NUM_PERM)


_C1, _C2, _C3 = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9),
                 np.uint64(0x94D049BB133111EB))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise (wrapping uint64 arithmetic)."""
    x = x + _C1
    x = (x ^ (x >> np.uint64(30))) * _C2
    x = (x ^ (x >> np.uint64(27))) * _C3
    return x ^ (x >> np.uint64(31))


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """One 64-bit key per band of each signature: a (n, BANDS) uint64 matrix. The band
    number is mixed in, so equal keys mean the same band with the same values."""
    values = np.asarray(sigs, np.uint32).reshape(-1, BANDS, ROWS_PER_BAND).astype(np.uint64)
    with np.errstate(over="ignore"):
        keys = _mix(np.broadcast_to(np.arange(BANDS, dtype=np.uint64),
                                    values.shape[:2]).copy())
        for row in range(ROWS_PER_BAND):
            keys = _mix(keys ^ values[:, :, row])
    return keys


def signature_matrix(table: pa.Table) -> np.ndarray:
    column = table.column("signature").combine_chunks()
    if len(column) == 0:
        return np.zeros((0, NUM_PERM), np.uint32)
    return column.flatten().to_numpy(zero_copy_only=False).reshape(-1, NUM_PERM)


def fingerprint_table(rows: Iterable[dict[str, Any]], sigs: np.ndarray) -> pa.Table:
    """A table of fingerprints (SIGNATURES_SCHEMA) from article rows and their signatures."""
    rows = list(rows)
    columns = {name: [r[name] for r in rows] for name in _META}
    flat = pa.array(np.asarray(sigs, np.uint32).reshape(-1), pa.uint32())
    columns["signature"] = pa.FixedSizeListArray.from_arrays(flat, NUM_PERM)
    return pa.table(columns, SIGNATURES_SCHEMA)


def jaccard(a: Sequence[int] | np.ndarray, b: Sequence[int] | np.ndarray) -> float:
    return float(np.mean(np.asarray(a) == np.asarray(b)))


# --- the store ---------------------------------------------------------------------------

class SignatureStore:
    def __init__(self, root: Path) -> None:
        self.root = root / STORE_VERSION
        self.signatures_dir = self.root / "signatures"
        self.bands_dir = self.root / "bands"

    def _files(self, directory: Path, exclude: Sequence[str]) -> list[Path]:
        """The stored files of `directory`, but those saved under the keys `exclude`.
        They are read one by one with `ParquetFile`: Arrow's dataset scanner keeps about
        100 KB of heap for every file it has scanned (see `archive.store`), and the store
        gains files with every run."""
        skip = {f"run={quote(key, safe='')}" for key in exclude}
        return sorted(path for path in directory.glob("run=*/part-0.parquet")
                      if path.parent.name not in skip)

    def versions(self, ids: Sequence[str], exclude: Sequence[str] = (),
                 with_signature: bool = False) -> pa.Table:
        """Every stored version of these articles (but those saved under `exclude`). Of
        each file, the ids are read, then only the row groups that hold a wanted one."""
        columns = [*_META, "signature"] if with_signature else list(_META)
        schema = pa.schema([SIGNATURES_SCHEMA.field(n) for n in columns])
        wanted = pa.array(sorted(set(ids)), pa.string())
        found = [schema.empty_table()]
        for path in self._files(self.signatures_dir, exclude) if len(wanted) else []:
            reader = pq.ParquetFile(path)
            hits = np.flatnonzero(pc.is_in(reader.read(columns=["article_id"]).column(0),
                                           value_set=wanted).to_numpy(zero_copy_only=False))
            if len(hits):
                found.append(_rows_at(reader, hits, columns).cast(schema))
        return pa.concat_tables(found)

    def band_matches(self, keys: np.ndarray, exclude_ids: Sequence[str],
                     exclude: Sequence[str] = ()) -> pa.Table:
        """(key, article_id) of stored band entries whose key is one of `keys`, leaving out
        the articles `exclude_ids` (those at hand) and the entries saved under `exclude`.
        One file at a time, its keys looked up in the sorted `keys` (a binary search is
        several times faster here than Arrow's `isin`, which hashes every stored key; and
        only for the keys whose low bits some key of the query has), and its ids read only
        where a key matched."""
        found = [BANDS_SCHEMA.empty_table()]
        if len(keys) == 0:
            return found[0]
        query = np.sort(np.asarray(keys, np.uint64).reshape(-1))
        # Keys are uniform 64-bit hashes: a table of which low bits the query has lets
        # through a few percent of the stored keys, and only those are searched for.
        low = np.zeros(_KEY_FILTER_SIZE, bool)
        low[query & _KEY_FILTER_MASK] = True
        for path in self._files(self.bands_dir, exclude):
            reader = pq.ParquetFile(path, read_dictionary=["article_id"])
            stored = reader.read(columns=["key"]).column(0).to_numpy()
            maybe = np.flatnonzero(low[stored & _KEY_FILTER_MASK])
            at = np.minimum(np.searchsorted(query, stored[maybe]), len(query) - 1)
            hits = maybe[query[at] == stored[maybe]]
            if len(hits):
                ids = _rows_at(reader, hits, ["article_id"]).column(0)
                found.append(pa.table({"key": pa.array(stored[hits], pa.uint64()),
                                       "article_id": ids.cast(pa.string())}, BANDS_SCHEMA))
        matches = pa.concat_tables(found)
        if exclude_ids:
            keep = pc.invert(pc.is_in(matches.column("article_id"),
                                      value_set=pa.array(list(exclude_ids), pa.string())))
            matches = matches.filter(keep)
        return matches

    def save(self, key: str, prints: pa.Table) -> None:
        """Store fingerprints under `key` (`store_key(run, site)`), replacing what an
        earlier processing of the same run and site stored."""
        name = f"run={quote(key, safe='')}"
        if prints.num_rows == 0:
            for directory in (self.signatures_dir, self.bands_dir):
                shutil.rmtree(directory / name, ignore_errors=True)
            return
        keys = band_keys(signature_matrix(prints))
        ids = prints.column("article_id").combine_chunks()
        bands = pa.table({"key": pa.array(keys.reshape(-1), pa.uint64()),
                          "article_id": ids.take(pa.array(np.repeat(
                              np.arange(len(ids)), BANDS)))}, BANDS_SCHEMA)
        bands = bands.sort_by("key")
        # Small row groups of signatures (4 MB): a lookup decodes little beyond its matches.
        write_fingerprints(prints.sort_by("article_id"),
                           self.signatures_dir / name / "part-0.parquet", 8 * 1024)
        write_fingerprints(bands, self.bands_dir / name / "part-0.parquet", 64 * 1024)


def _rows_at(reader: pq.ParquetFile, rows: np.ndarray, columns: list[str]) -> pa.Table:
    """The given rows of a file, reading only the row groups that hold them."""
    sizes = np.array([reader.metadata.row_group(g).num_rows
                      for g in range(reader.num_row_groups)], np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    group_of = np.searchsorted(starts, rows, side="right") - 1
    groups = np.unique(group_of)
    begins = np.zeros(len(sizes), np.int64)  # where each group read begins in the table
    begins[groups] = np.concatenate([[0], np.cumsum(sizes[groups])[:-1]])
    table = reader.read_row_groups(groups.tolist(), columns=columns)
    return table.take(pa.array(rows - starts[group_of] + begins[group_of]))


# Signatures and band keys are random numbers: compressing them or building a dictionary
# of their values costs time and saves nothing.
_RANDOM_COLUMNS = ("signature", "key")


def write_fingerprints(table: pa.Table, path: Path, row_group_size: int | None = None) -> None:
    """Write signatures or band keys to `path` (through a staging file, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    names = table.schema.names
    staging = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, staging, row_group_size=row_group_size,
                   compression={n: "none" if n in _RANDOM_COLUMNS else "zstd" for n in names},
                   use_dictionary=[n for n in names if n not in _RANDOM_COLUMNS])
    staging.replace(path)


def store_key(run_id: str, site: str) -> str:
    """Where a run's fingerprints of one raw site are saved: `<run>@<site>`. (Stores
    written before `process` ran per site keep their entries under the run id alone.)"""
    return f"{run_id}@{site}"


# --- finding duplicates ------------------------------------------------------------------

@dataclass(frozen=True)
class Duplicate:
    original: str
    kind: str  # "exact" or "near"


@dataclass
class Dedupe:
    """What deduplication decided for one run."""

    # every article of the run: its original, or None when it is an original itself
    decisions: dict[str, Duplicate | None] = field(default_factory=dict)
    # stored articles (not in the run) that are copies of a changed or new original
    stored: dict[str, Duplicate] = field(default_factory=dict)
    # copies of the run's clusters → their original: articles elsewhere whose
    # `duplicate_of` names one of them must now name the original
    repoint: dict[str, str] = field(default_factory=dict)
    # content hash of each original, for the kind of re-pointed copies
    original_hashes: dict[str, str] = field(default_factory=dict)
    # the run's fingerprints the store does not know yet
    to_save: pa.Table = field(default_factory=SIGNATURES_SCHEMA.empty_table)
    counts: Counter[str] = field(default_factory=Counter)


@dataclass
class _Member:
    article_id: str
    version: tuple[Any, ...]
    published_at: int | None  # times as `_meta_rows` gives them
    first_seen_at: int
    content_hash: str
    row: int  # index into the signature matrix

    def rank(self) -> tuple[int, int, str]:
        """Earliest wins: the original of a cluster has the smallest rank."""
        published = _LATEST if self.published_at is None else self.published_at
        return (published, self.first_seen_at, self.article_id)


def _meta_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The fingerprints' columns but the signature as Python rows, times as integer
    microseconds since the epoch: here they are only compared, and a Python datetime
    with a zone costs ten times more to make (a quarter of a second per 10,000 rows)."""
    columns = table.select(_META)
    return pa.table([c.cast(pa.int64()) if pa.types.is_timestamp(c.type) else c
                     for c in columns.columns], names=_META).to_pylist()


def _version(row: dict[str, Any]) -> tuple[Any, ...]:
    return version_key(row["fetched_at"], row["crawl_run_id"], row["content_hash"])


def _latest(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per article: its newest version, with the earliest `first_seen_at` of all."""
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:
        aid = row["article_id"]
        known = latest.get(aid)
        if known is None:
            latest[aid] = dict(row)
            continue
        first = min(known["first_seen_at"], row["first_seen_at"])
        if _version(row) > _version(known):
            latest[aid] = dict(row)
        latest[aid]["first_seen_at"] = first
    return latest


class _Clusters:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, aid: str) -> str:
        self.parent.setdefault(aid, aid)
        while self.parent[aid] != aid:
            self.parent[aid] = self.parent[self.parent[aid]]
            aid = self.parent[aid]
        return aid

    def union(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_duplicates(prints: pa.Table, store: SignatureStore, exclude: Sequence[str] = (), *,
                    linked: Callable[[set[str]], dict[str, str]] | None = None,
                    threshold: float = THRESHOLD) -> Dedupe:
    """Exact and near duplicates among the run's fingerprints and against the store.

    `prints` holds one fingerprint per article of the run (SIGNATURES_SCHEMA); `exclude`
    names the store entries they replace (`store_key`s of the run and its sites). `linked`
    gives, for stored articles, the `duplicate_of` the archive holds now, so that a
    cluster found through a copy also reaches that copy's original."""
    result = Dedupe()
    if prints.num_rows == 0:
        return result
    run_rows = _meta_rows(prints)
    run_sigs = signature_matrix(prints).copy()
    run_ids = [r["article_id"] for r in run_rows]

    # The newest known version of each run article decides, whichever run brought it.
    stored_versions = _latest(_meta_rows(store.versions(run_ids, exclude=exclude)))
    newer_elsewhere = [aid for aid, row in zip(run_ids, run_rows, strict=True)
                       if aid in stored_versions
                       and _version(stored_versions[aid]) > _version(row)]
    newer_sigs = _latest_signatures(store, newer_elsewhere, exclude)
    keep = []
    members: dict[str, _Member] = {}
    matrix_parts = [run_sigs]
    for index, row in enumerate(run_rows):
        aid = row["article_id"]
        stored = stored_versions.get(aid)
        keep.append(_worth_saving(row, stored))
        first_seen = min(row["first_seen_at"], stored["first_seen_at"]) if stored else (
            row["first_seen_at"])
        effective = row
        if aid in newer_sigs:
            effective = stored
            run_sigs[index] = newer_sigs[aid]
        members[aid] = _Member(aid, _version(effective), effective["published_at"],
                               first_seen, effective["content_hash"], index)
    result.to_save = prints.filter(pa.array(keep, pa.bool_()))
    result.counts["dedupe/signatures_saved"] = sum(keep)

    clusters = _Clusters()
    keys = band_keys(run_sigs)
    pairs = _bucket_pairs(keys)
    # Candidates among stored articles: same band key, another article.
    matches = store.band_matches(keys.reshape(-1), run_ids, exclude=exclude)
    stored_pairs: set[tuple[int, str]] = set()
    if matches.num_rows:
        by_key = pa.table({"key": pa.array(keys.reshape(-1), pa.uint64()),
                           "row": pa.array(np.repeat(np.arange(len(run_ids)), BANDS),
                                           pa.int64())})
        joined = by_key.join(matches, "key", join_type="inner")
        stored_pairs = set(zip(joined.column("row").to_pylist(),
                               joined.column("article_id").to_pylist(), strict=True))
    result.counts["dedupe/candidate_pairs"] = len(pairs) + len(stored_pairs)

    stored_members = _load_members({aid for _, aid in stored_pairs}, store, exclude,
                                   members, matrix_parts, len(run_ids))
    matrix = np.concatenate([run_sigs, *matrix_parts[1:]]) if len(matrix_parts) > 1 else (
        run_sigs)
    checks = [(a, b) for a, b in pairs] + [(a, members[s].row) for a, s in stored_pairs
                                           if s in members]
    if checks:
        left = np.fromiter((a for a, _ in checks), np.int64, len(checks))
        right = np.fromiter((b for _, b in checks), np.int64, len(checks))
        similar = (matrix[left] == matrix[right]).mean(axis=1) >= threshold
        by_row = {m.row: m.article_id for m in members.values()}
        for a, b, same in zip(left.tolist(), right.tolist(), similar.tolist(), strict=True):
            if same:
                clusters.union(by_row[a], by_row[b])

    # A stored copy brings its current original into the cluster (one hop is enough: the
    # archive never holds a copy of a copy).
    if linked is not None and stored_members:
        sizes = Counter(clusters.root(aid) for aid in members)
        in_clusters = {aid for aid in stored_members if sizes[clusters.root(aid)] > 1}
        pointers = linked(in_clusters) if in_clusters else {}
        targets = {t for t in pointers.values() if t not in members}
        _load_members(targets, store, exclude, members, matrix_parts, len(run_ids))
        for copy, original in pointers.items():
            if original in members:
                clusters.union(copy, original)

    groups: dict[str, list[_Member]] = {}
    for aid in members:
        groups.setdefault(clusters.root(aid), []).append(members[aid])
    run_set = set(run_ids)
    for aid in run_ids:
        result.decisions[aid] = None
    for group in groups.values():
        if len(group) < 2:
            continue
        original = min(group, key=_Member.rank)
        result.original_hashes[original.article_id] = original.content_hash
        for member in group:
            if member is original:
                continue
            kind = "exact" if member.content_hash == original.content_hash else "near"
            duplicate = Duplicate(original.article_id, kind)
            result.repoint[member.article_id] = original.article_id
            if member.article_id in run_set:
                result.decisions[member.article_id] = duplicate
                result.counts[f"articles/duplicates_{kind}"] += 1
            else:
                result.stored[member.article_id] = duplicate
                result.counts[f"articles/stored_marked_{kind}"] += 1
    return result


def _worth_saving(row: dict[str, Any], stored: dict[str, Any] | None) -> bool:
    """Whether the store needs this version: not when its newest version says the same
    (same text and date) and it saw the article no later."""
    if stored is None or row["first_seen_at"] < stored["first_seen_at"]:
        return True
    if _version(row) <= _version(stored):
        return False
    return (row["content_hash"], row["published_at"]) != (stored["content_hash"],
                                                          stored["published_at"])


def _latest_signatures(store: SignatureStore, ids: Sequence[str],
                       exclude: Sequence[str]) -> dict[str, np.ndarray]:
    if not ids:
        return {}
    table = store.versions(ids, exclude=exclude, with_signature=True)
    sigs = signature_matrix(table)
    rows = _meta_rows(table)
    best: dict[str, int] = {}
    for index, row in enumerate(rows):
        known = best.get(row["article_id"])
        if known is None or _version(row) > _version(rows[known]):
            best[row["article_id"]] = index
    return {aid: sigs[index] for aid, index in best.items()}


def _load_members(ids: set[str], store: SignatureStore, exclude: Sequence[str],
                  members: dict[str, _Member], matrix_parts: list[np.ndarray],
                  offset: int) -> set[str]:
    """Add stored articles (their latest version) to `members` and their signatures to
    `matrix_parts`; returns the ids added."""
    wanted = sorted(ids - members.keys())
    if not wanted:
        return set()
    table = store.versions(wanted, exclude=exclude, with_signature=True)
    sigs = signature_matrix(table)
    rows = _meta_rows(table)
    latest = _latest(rows)
    best: dict[str, int] = {}
    for index, row in enumerate(rows):
        known = best.get(row["article_id"])
        if known is None or _version(row) > _version(rows[known]):
            best[row["article_id"]] = index
    start = offset + sum(len(part) for part in matrix_parts[1:])
    chosen = sorted(best.items())
    matrix_parts.append(sigs[[index for _, index in chosen]] if chosen else
                        np.zeros((0, NUM_PERM), np.uint32))
    for position, (aid, index) in enumerate(chosen):
        row = rows[index]
        members[aid] = _Member(aid, _version(row), row["published_at"],
                               latest[aid]["first_seen_at"], row["content_hash"],
                               start + position)
    return {aid for aid, _ in chosen}


def _bucket_pairs(keys: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of rows sharing a band key (all pairs in small buckets; in a big bucket,
    each member with the first one)."""
    pairs: set[tuple[int, int]] = set()
    for band in range(keys.shape[1]):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        ordered = column[order]
        same = np.flatnonzero(ordered[1:] == ordered[:-1])
        if len(same) == 0:
            continue
        # group the runs of equal keys
        starts = same[np.concatenate([[True], same[1:] != same[:-1] + 1])]
        for start in starts.tolist():
            end = start + 1
            while end < len(ordered) and ordered[end] == ordered[start]:
                end += 1
            rows = sorted(order[start:end].tolist())
            if len(rows) <= FULL_PAIRING_LIMIT:
                pairs.update((a, b) for i, a in enumerate(rows) for b in rows[i + 1:])
            else:
                pairs.update((rows[0], b) for b in rows[1:])
    return sorted(pairs)
