"""(a) `process` over synthetic nightly runs: rows per second and peak RSS, run by run.

Each run is processed in a child process; the peak RSS is that of the child (its
cleaning threads included). The archive grows run after run, so the per-run peak RSS shows
whether memory follows the archive (it must not) or the run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import ROOT, Child, mb, save
from bench.synthetic import Plan, run_file, write_run


def _ready(plan: Plan, run: int, raw: Path) -> bool:
    return (run_file(plan, run, raw).parent / "_SUCCESS").exists()


def _prefetch(plan: Plan, run: int, raw: Path) -> subprocess.Popen[bytes] | None:
    """Write run `run` in a background process (niced), while the previous one is
    processed; the corpus is generated once and reused by later benchmarks."""
    if run >= plan.runs or _ready(plan, run, raw):
        return None
    code = ("import sys; from pathlib import Path; from bench.synthetic import Plan, write_run; "
            "write_run(Plan(int(sys.argv[1]), int(sys.argv[2])), int(sys.argv[3]), "
            "Path(sys.argv[4]))")
    return subprocess.Popen(["nice", "-n", "10", sys.executable, "-c", code,
                             str(plan.articles), str(plan.runs), str(run), str(raw)],
                            cwd=ROOT)


def generate(articles: int, runs: int, workdir: Path) -> tuple[Path, Plan]:
    """Where the corpus lives; its runs are written on demand (`_prefetch`)."""
    plan = Plan(articles, runs)
    return workdir / f"process-{articles}-{runs}", plan


def run(articles: int, runs: int, workdir: Path, workers: int = 0, fresh: bool = True,
        checkpoint: str | None = None) -> dict[str, Any]:
    """Process the corpus run by run; with `checkpoint`, the figures so far are saved
    under that name after every run (a long benchmark stopped early keeps them)."""
    data, plan = generate(articles, runs, workdir)
    raw = data / "raw"
    if fresh:
        for name in ("parquet", "state", "quarantine", "runs"):
            shutil.rmtree(data / name, ignore_errors=True)
    per_run = []
    background = _prefetch(plan, 0, raw)
    for index in range(runs):
        run_id = plan.run_id(index)
        if background is not None:
            background.wait()
        if not _ready(plan, index, raw):
            write_run(plan, index, raw)
        background = _prefetch(plan, index + 1, raw)
        child = Child(["process", str(data), run_id, str(workers)]).run()
        report = child.output["report"]
        counts = report["counts"]
        # Every raw line `process` reads (articles, comments, complete reads): the rows
        # the plain write writes, so that the two rates are of the same rows.
        rows_in = counts.get("raw/records", 0)
        archive_bytes = sum(p.stat().st_size for p in (data / "parquet").rglob("*.parquet"))
        entry = {"run": run_id, "records_in": rows_in,
                 "raw_mb": mb(run_file(plan, index, raw).stat().st_size),
                 "articles_and_comments_in": (counts.get("article/in", 0)
                                              + counts.get("comment/in", 0)),
                 "articles_in": counts.get("article/in", 0),
                 "comments_in": counts.get("comment/in", 0),
                 "seconds": round(child.output["seconds"], 2),
                 "rows_per_second": round(rows_in / child.output["seconds"]),
                 "cpu_seconds": round(child.output["cpu_seconds"], 1),
                 "rows_per_cpu_second": round(rows_in / child.output["cpu_seconds"]),
                 "articles_per_second": round(counts.get("article/in", 0)
                                              / child.output["seconds"]),
                 "peak_rss_mb": mb(child.peak_rss),
                 "plain": _plain(child.output["plain"]),
                 "peak_rss_self_mb": child.output["peak_rss_self_mb"],
                 "step_seconds": report["seconds"],
                 "duplicates": {k: v for k, v in counts.items() if "duplicates" in k},
                 "archive_parquet_mb": mb(archive_bytes)}
        per_run.append(entry)
        print(f"  {run_id}: {rows_in} records in {entry['seconds']} s "
              f"({entry['rows_per_second']} rows/s; plain pyarrow write "
              f"{entry['plain']['write_rows_per_second']} rows/s), peak RSS "
              f"{entry['peak_rss_mb']} MB, archive {entry['archive_parquet_mb']} MB", flush=True)
        if checkpoint:
            save(checkpoint, {"size": articles, "complete": index == runs - 1,
                              **_summary(articles, runs, workers, per_run)})
    if background is not None:
        background.wait()
    return _summary(articles, runs, workers, per_run)


def _plain(figures: dict[str, Any]) -> dict[str, Any]:
    rows = figures["rows"]
    both, both_cpu = (figures["read_seconds"] + figures["write_seconds"],
                      figures["read_cpu_seconds"] + figures["write_cpu_seconds"])
    return {**{k: round(v, 3) for k, v in figures.items() if k != "rows"}, "rows": rows,
            "write_rows_per_second": round(rows / figures["write_seconds"]),
            "write_rows_per_cpu_second": round(rows / max(figures["write_cpu_seconds"], 1e-9)),
            "read_write_rows_per_second": round(rows / both),
            "read_write_rows_per_cpu_second": round(rows / max(both_cpu, 1e-9))}


def _plain_total(per_run: list[dict[str, Any]]) -> dict[str, Any]:
    rows = sum(r["plain"]["rows"] for r in per_run)
    total = {k: sum(r["plain"][k] for r in per_run)
             for k in ("read_seconds", "read_cpu_seconds", "write_seconds", "write_cpu_seconds")}
    return _plain({"rows": rows, **total})


def _summary(articles: int, runs: int, workers: int,
             per_run: list[dict[str, Any]]) -> dict[str, Any]:
    total_rows = sum(r["records_in"] for r in per_run)
    total_seconds = sum(r["seconds"] for r in per_run)
    plain = _plain_total(per_run)
    rate = total_rows / total_seconds
    per_cpu = total_rows / sum(r["cpu_seconds"] for r in per_run)
    return {"articles": articles, "plain": plain,
            "share_of_plain_write": round(rate / plain["write_rows_per_second"], 3),
            "share_of_plain_write_per_cpu": round(per_cpu / plain["write_rows_per_cpu_second"], 3),
            "share_of_plain_read_write": round(rate / plain["read_write_rows_per_second"], 3),
            "runs": runs, "runs_processed": len(per_run),
            "workers": workers or "auto",
            "raw_mb": round(sum(r["raw_mb"] for r in per_run), 1),
            "total_seconds": round(total_seconds, 1),
            "rows_per_second": round(total_rows / total_seconds),
            "rows_per_cpu_second": round(total_rows / sum(r["cpu_seconds"] for r in per_run)),
            "articles_per_second": round(sum(r["articles_in"] for r in per_run)
                                         / total_seconds),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in per_run),
            "peak_rss_first_run_mb": per_run[0]["peak_rss_mb"],
            "peak_rss_last_run_mb": per_run[-1]["peak_rss_mb"],
            "step_seconds": {step: round(sum(r["step_seconds"].get(step, 0) for r in per_run), 1)
                             for step in ("clean", "plan", "store", "dedupe")},
            "per_run": per_run}
