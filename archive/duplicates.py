"""The dedupe step: exact and near duplicates across every site, marked `duplicate_of`.

`process` leaves each run's article fingerprints, one file per raw site, in
`DIR/state/minhash/pending/run=<run>/`. This step takes a run's fingerprints from all its
sites at once (so copies between sites of one run are found as in one pass), compares them
with each other and with the signature store (`archive.dedupe.find_duplicates`), sets
`duplicate_of` / `duplicate_kind` wherever a decision differs from what the archive holds
(the run's articles, stored copies of a new original, and stored copies re-pointed to an
earlier original), saves the fingerprints to the store and clears the run's queue, in that
order: killed, it is done again from the start, with the same result.

Runs are deduplicated oldest first. `process` calls it after the sites of each run; as its
own entry point (`pressarchive dedupe`) it runs after per-site `process --site` tasks.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from archive.dedupe import (
    SIGNATURES_SCHEMA,
    Dedupe,
    Duplicate,
    SignatureStore,
    find_duplicates,
    store_key,
)
from archive.layout import DataDir
from archive.lease import lease
from archive.reports import update_report
from archive.store import Partition

logger = logging.getLogger(__name__)
_SOURCE = "_site"


def dedupe(data: DataDir, *, runs: list[str] | None = None,
           parquet: str | None = None) -> list[dict[str, Any]]:
    """Deduplicate every run (or the given ones) with fingerprints waiting, oldest first;
    one report each (also written as the run report's `dedupe` section)."""
    from archive.process import Archive

    archive = Archive.open(data, parquet)
    reports = []
    for run_id in pending_runs(data):
        if runs is not None and run_id not in runs:
            continue
        report = dedupe_run(data, run_id, archive)
        if report is not None:
            update_report(data, run_id, "dedupe", report)
            reports.append(report)
    return reports


def _queue(data: DataDir) -> Any:
    return data.state / "minhash" / "pending"


def pending_runs(data: DataDir) -> list[str]:
    root = _queue(data)
    if not root.exists():
        return []
    return sorted(unquote(p.name.removeprefix("run=")) for p in root.glob("run=*")
                  if any(p.glob("*.parquet")))


@dataclass
class Decided:
    """A run's duplicates decided before its sites were stored (`decide`)."""

    sites: list[str]  # in the order of their queued fingerprints
    result: Dedupe
    duplicates: pa.Table  # article_id, duplicate_of, duplicate_kind: every run article
    archived: pa.Table  # the stored articles deciding looked up (see `_find`)


def decide(data: DataDir, run_id: str, archive: Any,
           prints: dict[str, pa.Table]) -> Decided | None:
    """What `dedupe_run` will decide for these sites' fingerprints (by site), decided
    before they are stored: the signature store and the archive's other articles do not
    change in between (`process` holds its lease; a `dedupe` of its own beside it is the
    per-site way, which is never mixed with the single step), so the decisions are the
    same. None when the run has fingerprints queued already (from an interrupted earlier
    processing): the dedupe step then decides."""
    if not prints or _queued_files(data, run_id):
        return None
    from archive.process import pending_path

    sites = sorted(prints, key=lambda site: pending_path(data, run_id, site))
    result, archived = _find(data, run_id, archive,
                             pa.concat_tables([prints[s] for s in sites]), sites)
    ids = sorted(result.decisions)
    chosen = [result.decisions[a] for a in ids]
    duplicates = pa.table({
        "article_id": pa.array(ids, pa.string()),
        "duplicate_of": pa.array([d.original if d else None for d in chosen], pa.string()),
        "duplicate_kind": pa.array([d.kind if d else None for d in chosen], pa.string())})
    return Decided(sites, result, duplicates, archived)


def _queued_files(data: DataDir, run_id: str) -> list[Any]:
    from archive.process import pending_path

    directory = pending_path(data, run_id, "x").parent
    return sorted(directory.glob("*.parquet")) if directory.exists() else []


_ARCHIVED = ["duplicate_of", "duplicate_kind"]


def _find(data: DataDir, run_id: str, archive: Any, prints: pa.Table,
          sites: list[str]) -> tuple[Dedupe, pa.Table]:
    """The run's decisions, and the stored articles of its clusters as the archive holds
    them (article_id, duplicate_of, duplicate_kind, site, month), which applying the
    decisions needs again."""
    store = SignatureStore(data.state / "minhash")
    looked_up = [archive.articles.lookup("article_id", [], _ARCHIVED)]  # empty: the columns

    def duplicate_of(ids: set[str]) -> dict[str, str]:
        table = archive.articles.lookup("article_id", ids, _ARCHIVED)
        looked_up.append(table)
        return {aid: dup for aid, dup in zip(table.column("article_id").to_pylist(),
                                             table.column("duplicate_of").to_pylist(),
                                             strict=True) if dup}

    result = find_duplicates(prints.select(SIGNATURES_SCHEMA.names), store,
                             [store_key(run_id, site) for site in sites],
                             linked=duplicate_of)
    return result, pa.concat_tables(looked_up)


def dedupe_run(data: DataDir, run_id: str, archive: Any,
               decided: Decided | None = None) -> dict[str, Any] | None:
    """Deduplicate one run's waiting fingerprints; None when none wait. `decided`: what
    `decide` found for them before they were stored (used when the same sites wait)."""
    from archive.process import STORED_DUPLICATES

    started = time.monotonic()
    with lease(data.state / "dedupe.lock"):
        files = _queued_files(data, run_id)
        if not files:
            return None
        sites = [unquote(p.stem) for p in files]
        prints = pa.concat_tables([
            pq.read_table(p).append_column(_SOURCE, pa.array([site] * pq.read_metadata(
                p).num_rows, pa.string())) for p, site in zip(files, sites, strict=True)])
        result, archived = ((decided.result, decided.archived)
                            if decided is not None and decided.sites == sites
                            else _find(data, run_id, archive, prints, sites))
        store = SignatureStore(data.state / "minhash")
        keys = {site: store_key(run_id, site) for site in sites}
        counts: Counter[str] = Counter(result.counts)
        kept = prints.filter(pc.is_in(prints.column("article_id"),
                                      value_set=result.to_save.column("article_id")))
        # The store and the archive are apart: the run's signatures are saved while its
        # decisions are written (a rerun excludes the run's own entries either way).
        with ThreadPoolExecutor(1, thread_name_prefix="save") as pool:
            saving = pool.submit(_save, store, kept, keys)
            changed = _apply(result, archive, counts,
                             prints.select(["article_id", *STORED_DUPLICATES]), archived)
            saving.result()
        shutil.rmtree(files[0].parent)
    return {"run_id": run_id, "counts": dict(sorted(counts.items())),
            "seconds": {"dedupe": round(time.monotonic() - started, 3)},
            "partitions_written": changed}


def _save(store: SignatureStore, kept: pa.Table, keys: dict[str, str]) -> None:
    """The run's fingerprints worth keeping, by site, under their store keys."""
    for site, key in keys.items():
        store.save(key, kept.filter(pc.equal(kept.column(_SOURCE), site)).select(
            SIGNATURES_SCHEMA.names))


def _decisions(result: Dedupe, archive: Any, counts: Counter[str]) -> dict[str, Duplicate | None]:
    """Every article whose `duplicate_of` the run decides: its own, stored copies of its
    originals, and stored copies of its copies (re-pointed to the original)."""
    decided: dict[str, Duplicate | None] = {**result.decisions, **result.stored}
    if not result.repoint:
        return decided
    followers = archive.articles.lookup("duplicate_of", result.repoint,
                                        ["article_id", "content_hash"])
    for row in followers.to_pylist():
        if row["article_id"] in decided:
            continue
        original = result.repoint[row["duplicate_of"]]
        decision = None
        if original != row["article_id"]:
            kind = ("exact" if row["content_hash"] == result.original_hashes.get(original)
                    else "near")
            decision = Duplicate(original, kind)
        decided[row["article_id"]] = decision
        counts["articles/duplicates_repointed"] += 1
    return decided


def _apply(result: Dedupe, archive: Any, counts: Counter[str], known: pa.Table,
           archived: pa.Table) -> int:
    """Write the decisions that differ from the archive; returns the partitions written.
    `known`: where the run's own articles live and what they hold (from `process`);
    `archived`: stored articles deciding looked up (storing the run does not change them:
    it writes the run's articles only); the other decided articles are looked up."""
    decided = _decisions(result, archive, counts)
    if not decided:
        return 0
    known = known.filter(pc.is_valid(known.column("site")))
    others = set(decided) - set(known.column("article_id").to_pylist())
    have = archived.filter(pc.is_in(archived.column("article_id"),
                                    value_set=pa.array(sorted(others), pa.string())))
    current = pa.concat_tables([have, archive.articles.lookup(
        "article_id", others - set(have.column("article_id").to_pylist()), _ARCHIVED)])
    todo: dict[Partition, dict[str, Duplicate | None]] = {}
    rows = known.filter(pc.is_in(known.column("article_id"),
                                 value_set=pa.array(sorted(decided), pa.string())))
    for row in [*rows.to_pylist(), *current.to_pylist()]:
        decision = decided[row["article_id"]]
        wanted = (decision.original, decision.kind) if decision else (None, None)
        if (row["duplicate_of"], row["duplicate_kind"]) != wanted:
            todo.setdefault((row["site"], row["month"]), {})[row["article_id"]] = decision
    for partition, decisions in sorted(todo.items()):
        with archive.writing(partition):
            table = archive.articles.read(partition)
            ids = pa.array(sorted(decisions), pa.string())
            where = pc.index_in(table.column("article_id"), value_set=ids)
            originals = pa.array([decisions[a].original if decisions[a] else None
                                  for a in ids.to_pylist()], pa.string())
            kinds = pa.array([decisions[a].kind if decisions[a] else None
                              for a in ids.to_pylist()], pa.string())
            hit = pc.is_valid(where)
            for name, values in (("duplicate_of", originals), ("duplicate_kind", kinds)):
                column = pc.if_else(hit, values.take(where), table.column(name))
                table = table.set_column(table.schema.get_field_index(name),
                                         table.schema.field(name), column)
            archive.articles.write(partition, table)
    return len(todo)
