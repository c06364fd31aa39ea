"""The process step: raw crawl records in, the curated Parquet archive out.

A chain of small steps over Arrow tables, run for one raw site of one run at a time
(partitions are disjoint by site, so sites can be processed side by side):

1. **read** (`archive.read`) – raw JSON lines as tables of the record contract;
2. **clean and validate** (`archive.clean`, in a thread per core for big inputs, with the
   MinHash signatures of `archive.dedupe`) – rejects stream to the quarantine with their
   reason; rows are set aside on local disk by partition as far as their chunk tells
   (`archive.ingest`, `archive.spill`), so memory does not grow with the run;
3. **plan** – find where the run's articles are stored already (key columns only): an
   article lives in the partition of its newest version (`archive.versions`), so one whose
   month changed moves with its comments; the few rows set aside elsewhere than their
   article's partition move there, comments whose article is unknown go to the
   quarantine (`orphan_comment`); the site's quarantine is then complete (a rerun
   replaces it);
4. **store** – partition by partition (two at a time), under each one's lock: read the stored
   partition, fold the run's rows in (`archive.merge`), and replace the partition
   atomically (`archive.store`), comments before articles. Partitions that gain rows are
   written before those that lose rows, so an interrupted move leaves a row twice (mended
   by the rerun), never nowhere;
5. the run's fingerprints go to the dedupe step's queue, then the report section and the
   processed marker, in that order: the marker is written last, so a killed run is
   processed again from the start, and re-processing converges to the same archive.

**dedupe** (`archive.duplicates`) is its own step after the sites of a run: exact and near
duplicates across every site and the whole archive, marked `duplicate_of`. The single step
plans every site of a run, decides the run's duplicates, and only then stores the sites:
their articles are written with `duplicate_of` at once, and the dedupe step rewrites only
the stored articles its decisions change.

Entry points: `process` (every site of every run not processed since it changed, then
dedupe: the single step), `process_site` (one site, no dedupe: for one mapped Airflow task
per site) and `archive.duplicates.dedupe` (after them). Both paths give the same rows.

Peak memory is bounded by the largest partition plus about 1 KB per article of the run
(its fingerprint), not by the archive.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from archive.clean import rejects_table
from archive.dedupe import SIGNATURES_SCHEMA, write_fingerprints
from archive.ingest import Ingest, ingest_site
from archive.layout import DataDir
from archive.lease import lease
from archive.merge import finish_partition, mark_stored, merge_versions
from archive.quarantine import QuarantineWriter
from archive.read import LINE
from archive.reports import update_report
from archive.spill import Spill, by_key, conformed
from archive.store import Partition, PartitionStore, resolve
from archive.versions import group_bounds, sort_versions
from crawler.rawzone import is_complete, item_files
from schemas.records import ARTICLE, COMMENT

logger = logging.getLogger(__name__)
STEPS = ("clean", "plan", "store", "dedupe")
STORE_THREADS = 2  # partitions written at once


@dataclass
class Archive:
    """The two datasets of the archive, local or on object storage, and the local locks
    that keep two writers of one partition apart."""

    articles: PartitionStore
    comments: PartitionStore
    locks: Path

    @classmethod
    def open(cls, data: DataDir, parquet: str | None = None) -> Archive:
        filesystem, root = resolve(parquet or str(data.parquet))
        root = root.rstrip("/")
        return cls(PartitionStore(f"{root}/articles", ARTICLE, filesystem),
                   PartitionStore(f"{root}/comments", COMMENT, filesystem),
                   data.state / "locks")

    @contextmanager
    def writing(self, partition: Partition) -> Iterator[None]:
        """Hold the partition's lock (read-modify-write of its two files)."""
        name = "=".join(quote(part, safe="") for part in partition)
        with lease(self.locks / f"{name}.lock"):
            yield


# --- entry points --------------------------------------------------------------------------

def process(data: DataDir, *, runs: list[str] | None = None, parquet: str | None = None,
            force: bool = False, workers: int | None = None) -> list[dict[str, Any]]:
    """Process the given raw runs (default: those with a site not processed since it last
    changed), every site, then deduplicate: one report per run.

    `workers`: cleaning threads (default: one per CPU when a site's raw records are more
    than one chunk of `archive.read.CHUNK_BYTES`, else one)."""
    archive = Archive.open(data, parquet)
    reports = []
    with lease(data.state / "process.lock"):
        _clear_staging(data, archive)
        for run_id in runs if runs is not None else data.run_ids():
            sites = [s for s in raw_site_names(data, run_id)
                     if force or runs is not None or changed_since_processed(data, run_id, s)]
            if sites:
                reports.append(process_run(data, run_id, archive, workers=workers, sites=sites))
    return reports


def process_site(data: DataDir, site: str, *, runs: list[str] | None = None,
                 parquet: str | None = None, force: bool = False,
                 workers: int | None = None) -> list[dict[str, Any]]:
    """Process one raw site (`DIR/raw/run=*/site=<site>`) of the given runs (default: those
    where it changed since processed), without deduplication: run `dedupe` after the
    sites. Each run's figures go to the report section `process:<site>`."""
    archive = Archive.open(data, parquet)
    reports = []
    for run_id in runs if runs is not None else data.run_ids():
        if not data.raw_site(run_id, site).is_dir():
            continue
        if force or runs is not None or changed_since_processed(data, run_id, site):
            report = process_site_run(data, run_id, site, archive, workers)
            update_report(data, run_id, f"process:{site}", report)
            reports.append(report)
    return reports


def process_run(data: DataDir, run_id: str, archive: Archive, workers: int | None = None,
                sites: list[str] | None = None) -> dict[str, Any]:
    """Every (or the given) raw site of one run, then dedupe: the run's `process` section.

    Every site is read, cleaned and planned first; then the run's duplicates are decided
    (`archive.duplicates.decide`), so that the sites' articles are stored with their
    `duplicate_of` at once and the dedupe step rewrites only the stored articles it
    changes. (The spills of sites waiting for the others go to disk.)"""
    from archive.duplicates import decide, dedupe_run

    started = time.monotonic()
    names = sites if sites is not None else raw_site_names(data, run_id)
    prepared = []
    try:
        for site in names:
            prepared.append(_prepare_site(data, run_id, site, archive, workers))
            if len(names) > 1:
                prepared[-1].plan.articles.flush()
                prepared[-1].plan.comments.flush()
        mark = time.monotonic()
        decided = decide(data, run_id, archive,
                         {p.site: run_fingerprints(p.ingest) for p in prepared})
        deciding = time.monotonic() - mark
        parts = [_finish_site(data, run_id, p, archive, decided and decided.duplicates)
                 for p in prepared]
    finally:
        for site_run in prepared:
            shutil.rmtree(site_run.spill_dir, ignore_errors=True)
    deduped = dedupe_run(data, run_id, archive, decided)
    if deduped is not None:
        parts.append(deduped)
    counts: Counter[str] = Counter()
    seconds: Counter[str] = Counter({"dedupe": deciding})
    for part in parts:
        counts.update(part["counts"])
        seconds.update(part["seconds"])
    report = {"run_id": run_id, "counts": dict(sorted(counts.items())),
              "seconds": {step: round(seconds[step], 3) for step in STEPS}
              | {"total": round(time.monotonic() - started, 3)},
              "partitions_written": sum(p.get("partitions_written", 0) for p in parts),
              "sites": sorted(p["site"] for p in parts if "site" in p)}
    update_report(data, run_id, "process", report)
    return report


def raw_site_names(data: DataDir, run_id: str) -> list[str]:
    """The raw sites of a run (`site=<name>` directories), sorted."""
    return [p.name.removeprefix("site=") for p in data.raw_sites(run_id)]


def _clear_staging(data: DataDir, archive: Archive) -> None:
    """What a killed writer left (never visible to readers). Only the single step does
    this: it must not run beside per-site `process_site` tasks, whose staged files it would
    take (an orchestrator uses one way or the other)."""
    archive.articles.clear_staging()
    archive.comments.clear_staging()


# --- markers -------------------------------------------------------------------------------

def _input_signature(data: DataDir, run_id: str, site: str) -> list[list[Any]]:
    return [[str(p.relative_to(data.raw)), p.stat().st_size]
            for p in item_files(data.raw_site(run_id, site))]


def _marker(data: DataDir, run_id: str, site: str) -> Path:
    return data.state / "processed" / quote(run_id, safe="") / f"{quote(site, safe='')}.json"


def changed_since_processed(data: DataDir, run_id: str, site: str) -> bool:
    """Whether a raw site of a run has records its last processing did not see. (A marker of
    the whole run, written before sites were processed one by one, still counts.)"""
    signature = _input_signature(data, run_id, site)
    marker = _marker(data, run_id, site)
    if marker.exists():
        return json.loads(marker.read_text())["input"] != signature
    legacy = data.state / "processed" / f"{run_id}.json"
    if legacy.is_file():
        prefix = str(data.raw_site(run_id, site).relative_to(data.raw))
        return [e for e in json.loads(legacy.read_text())["input"]
                if e[0].startswith(prefix + "/")] != signature
    return True


def _write_marker(data: DataDir, run_id: str, site: str) -> None:
    marker = _marker(data, run_id, site)
    marker.parent.mkdir(parents=True, exist_ok=True)
    staging = marker.with_name(f".{marker.name}.tmp")
    staging.write_text(json.dumps({"input": _input_signature(data, run_id, site)}))
    staging.replace(marker)


# --- one raw site of one run ---------------------------------------------------------------

def pending_path(data: DataDir, run_id: str, site: str) -> Path:
    """The run's fingerprints from one site, waiting for the dedupe step."""
    return (data.state / "minhash" / "pending" / f"run={quote(run_id, safe='')}"
            / f"{quote(site, safe='')}.parquet")


@dataclass
class SiteRun:
    """One raw site of a run, cleaned and planned, waiting to be stored."""

    site: str
    ingest: Ingest
    plan: Plan
    spill_dir: Path
    timings: dict[str, float]
    started: float


def process_site_run(data: DataDir, run_id: str, site: str, archive: Archive,
                     workers: int | None = None) -> dict[str, Any]:
    """One raw site of a run, without deduplication: its `process:<site>` figures."""
    site_run = _prepare_site(data, run_id, site, archive, workers)
    try:
        return _finish_site(data, run_id, site_run, archive)
    finally:
        shutil.rmtree(site_run.spill_dir, ignore_errors=True)


def _site_lease(data: DataDir, site: str) -> Any:
    return lease(data.state / f"process-site-{quote(site, safe='')}.lock")


def _prepare_site(data: DataDir, run_id: str, site: str, archive: Archive,
                  workers: int | None) -> SiteRun:
    """Read, clean and plan one raw site; its rejects go to the quarantine."""
    started = time.monotonic()
    timings: dict[str, float] = {}
    spill_dir = data.state / "process-spill" / quote(run_id, safe="") / quote(site, safe="")
    with _site_lease(data, site):
        shutil.rmtree(spill_dir, ignore_errors=True)
        quarantine = QuarantineWriter(data.quarantine, run_id, site)
        try:
            mark = time.monotonic()
            ingest = ingest_site(data.raw_site(run_id, site), spill_dir / "in", quarantine,
                                 workers)
            counts = ingest.counts
            # A crawl that did not finish (killed, or still running) is processed all the
            # same: what it stored is complete records; the report says so.
            counts["sites/crawl_unfinished"] += not is_complete(data.raw_site(run_id, site))
            timings["clean"] = time.monotonic() - mark

            mark = time.monotonic()
            plan = _plan(ingest, archive, counts, quarantine)
            timings["plan"] = time.monotonic() - mark
            # The quarantine of a run's site is replaced whole: a rerun writes it again.
            counts.update({f"quarantined/{k}": v for k, v in quarantine.close().items()})
        except BaseException:
            quarantine.abort()
            shutil.rmtree(spill_dir, ignore_errors=True)
            raise
    return SiteRun(site, ingest, plan, spill_dir, timings, started)


def _finish_site(data: DataDir, run_id: str, site_run: SiteRun, archive: Archive,
                 duplicates: pa.Table | None = None) -> dict[str, Any]:
    """Store a planned site (with the run's `duplicates` decided, if given), queue its
    fingerprints for the dedupe step and mark it processed."""
    site, plan, timings, counts = (site_run.site, site_run.plan, site_run.timings,
                                   site_run.ingest.counts)
    with _site_lease(data, site):
        plan.duplicates = duplicates
        mark = time.monotonic()
        _apply(plan, site_run.ingest, archive, counts)
        timings["store"] = time.monotonic() - mark
        write_fingerprints(_with_stored_duplicates(run_fingerprints(site_run.ingest), plan),
                           pending_path(data, run_id, site))
        _write_marker(data, run_id, site)
    timings["total"] = time.monotonic() - site_run.started
    return {"run_id": run_id, "site": site, "counts": dict(sorted(counts.items())),
            "seconds": {k: round(v, 3) for k, v in timings.items()},
            "partitions_written": counts["partitions/written"]}


def run_fingerprints(ingest: Ingest) -> pa.Table:
    """One fingerprint per article of the run: its newest version, seen first when any
    version of the run saw it first."""
    prints = ingest.fingerprints
    if prints.num_rows == 0:
        return SIGNATURES_SCHEMA.empty_table()
    ordered = sort_versions(prints, "article_id")
    starts, ends = group_bounds(ordered.column("article_id"))
    first = np.minimum.reduceat(ordered.column("first_seen_at").combine_chunks().cast(
        pa.int64()).to_numpy(), starts)
    newest = ordered.take(pa.array(ends - 1))
    newest = newest.set_column(newest.schema.get_field_index("first_seen_at"),
                               "first_seen_at", pa.array(first).cast(
                                   SIGNATURES_SCHEMA.field("first_seen_at").type))
    return newest.select(SIGNATURES_SCHEMA.names).cast(SIGNATURES_SCHEMA)


STORED_DUPLICATES = ["site", "month", "duplicate_of", "duplicate_kind"]


def _with_stored_duplicates(prints: pa.Table, plan: Plan) -> pa.Table:
    """The fingerprints with where each article now lives and the `duplicate_of` it holds
    there, so that the dedupe step compares its decisions without scanning the archive."""
    written = (pa.concat_tables(plan.written) if plan.written
               else pa.schema([("article_id", pa.string())] + [
                   (n, pa.string()) for n in STORED_DUPLICATES]).empty_table())
    where = pc.index_in(prints.column("article_id"), value_set=written.column("article_id"))
    for name in STORED_DUPLICATES:
        prints = prints.append_column(name, written.column(name).take(where))
    return prints


# --- plan ----------------------------------------------------------------------------------

@dataclass
class Plan:
    """Where every article of the run lives, and what each partition receives."""

    home: pa.Table  # article_id, site, month: one row per article the run touches
    articles: Spill  # the run's article rows, by home partition
    comments: Spill  # the run's comment rows, by home partition
    removals: dict[Partition, set[str]] = field(default_factory=dict)  # moving out
    moved_articles: dict[Partition, list[pa.Table]] = field(default_factory=dict)
    moved_comments: dict[Partition, list[pa.Table]] = field(default_factory=dict)
    reads: pa.Table | None = None  # complete reads: article_id, read_at
    written: list[pa.Table] = field(default_factory=list)  # the run's articles as stored
    # decided for the run's articles: article_id, duplicate_of, duplicate_kind
    duplicates: pa.Table | None = None

    def partitions(self) -> list[Partition]:
        """Every partition to write: those that gain rows first, removals last."""
        keys = ({(k[0], k[1]) for k in self.articles.keys() | self.comments.keys()}
                | set(self.removals) | set(self.moved_articles))
        return sorted(keys, key=lambda p: (p in self.removals, p))


def _plan(ingest: Ingest, archive: Archive, counts: Counter[str],
          quarantine: QuarantineWriter) -> Plan:
    runs = ingest.fingerprints.select(["article_id", "site", "month", "fetched_at",
                                       "crawl_run_id", "content_hash"])
    run_ids = pc.unique(runs.column("article_id"))
    commented = _comment_articles(ingest.comments)
    wanted = pc.unique(pa.concat_arrays([run_ids.cast(pa.string()), commented]))
    stored = archive.articles.lookup("article_id", wanted.to_pylist(),
                                     ["fetched_at", "crawl_run_id", "content_hash"])
    stored = stored.select(runs.column_names)
    candidates = pa.concat_tables([
        runs.cast(stored.schema).append_column("_run", pa.array(np.ones(runs.num_rows, bool))),
        stored.append_column("_run", pa.array(np.zeros(stored.num_rows, bool)))])
    ordered = sort_versions(candidates, "article_id", ("_run", "ascending"))
    _, ends = group_bounds(ordered.column("article_id"))
    home = ordered.take(pa.array(ends - 1)).select(["article_id", "site", "month"])

    stored_ids = pc.unique(stored.column("article_id"))
    known = pc.is_in(run_ids, value_set=stored_ids)
    counts["articles/updated"] += pc.sum(known).as_py() or 0
    counts["articles/new"] += len(run_ids) - (pc.sum(known).as_py() or 0)

    plan = Plan(home, ingest.articles, ingest.comments, reads=_reads(ingest, home))
    _moves(plan, stored, run_ids, archive, counts)
    _rehome(plan.articles, home)
    orphans = _rehome(plan.comments, home)
    if orphans.num_rows:
        quarantine.add_table(rejects_table("comments", "orphan_comment",
                                           orphans.column(LINE).combine_chunks()))
    return plan


def _comment_articles(comments: Spill) -> pa.Array:
    keys = comments.keys()
    ids = [pc.unique(t.column("article_id")) for key in keys for t in comments.tables(key)]
    return pc.unique(pa.concat_arrays(ids)).cast(pa.string()) if ids else pa.array(
        [], pa.string())


def _reads(ingest: Ingest, home: pa.Table) -> pa.Table:
    """Complete reads of the run: when the done record says, else the run's newest fetch
    of the article."""
    done = ingest.done
    if done.num_rows == 0:
        return done
    prints = ingest.fingerprints
    latest = prints.group_by("article_id").aggregate([("fetched_at", "max")])
    where = pc.index_in(done.column("article_id"), value_set=latest.column("article_id"))
    read_at = pc.coalesce(done.column("read_at"), latest.column("fetched_at_max").take(where))
    reads = pa.table({"article_id": done.column("article_id"), "read_at": read_at})
    reads = reads.filter(pc.is_valid(reads.column("read_at")))
    return reads.group_by("article_id").aggregate([("read_at", "max")]).rename_columns(
        ["article_id", "read_at"])


def _moves(plan: Plan, stored: pa.Table, run_ids: pa.Array, archive: Archive,
           counts: Counter[str]) -> None:
    """Stored copies of the run's articles in another partition than their home move
    there, with their comments."""
    mine = stored.filter(pc.is_in(stored.column("article_id"), value_set=run_ids))
    where = pc.index_in(mine.column("article_id"), value_set=plan.home.column("article_id"))
    target_site = plan.home.column("site").take(where)
    target_month = plan.home.column("month").take(where)
    away = pc.or_(pc.not_equal(mine.column("site"), target_site),
                  pc.not_equal(mine.column("month"), target_month))
    moving = pa.table({"article_id": mine.column("article_id"), "site": mine.column("site"),
                       "month": mine.column("month"), "to_site": target_site,
                       "to_month": target_month}).filter(away)
    counts["articles/moved"] += moving.num_rows
    for row in moving.group_by(["site", "month"]).aggregate([]).to_pylist():
        source = (row["site"], row["month"])
        here = moving.filter(pc.and_(pc.equal(moving.column("site"), source[0]),
                                     pc.equal(moving.column("month"), source[1])))
        ids = here.column("article_id").combine_chunks()
        plan.removals.setdefault(source, set()).update(ids.to_pylist())
        articles = archive.articles.read(source, filter=pc.field("article_id").isin(ids))
        comments = archive.comments.read(source, filter=pc.field("article_id").isin(ids))
        targets = {r["article_id"]: (r["to_site"], r["to_month"]) for r in here.to_pylist()}
        for target in set(targets.values()):
            chosen = pa.array([a for a, t in targets.items() if t == target], pa.string())
            plan.moved_articles.setdefault(target, []).append(
                articles.filter(pc.is_in(articles.column("article_id"), value_set=chosen)))
            plan.moved_comments.setdefault(target, []).append(
                comments.filter(pc.is_in(comments.column("article_id"), value_set=chosen)))


def _rehome(spill: Spill, home: pa.Table) -> pa.Table:
    """Move the rows set aside under another partition than their article's home (the
    UNROUTED ones, an article's version of another month, the comments of a moving
    article) there; returns the rows whose article has none. Most keys need nothing:
    only their `article_id` is read."""
    parts, _ = by_key(home, home.column("site"), home.column("month"))
    homed = {key: rows.column("article_id") for key, rows, _ in parts}
    nowhere = [spill.schema.empty_table()]
    for key in sorted(spill.keys()):
        tables = list(spill.tables(key))
        here = homed.get(key, pa.array([], pa.string()))
        misplaced = [~pc.is_in(t.column("article_id"), value_set=here).to_numpy(
            zero_copy_only=False) for t in tables]
        if not any(wrong.any() for wrong in misplaced):
            continue
        spill.discard(key)
        for table, wrong in zip(tables, misplaced, strict=True):
            spill.add(key, table.filter(pa.array(~wrong)))
            moving = table.filter(pa.array(wrong))
            where = pc.index_in(moving.column("article_id"),
                                value_set=home.column("article_id"))
            moved, rest = by_key(moving, home.column("site").take(where),
                                 home.column("month").take(where))
            for target, rows, nbytes in moved:
                spill.add(target, rows, nbytes)
            nowhere.append(rest)
    return pa.concat_tables(nowhere)


# --- store ---------------------------------------------------------------------------------

def _apply(plan: Plan, ingest: Ingest, archive: Archive, counts: Counter[str]) -> None:
    """Write every planned partition, `STORE_THREADS` at a time (Arrow reads, merges and
    compresses without the GIL): first those that gain rows, then those that lose some."""
    partitions = plan.partitions()
    with ThreadPoolExecutor(STORE_THREADS) as pool:
        for group in ([p for p in partitions if p not in plan.removals],
                      [p for p in partitions if p in plan.removals]):
            for written in pool.map(lambda p: _store(p, plan, archive), group):
                counts.update(written)
            pa.default_memory_pool().release_unused()  # the group's buffers, not the sum
    counts["partitions/written"] += len(partitions)


def _store(partition: Partition, plan: Plan, archive: Archive) -> Counter[str]:
    counts: Counter[str] = Counter()
    with archive.writing(partition):
        _write_partition(partition, plan, archive, counts)
    plan.articles.discard(partition)
    plan.comments.discard(partition)
    return counts


def _rows(tables: list[pa.Table], schema: pa.Schema, stored: bool) -> pa.Table:
    present = [t.drop_columns([c for c in (LINE,) if c in t.column_names]) for t in tables]
    if not present:
        return mark_stored(schema.empty_table(), stored)
    return mark_stored(pa.concat_tables([conformed(t.select(schema.names), schema)
                                         for t in present]), stored)


def _write_partition(partition: Partition, plan: Plan, archive: Archive,
                     counts: Counter[str]) -> None:
    a_schema = _loose(archive.articles.schema)
    c_schema = _loose(archive.comments.schema)
    stored_articles = archive.articles.read(partition)
    stored_comments = archive.comments.read(partition)
    gone = plan.removals.get(partition)
    if gone:
        leaving = pa.array(sorted(gone), pa.string())
        stored_articles = stored_articles.filter(
            pc.invert(pc.is_in(stored_articles.column("article_id"), value_set=leaving)))
        stored_comments = stored_comments.filter(
            pc.invert(pc.is_in(stored_comments.column("article_id"), value_set=leaving)))
    run_comments = plan.comments.read(partition)
    before = _rows([stored_comments, *plan.moved_comments.get(partition, [])], c_schema, True)
    articles = merge_versions(pa.concat_tables([
        _rows([stored_articles, *plan.moved_articles.get(partition, [])], a_schema, True),
        _rows([plan.articles.read(partition)], a_schema, False)]), "article_id")
    comments = merge_versions(pa.concat_tables([before, _rows([run_comments], c_schema, False)]),
                              "comment_id")
    articles = _in_partition(articles, partition)
    reads = plan.reads
    if reads is not None and reads.num_rows:
        reads = reads.filter(pc.is_in(reads.column("article_id"),
                                      value_set=articles.column("article_id")))
    articles, comments = finish_partition(articles, comments, reads)
    if plan.duplicates is not None:
        articles = _with_duplicates(articles, plan.duplicates)
    mine = pc.is_in(articles.column("article_id"), value_set=plan.home.column("article_id"))
    plan.written.append(articles.filter(mine).select(["article_id", *STORED_DUPLICATES]))
    _count_comments(run_comments, before, comments, counts)
    # Comments first: the articles file is the partition's commit point. Killed in
    # between, a rerun still finds a moving article in its old partition and takes its
    # comments along; the other way round, they would stay behind for good.
    archive.comments.write(partition, comments.sort_by(
        [("article_id", "ascending"), ("position", "ascending"), ("comment_id", "ascending")]))
    archive.articles.write(partition, articles)  # by article_id, as merged


def _with_duplicates(articles: pa.Table, duplicates: pa.Table) -> pa.Table:
    """The decided `duplicate_of` and `duplicate_kind` on the articles they are about."""
    where = pc.index_in(articles.column("article_id"),
                        value_set=duplicates.column("article_id"))
    decided = pc.is_valid(where)
    for name in ("duplicate_of", "duplicate_kind"):
        column = pc.if_else(decided, duplicates.column(name).take(where),
                            articles.column(name))
        articles = articles.set_column(articles.schema.get_field_index(name),
                                       articles.schema.field(name), column)
    return articles


def _loose(schema: pa.Schema) -> pa.Schema:
    return pa.schema([f.with_nullable(True) for f in schema])


def _in_partition(articles: pa.Table, partition: Partition) -> pa.Table:
    for name, value in zip(("site", "month"), partition, strict=True):
        articles = articles.set_column(articles.schema.get_field_index(name), name,
                                       pa.array([value] * articles.num_rows, pa.string()))
    return articles


def _count_comments(run: pa.Table, before: pa.Table, after: pa.Table,
                    counts: Counter[str]) -> None:
    counts["comments/rows_in"] += len(pc.unique(run.column("comment_id")))
    old = before.column("comment_id")
    counts["comments/new"] += after.num_rows - (
        pc.sum(pc.is_in(after.column("comment_id"), value_set=pc.unique(old))).as_py() or 0)
    was = pc.unique(before.filter(pc.fill_null(before.column("edited"), False)).column(
        "comment_id"))
    now = after.filter(after.column("edited"))
    counts["comments/edited"] += now.num_rows - (
        pc.sum(pc.is_in(now.column("comment_id"), value_set=was)).as_py() or 0)

