"""`python -m bench [--only NAME] [--size N]`: run the benchmarks, print a table, write
`bench/results/<name>.json`.

  process     `process` over 10 nightly raw runs: rows/s, peak RSS   size: articles (100,000)
  dedupe      MinHash + LSH alone: articles/s, peak RSS, recall     size: articles (100,000)
  extraction  extract_page vs trafilatura on real pages, one core   size: pages (all 966)
  crawl       local fixture site, politeness off: pages/s           size: articles (300)
  tantivy     documents/s indexed, query latency p50/p99            size: documents (200,000)
  airflow     the nightly DAG on Celery, 1 or 4 sites, 1 or 2 workers size: articles/site (150)

Benchmarks are never part of the tests. Data is generated under `--workdir` (default a
`pressarchive-bench` folder in the temporary directory) and reused by later runs.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Child, mb, save, table

DEFAULTS = {"process": 100_000, "dedupe": 100_000, "extraction": 0, "crawl": 300,
            "tantivy": 200_000, "airflow": 150}
RUNS = 10  # nightly runs of the `process` benchmark


def result_name(benchmark: str, size: int, args: argparse.Namespace) -> str:
    """Where a benchmark's figures are saved (`results/<name>.json`): its name, with its size
    and, for `process`, its number of runs where they are not the defaults."""
    name = benchmark if size == DEFAULTS[benchmark] else f"{benchmark}-{size}"
    return name if benchmark != "process" or args.runs == RUNS else f"{name}-{args.runs}-runs"


def _process(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    from bench.process_bench import run

    result = run(size, args.runs, args.workdir, workers=args.workers,
                 checkpoint=result_name("process", size, args))
    name = f"process {size:,}"
    return result, [
        (name, "rows/s (raw lines in)", f"{result['rows_per_second']:,}"),
        (name, "rows per CPU-second", f"{result['rows_per_cpu_second']:,}"),
        (name, "plain pyarrow write rows/s | per CPU-second",
         f"{result['plain']['write_rows_per_second']:,} | "
         f"{result['plain']['write_rows_per_cpu_second']:,}"),
        (name, "process / plain write (wall | CPU)",
         f"{result['share_of_plain_write']:.1%} | {result['share_of_plain_write_per_cpu']:.1%}"),
        (name, "plain JSON read + write rows/s",
         f"{result['plain']['read_write_rows_per_second']:,}"),
        (name, "process / plain read + write (wall)", f"{result['share_of_plain_read_write']:.1%}"),
        (name, "articles/s", f"{result['articles_per_second']:,}"),
        (name, "peak RSS (MB), worst run", result["peak_rss_mb"]),
        (name, "peak RSS (MB), first / last run",
         f"{result['peak_rss_first_run_mb']} / {result['peak_rss_last_run_mb']}"),
        (name, "seconds (clean/plan/store/dedupe)",
         " / ".join(str(v) for v in result["step_seconds"].values())),
        (name, "total seconds", result["total_seconds"]),
    ]


def _dedupe(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    child = Child(["dedupe", str(size), str(args.workdir)]).run()
    result = {**child.output, "peak_rss_mb": mb(child.peak_rss)}
    name = f"near-duplicates {size:,}"
    return result, [
        (name, "signatures/s (one core)", f"{result['signatures_per_second']:,}"),
        (name, "signatures per CPU-second", f"{result['signatures_per_cpu_second']:,}"),
        (name, "LSH + verification articles/s", f"{result['lsh_per_second']:,}"),
        (name, "whole step articles/s", f"{result['step_per_second']:,}"),
        (name, "next run vs store: articles/s", f"{result['second_batch_lsh_per_second']:,}"),
        (name, "planted copies found (pairs)", result["recall"]),
        (name, "peak RSS (MB)", result["peak_rss_mb"]),
    ]


def _extraction(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    child = Child(["extraction", str(size)]).run()
    result = {**child.output, "peak_rss_mb": mb(child.peak_rss)}
    name = f"extraction {result['pages']} real pages"
    rows = [(name, f"{reader} pages per CPU-second (pages/s)",
             f"{result[reader]['per_cpu_second']} ({result[reader]['per_second']})")
            for reader in ("extract_page", "trafilatura_full", "trafilatura_body")]
    rows.append((name, "extract_page / trafilatura full, per CPU-second", result["ratio_cpu"]))
    return result, rows


def _crawl(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    from bench.crawl_bench import measure

    result = measure(size, args.workdir)
    rows = [(f"crawl rest_api={mode}", "pages/s (articles/s)",
             f"{figures['pages_per_second']} ({figures['articles_per_second']})")
            for mode, figures in result["modes"].items()]
    return result, rows


def _tantivy(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    child = Child(["tantivy", str(size), str(args.workdir), str(args.queries)]).run()
    result = {**child.output, "peak_rss_mb": mb(child.peak_rss)}
    name = f"tantivy {size:,}"
    return result, [
        (name, "documents/s indexed", f"{result['documents_per_second']:,}"),
        (name, "text query p50 / p99 (ms)",
         f"{result['text']['p50_ms']} / {result['text']['p99_ms']}"),
        (name, "text + date range p50 / p99 (ms)",
         f"{result['text_and_dates']['p50_ms']} / {result['text_and_dates']['p99_ms']}"),
    ]


def _airflow(size: int, args: argparse.Namespace) -> tuple[dict[str, Any], list[tuple]]:
    from bench.airflow_bench import measure

    result = measure(size, args.workdir)
    rows = [(f"nightly {name}", "night / crawls / process tasks / dedupe (s)",
             f"{f['night_seconds']} / {f['crawl_span_seconds']} / "
             f"{f['process_span_seconds']} / {f['dedupe_seconds']}")
            for name, f in result["configurations"].items()]
    rows += [(f"nightly {name}", "process step itself, summed over sites (s)",
              f["process_step_seconds"]) for name, f in result["configurations"].items()]
    return result, rows


BENCHMARKS = {"process": _process, "dedupe": _dedupe, "extraction": _extraction,
              "crawl": _crawl, "tantivy": _tantivy, "airflow": _airflow}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append",
                        help="run only this benchmark (repeatable)")
    parser.add_argument("--size", type=int, help="size of the benchmark (see the table)")
    parser.add_argument("--runs", type=int, default=RUNS, help="raw runs for `process`")
    parser.add_argument("--workers", type=int, default=0,
                        help="cleaning processes for `process` (0: one per CPU)")
    parser.add_argument("--queries", type=int, default=1000, help="queries for `tantivy`")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "pressarchive-bench")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple] = []
    for name in args.only or list(BENCHMARKS):
        size = args.size or DEFAULTS[name]
        print(f"{name} (size {size:,}) ...", flush=True)
        result, figures = BENCHMARKS[name](size, args)
        path = save(result_name(name, size, args), {"size": size, **result})
        rows.extend(figures)
        print(table(figures) + f"\n  -> {path}\n", flush=True)
    print(table(rows))


if __name__ == "__main__":
    main()
