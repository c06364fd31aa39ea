"""The process step: raw crawl records in, the curated Parquet archive out.

For each raw run not yet processed (or changed since), under a lease so that two
overlapping invocations never write at once:

1. **clean** (`archive.ingest`) – stream the raw records through clean/validate
   (`archive.records`, in worker processes for big runs) and compute each article's
   MinHash signature; rejects stream to the quarantine; article rows are set aside on
   local disk by (site, month) partition and comments in arrival order (`archive.spill`),
   so memory does not grow with the run;
2. **plan** – find where the run's articles are stored already (key columns only): an
   article lives in the partition of its newest version, so one whose month changed moves
   with its comments; comments go to their article's partition, or to the quarantine
   (`orphan_comment`) when the article is unknown;
3. **dedupe** – exact and near duplicates against the whole archive (`archive.dedupe`);
4. **store** – partition by partition: read the stored partition, upsert the run's rows
   (`archive.merge` rules), recompute derived fields of the touched articles only, and
   replace the partition atomically (`archive.store`), comments before articles.
   Partitions that gain rows are written before those that lose rows, so an interrupted
   move leaves a row twice (mended by the rerun), never nowhere;
5. the run's signatures, quarantine, report section and processed marker, in that order:
   the marker is written last, so a killed run is processed again from the start, and
   re-processing converges to the same archive.

Peak memory is bounded by the largest partition plus a few KB per article of the run
(its fingerprint and bookkeeping), not by the archive.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc

from archive.dedupe import (
    Dedupe,
    Duplicate,
    SignatureStore,
    find_duplicates,
)
from archive.ingest import Ingest, ingest_run
from archive.layout import DataDir
from archive.lease import lease
from archive.merge import finish_partition, upsert, version_key
from archive.quarantine import QuarantineWriter
from archive.records import Rejected
from archive.reports import update_report
from archive.spill import ALL, Spill, nullable
from archive.store import Partition, PartitionStore, resolve
from crawler.rawzone import item_files
from schemas.arrow import arrow_schema
from schemas.records import ARTICLE, COMMENT

logger = logging.getLogger(__name__)
Row = dict[str, Any]


@dataclass
class Archive:
    """The two datasets of the archive, local or on object storage."""

    articles: PartitionStore
    comments: PartitionStore

    @classmethod
    def open(cls, data: DataDir, parquet: str | None = None) -> Archive:
        filesystem, root = resolve(parquet or str(data.parquet))
        root = root.rstrip("/")
        return cls(PartitionStore(f"{root}/articles", ARTICLE, filesystem),
                   PartitionStore(f"{root}/comments", COMMENT, filesystem))


def process(data: DataDir, *, runs: list[str] | None = None, parquet: str | None = None,
            force: bool = False, workers: int | None = None) -> list[dict[str, Any]]:
    """Process the given raw runs (default: those not processed since they last changed).

    `workers`: cleaning processes for big runs (default: one per CPU for a run of 16 MB of
    raw records or more, in-process below). They are started with `spawn`, which imports
    the caller's main module again: a script calling this needs the usual
    `if __name__ == "__main__":` guard (the CLI and `python -m` entry points have it), or
    `workers=1`."""
    archive = Archive.open(data, parquet)
    with lease(data.state / "process.lock"):
        archive.articles.clear_staging()
        archive.comments.clear_staging()
        shutil.rmtree(_spill_root(data), ignore_errors=True)
        todo = runs if runs is not None else data.run_ids()
        return [process_run(data, run_id, archive, workers=workers) for run_id in todo
                if force or runs is not None or _changed_since_processed(data, run_id)]


def _spill_root(data: DataDir) -> Path:
    return data.state / "process-spill"


def _input_signature(data: DataDir, run_id: str) -> list[list[Any]]:
    return [[str(p.relative_to(data.raw)), p.stat().st_size]
            for site in data.raw_sites(run_id) for p in item_files(site)]


def _marker(data: DataDir, run_id: str) -> Path:
    return data.state / "processed" / f"{run_id}.json"


def _changed_since_processed(data: DataDir, run_id: str) -> bool:
    marker = _marker(data, run_id)
    if not marker.exists():
        return True
    return json.loads(marker.read_text())["input"] != _input_signature(data, run_id)


def process_run(data: DataDir, run_id: str, archive: Archive,
                workers: int | None = None) -> dict[str, Any]:
    started = time.monotonic()
    counts: Counter[str] = Counter()
    timings: dict[str, float] = {}
    spill_dir = _spill_root(data) / quote(run_id, safe="")
    shutil.rmtree(spill_dir, ignore_errors=True)
    quarantine = QuarantineWriter(data.quarantine, run_id)
    signature_store = SignatureStore(data.state / "minhash")
    try:
        mark = time.monotonic()
        ingest = ingest_run(data, run_id, spill_dir, counts, quarantine, workers)
        timings["clean"] = time.monotonic() - mark

        mark = time.monotonic()
        plan = _plan(ingest, archive, counts, quarantine, spill_dir)
        timings["plan"] = time.monotonic() - mark

        mark = time.monotonic()
        dedupe = find_duplicates(ingest.fingerprints(), signature_store, run_id,
                                 linked=lambda ids: _duplicate_of(archive, ids))
        _assign_duplicates(dedupe, ingest, plan, archive, counts)
        pa.default_memory_pool().release_unused()
        timings["dedupe"] = time.monotonic() - mark

        mark = time.monotonic()
        _apply(plan, ingest, archive, counts)
        timings["store"] = time.monotonic() - mark

        signature_store.save(run_id, dedupe.to_save)
        counts.update({f"quarantined/{k}": v for k, v in quarantine.close().items()})
    except BaseException:
        quarantine.abort()
        raise
    finally:
        shutil.rmtree(spill_dir, ignore_errors=True)
    timings["total"] = time.monotonic() - started

    report = {"run_id": run_id, "counts": dict(sorted(counts.items())),
              "seconds": {k: round(v, 3) for k, v in timings.items()},
              "partitions_written": len(plan)}
    update_report(data, run_id, "process", report)
    marker = _marker(data, run_id)
    marker.parent.mkdir(parents=True, exist_ok=True)
    staging = marker.with_name(f".{marker.name}.tmp")
    staging.write_text(json.dumps({"input": _input_signature(data, run_id)}))
    staging.replace(marker)
    return report


# --- 2. plan -------------------------------------------------------------------------------

@dataclass
class Change:
    """What one partition receives from a run."""

    remove: set[str] = field(default_factory=set)  # articles moving out, with comments
    moved_in: list[tuple[Row, list[Row]]] = field(default_factory=list)
    extra: list[Row] = field(default_factory=list)  # run rows spilled to another partition
    exclude: set[str] = field(default_factory=set)  # spilled here, but homed elsewhere
    duplicates: dict[str, Duplicate | None] = field(default_factory=dict)


def _plan(ingest: Ingest, archive: Archive, counts: Counter[str],
          quarantine: QuarantineWriter, spill_dir: Path) -> dict[Partition, Change]:
    """Which partition receives which rows, and which articles move between partitions."""
    plan: dict[Partition, Change] = {p: Change() for p in ingest.articles.partitions()}
    wanted = set(ingest.newest) | ingest.comment_articles
    stored = archive.articles.lookup("article_id", wanted,
                                     ["fetched_at", "crawl_run_id", "content_hash"])
    versions: dict[str, dict[Partition, tuple[Any, ...]]] = {}
    for row in stored.to_pylist():
        versions.setdefault(row["article_id"], {})[(row["site"], row["month"])] = version_key(
            row["fetched_at"], row["crawl_run_id"], row["content_hash"])

    home: dict[str, Partition] = {}
    moving: dict[Partition, dict[str, Partition]] = {}
    for aid, newest in ingest.newest.items():
        options = [(newest.version, 1, newest.partition)] + [
            (version, 0, partition) for partition, version in versions.get(aid, {}).items()]
        home[aid] = target = max(options)[2]
        if aid in versions:
            counts["articles/updated"] += 1
        else:
            counts["articles/new"] += 1
        for partition in versions.get(aid, {}).keys() - {target}:
            plan.setdefault(partition, Change()).remove.add(aid)
            moving.setdefault(partition, {})[aid] = target
            counts["articles/moved"] += 1
        for partition in newest.spilled - {target}:
            plan.setdefault(partition, Change()).exclude.add(aid)
    for aid in ingest.comment_articles - home.keys():
        if aid in versions:
            home[aid] = max((v, p) for p, v in versions[aid].items())[1]

    ingest.home = home
    _carry_moves(moving, archive, plan)
    _carry_misrouted(plan, ingest, home)
    ingest.routed = _route_comments(ingest, home, plan, counts, quarantine, spill_dir)
    return plan


def _carry_moves(moving: dict[Partition, dict[str, Partition]], archive: Archive,
                 plan: dict[Partition, Change]) -> None:
    """Carry moving articles' stored rows (and comments) to their new partition."""
    for source, targets in sorted(moving.items()):
        ids = pa.array(sorted(targets), pa.string())
        articles = archive.articles.read(source, filter=pc.field("article_id").isin(ids))
        comments = archive.comments.read(source, filter=pc.field("article_id").isin(ids))
        threads: dict[str, list[Row]] = {}
        for comment in comments.to_pylist():
            threads.setdefault(comment["article_id"], []).append(comment)
        for row in articles.to_pylist():
            target = targets[row["article_id"]]
            plan.setdefault(target, Change()).moved_in.append(
                (row, threads.get(row["article_id"], [])))


def _carry_misrouted(plan: dict[Partition, Change], ingest: Ingest,
                     home: dict[str, Partition]) -> None:
    """Run rows of an article spilled to a partition that is not its home (an older
    version with another month) join the home partition's rows."""
    for partition, change in sorted(plan.items()):
        if not change.exclude:
            continue
        for row in ingest.articles.rows(partition):
            if row["article_id"] in change.exclude:
                plan.setdefault(home[row["article_id"]], Change()).extra.append(row)


def _route_comments(ingest: Ingest, home: dict[str, Partition], plan: dict[Partition, Change],
                    counts: Counter[str], quarantine: QuarantineWriter,
                    spill_dir: Path) -> Spill:
    routed = Spill(spill_dir / "comments", nullable(_COMMENT_SCHEMA))
    for chunk in ingest.comments.tables(ALL):
        for row in chunk:
            raw = row.pop("_raw")
            partition = home.get(row["article_id"])
            if partition is None:
                quarantine.add(Rejected("comments", "orphan_comment", json.loads(raw)))
                continue
            routed.add(partition, row)
            plan.setdefault(partition, Change())
    ingest.comments.discard(ALL)
    return routed


# --- 3. dedupe -----------------------------------------------------------------------------

def _duplicate_of(archive: Archive, ids: set[str]) -> dict[str, str]:
    """The `duplicate_of` the archive holds for these articles (where set)."""
    table = archive.articles.lookup("article_id", ids, ["duplicate_of"])
    return {aid: dup for aid, dup in zip(table.column("article_id").to_pylist(),
                                         table.column("duplicate_of").to_pylist(),
                                         strict=True) if dup}


def _assign_duplicates(dedupe: Dedupe, ingest: Ingest, plan: dict[Partition, Change],
                       archive: Archive, counts: Counter[str]) -> None:
    """Put every `duplicate_of` decision in the plan of the partition holding the article:
    the run's articles, stored copies of a new or earlier original, and stored copies that
    named an article which turns out to be a copy itself (re-pointed to the original)."""
    counts.update(dedupe.counts)
    for aid, decision in dedupe.decisions.items():
        plan.setdefault(ingest.home[aid], Change()).duplicates[aid] = decision
    decided = set(dedupe.decisions)
    if dedupe.stored:
        located = archive.articles.locate(sorted(dedupe.stored))
        for aid, partitions in located.items():
            for partition in partitions:
                plan.setdefault(partition, Change()).duplicates[aid] = dedupe.stored[aid]
        decided |= dedupe.stored.keys()
    if not dedupe.repoint:
        return
    followers = archive.articles.lookup("duplicate_of", dedupe.repoint,
                                        ["article_id", "content_hash"])
    for row in followers.to_pylist():
        if row["article_id"] in decided:
            continue
        original = dedupe.repoint[row["duplicate_of"]]
        decision = None
        if original != row["article_id"]:
            kind = ("exact" if row["content_hash"] == dedupe.original_hashes.get(original)
                    else "near")
            decision = Duplicate(original, kind)
        plan.setdefault((row["site"], row["month"]), Change()).duplicates[
            row["article_id"]] = decision
        counts["articles/duplicates_repointed"] += 1


# --- 4. store ------------------------------------------------------------------------------

def _apply(plan: dict[Partition, Change], ingest: Ingest, archive: Archive,
           counts: Counter[str]) -> None:
    """Write every planned partition: those that gain rows first, removals last."""
    for partition in sorted(plan, key=lambda p: (bool(plan[p].remove), p)):
        _write_partition(partition, plan[partition], ingest, archive, counts)
        ingest.articles.discard(partition)
        if ingest.routed is not None:
            ingest.routed.discard(partition)
        pa.default_memory_pool().release_unused()  # one partition's buffers, not the sum


def _write_partition(partition: Partition, change: Change, ingest: Ingest, archive: Archive,
                     counts: Counter[str]) -> None:
    site, month = partition
    run_articles = [r for r in ingest.articles.rows(partition)
                    if r["article_id"] not in change.exclude] + change.extra
    run_comments = ingest.routed.rows(partition) if ingest.routed is not None else []
    moved_articles = [{**row, "site": site, "month": month} for row, _ in change.moved_in]
    moved_comments = [c for _, thread in change.moved_in for c in thread]

    touched = ({r["article_id"] for r in run_articles}
               | {c["article_id"] for c in run_comments}
               | {r["article_id"] for r in moved_articles} | change.duplicates.keys())
    stored_articles = archive.articles.read(partition)
    stored_comments = archive.comments.read(partition)
    keep_articles, work_articles = _split(stored_articles, touched, change.remove)
    keep_comments, work_comments = _split(stored_comments, touched, change.remove)

    before = {c["comment_id"]: c["edited"] for c in work_comments + moved_comments}
    articles = upsert(work_articles + moved_articles, run_articles, "article_id")
    comments = upsert(work_comments + moved_comments, run_comments, "comment_id")
    for row in articles.values():
        row["site"], row["month"] = site, month
    for aid, decision in change.duplicates.items():
        if aid in articles:
            articles[aid]["duplicate_of"] = decision.original if decision else None
            articles[aid]["duplicate_kind"] = decision.kind if decision else None
    finish_partition(articles, comments)

    counts["comments/rows_in"] += len({c["comment_id"] for c in run_comments})
    counts["comments/new"] += sum(1 for cid in comments if cid not in before)
    counts["comments/edited"] += sum(1 for cid, c in comments.items()
                                     if c["edited"] and not before.get(cid, False))
    # Comments first: the articles file is the partition's commit point. Killed in
    # between, a rerun still finds a moving article in its old partition and takes its
    # comments along; the other way round, they would stay behind for good.
    archive.comments.write(partition, _table(keep_comments, comments.values(),
                                             archive.comments.schema,
                                             ["article_id", "position", "comment_id"]))
    archive.articles.write(partition, _table(keep_articles, articles.values(),
                                             archive.articles.schema, ["article_id"]))
    counts["partitions/written"] += 1


def _split(table: pa.Table, touched: set[str], remove: set[str]) -> tuple[pa.Table, list[Row]]:
    """Rows of untouched articles (kept as they are, in Arrow) and rows of touched articles
    (to merge, as Python rows); rows of articles moving out are dropped."""
    if table.num_rows == 0:
        return table, []
    ids = table.column("article_id")
    touched_mask = pc.is_in(ids, value_set=pa.array(sorted(touched), pa.string()))
    removed_mask = pc.is_in(ids, value_set=pa.array(sorted(remove), pa.string()))
    keep = table.filter(pc.invert(pc.or_(touched_mask, removed_mask)))
    work = table.filter(pc.and_(touched_mask, pc.invert(removed_mask))).to_pylist()
    return keep, work


def _table(kept: pa.Table, rows: Iterable[Row], schema: pa.Schema,
           order: list[str]) -> pa.Table:
    merged = pa.Table.from_pylist(list(rows), schema)
    table = pa.concat_tables([kept.cast(schema), merged]) if kept.num_rows else merged
    return table.sort_by([(name, "ascending") for name in order])


_COMMENT_SCHEMA = arrow_schema(COMMENT)
