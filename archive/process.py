"""The process step: raw crawl records in, the curated Parquet archive out.

For each raw run not yet processed (or changed since): clean and validate every record
(rejects go to the quarantine), fold repeated records of the run, find exact and near
duplicates against the whole archive, then merge into the affected partitions, each
replaced atomically. Re-running a step on the same input changes nothing.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from archive.dedupe import SignatureStore, find_duplicates, fingerprints
from archive.layout import DataDir
from archive.lease import lease
from archive.merge import finish_partition, merge_rows, upsert
from archive.quarantine import write_quarantine
from archive.records import Rejected, clean_article, clean_comment
from archive.reports import update_report
from archive.store import Partition, PartitionStore
from crawler.rawzone import RawReadStats, item_files, read_items
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
        root = (parquet or str(data.parquet)).rstrip("/")
        return cls(PartitionStore(f"{root}/articles", ARTICLE),
                   PartitionStore(f"{root}/comments", COMMENT))


@dataclass
class Change:
    """What one partition receives from a run."""

    articles: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)
    remove: set[str] = field(default_factory=set)
    moved_in: list[tuple[Row, list[Row]]] = field(default_factory=list)
    duplicates: dict[str, tuple[str, str]] = field(default_factory=dict)


def process(data: DataDir, *, runs: list[str] | None = None, parquet: str | None = None,
            force: bool = False) -> list[dict[str, Any]]:
    """Process the given raw runs (default: those not processed since they last changed)."""
    archive = Archive.open(data, parquet)
    with lease(data.state / "process.lock"):
        archive.articles.clear_staging()
        archive.comments.clear_staging()
        todo = runs if runs is not None else data.run_ids()
        return [process_run(data, run_id, archive) for run_id in todo
                if force or runs is not None or _changed_since_processed(data, run_id)]


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


def _records(data: DataDir, run_id: str, stats: RawReadStats) -> Iterator[Row]:
    for site in data.raw_sites(run_id):
        yield from read_items(site, stats)


def process_run(data: DataDir, run_id: str, archive: Archive) -> dict[str, Any]:
    started = time.monotonic()
    counts: Counter[str] = Counter()
    timings: dict[str, float] = {}
    rejected: list[Rejected] = []
    stats = RawReadStats()

    articles, comments = _clean(_records(data, run_id, stats), counts, rejected)
    counts["raw/records"], counts["raw/broken_lines"] = stats.lines, stats.broken_lines
    timings["clean"] = time.monotonic() - started

    mark = time.monotonic()
    plan = _plan(articles, comments, archive, counts, rejected)
    prints = fingerprints(list(articles.values())) if articles else []
    signatures = SignatureStore(data.state / "minhash")
    duplicates = find_duplicates(prints, signatures)
    _assign_duplicates(duplicates, articles, plan, archive, counts)
    timings["dedupe"] = time.monotonic() - mark

    mark = time.monotonic()
    _apply(plan, archive, counts)
    signatures.save(run_id, prints)
    counts.update({f"quarantined/{k}": v for k, v in
                   write_quarantine(data.quarantine, run_id, rejected).items()})
    timings["store"] = time.monotonic() - mark

    report = {"run_id": run_id, "counts": dict(sorted(counts.items())),
              "seconds": {k: round(v, 3) for k, v in timings.items()},
              "partitions_written": len(plan)}
    update_report(data, run_id, "process", report)
    marker = _marker(data, run_id)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"input": _input_signature(data, run_id)}))
    return report


def _clean(records: Iterator[Row], counts: Counter[str], rejected: list[Rejected]) -> tuple[
    dict[str, Row], dict[str, Row]
]:
    """Clean and validate, folding repeated records of one run (newest fetch wins)."""
    articles: dict[str, Row] = {}
    comments: dict[str, Row] = {}
    for record in records:
        kind = record.get("type")
        if kind == "article":
            row, target, key = clean_article(record, counts), articles, "article_id"
        elif kind == "comment":
            row, target, key = clean_comment(record, counts), comments, "comment_id"
        elif kind == "done":
            continue
        else:
            row, target, key = Rejected("articles", "unknown_record_type", record), {}, ""
        counts[f"{kind}/in"] += 1
        if isinstance(row, Rejected):
            rejected.append(row)
            continue
        target[row[key]] = merge_rows(target.get(row[key]), row)
    return articles, comments


def _plan(articles: dict[str, Row], comments: dict[str, Row], archive: Archive,
          counts: Counter[str], rejected: list[Rejected]) -> dict[Partition, Change]:
    """Which partition receives which rows, and which articles move between partitions."""
    plan: dict[Partition, Change] = {}
    home: dict[str, Partition] = {aid: (a["site"], a["month"]) for aid, a in articles.items()}
    for aid, row in articles.items():
        plan.setdefault(home[aid], Change()).articles.append(row)
    for aid, partitions in archive.articles.locate(list(articles)).items():
        for old in partitions - {home[aid]}:
            plan.setdefault(old, Change()).remove.add(aid)
            counts["articles/moved"] += 1
    missing = {c["article_id"] for c in comments.values()} - home.keys()
    for aid, partitions in archive.articles.locate(sorted(missing)).items():
        home[aid] = min(partitions)
    for row in comments.values():
        partition = home.get(row["article_id"])
        if partition is None:
            rejected.append(Rejected("comments", "orphan_comment", _jsonable(row)))
            continue
        plan.setdefault(partition, Change()).comments.append(row)
    counts["articles/rows_in"], counts["comments/rows_in"] = len(articles), len(comments)
    return plan


def _assign_duplicates(duplicates: dict, articles: dict[str, Row],
                       plan: dict[Partition, Change], archive: Archive,
                       counts: Counter[str]) -> None:
    stored = [aid for aid in duplicates if aid not in articles]
    for aid, dup in duplicates.items():
        counts[f"articles/duplicates_{dup.kind}"] += 1
        if aid in articles:
            articles[aid]["duplicate_of"], articles[aid]["duplicate_kind"] = dup.original, dup.kind
    for aid, partitions in archive.articles.locate(stored).items():
        for partition in partitions:
            plan.setdefault(partition, Change()).duplicates[aid] = (
                duplicates[aid].original, duplicates[aid].kind)


def _apply(plan: dict[Partition, Change], archive: Archive, counts: Counter[str]) -> None:
    """Write every planned partition: those that gain rows first, removals last, so that an
    interrupted move leaves a row twice (mended by the rerun), never nowhere."""
    leaving = {p for p, change in plan.items() if change.remove}
    _collect_moves(plan, archive)
    for partition in sorted(plan, key=lambda p: (p in leaving, p)):
        _write_partition(partition, plan[partition], archive, counts)


def _collect_moves(plan: dict[Partition, Change], archive: Archive) -> None:
    """Carry moving articles' stored rows (and comments) to their new partition."""
    destination = {row["article_id"]: p for p, change in plan.items() for row in change.articles}
    for partition, change in list(plan.items()):
        if not change.remove:
            continue
        old_articles = archive.articles.read(partition).to_pylist()
        old_comments = archive.comments.read(partition).to_pylist()
        for row in old_articles:
            if row["article_id"] in change.remove:
                thread = [c for c in old_comments if c["article_id"] == row["article_id"]]
                plan[destination[row["article_id"]]].moved_in.append((row, thread))


def _write_partition(partition: Partition, change: Change, archive: Archive,
                     counts: Counter[str]) -> None:
    site, month = partition
    stored_articles = [r for r in archive.articles.read(partition).to_pylist()
                       if r["article_id"] not in change.remove]
    stored_comments = [c for c in archive.comments.read(partition).to_pylist()
                       if c["article_id"] not in change.remove]
    for row, thread in change.moved_in:
        stored_articles.append({**row, "site": site, "month": month})
        stored_comments.extend(thread)
    before = {c["comment_id"]: c["edited"] for c in stored_comments}
    new_ids = {r["article_id"] for r in change.articles} - {r["article_id"]
                                                            for r in stored_articles}
    articles = upsert(_fold(stored_articles, "article_id"), change.articles, "article_id")
    comments = upsert(_fold(stored_comments, "comment_id"), change.comments, "comment_id")
    for aid, (original, kind) in change.duplicates.items():
        if aid in articles:
            articles[aid]["duplicate_of"], articles[aid]["duplicate_kind"] = original, kind
    finish_partition(articles, comments)
    counts["articles/new"] += len(new_ids)
    counts["comments/new"] += sum(1 for cid in comments if cid not in before)
    counts["comments/edited"] += sum(1 for cid, c in comments.items()
                                     if c["edited"] and not before.get(cid, False))
    archive.articles.write(partition, pa.Table.from_pylist(
        sorted(articles.values(), key=lambda r: r["article_id"]), archive.articles.schema))
    archive.comments.write(partition, pa.Table.from_pylist(
        sorted(comments.values(), key=lambda r: (r["article_id"], r["position"])),
        archive.comments.schema))


def _fold(rows: list[Row], key: str) -> list[Row]:
    folded: dict[str, Row] = {}
    for row in rows:
        folded[row[key]] = merge_rows(folded.get(row[key]), row)
    return list(folded.values())


def _jsonable(row: Row) -> Row:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
