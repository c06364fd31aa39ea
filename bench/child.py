"""One benchmark step in its own process (so its peak memory is its own); prints JSON.

`python -m bench.child process DATA RUN_ID WORKERS`
`python -m bench.child dedupe ARTICLES WORKDIR`
`python -m bench.child extraction PAGES` (0: every page of the corpus)
`python -m bench.child tantivy DOCUMENTS WORKDIR QUERIES`
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any


def _peak_self_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU time of this process (its threads) and of its finished children: unlike
    the wall time, it does not depend on what else the machine runs."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_step(data: str, run_id: str, workers: str) -> dict[str, Any]:
    """`process` on one run, then, in the same process, a plain pyarrow write of the same
    rows (the yardstick): the run's raw lines read by Arrow's JSON reader and written as
    one zstd Parquet file, timed apart (read, write)."""
    from archive.layout import DataDir
    from archive.process import process

    started = time.monotonic()
    [report] = process(DataDir.at(data), runs=[run_id], workers=int(workers) or None)
    seconds, cpu = time.monotonic() - started, cpu_seconds()
    peak = _peak_self_mb()
    return {"seconds": seconds, "report": report, "cpu_seconds": cpu,
            "peak_rss_self_mb": peak, "plain": plain_write(DataDir.at(data), run_id)}


def plain_write(data: Any, run_id: str) -> dict[str, Any]:
    import tempfile

    import pyarrow.json as pj
    import pyarrow.parquet as pq

    from crawler.rawzone import item_files
    from schemas.arrow import RAW_SCHEMA

    options = pj.ParseOptions(explicit_schema=RAW_SCHEMA, unexpected_field_behavior="ignore")
    files = [p for site in data.raw_sites(run_id) for p in item_files(site)]
    wall, cpu = time.monotonic(), cpu_seconds()
    tables = [pj.read_json(p, parse_options=options) for p in files]
    read_wall, read_cpu = time.monotonic() - wall, cpu_seconds() - cpu
    rows = sum(t.num_rows for t in tables)
    wall, cpu = time.monotonic(), cpu_seconds()
    with tempfile.TemporaryDirectory(dir=data.state) as scratch:
        for n, table in enumerate(tables):
            pq.write_table(table, f"{scratch}/plain-{n}.parquet", compression="zstd")
    write_wall, write_cpu = time.monotonic() - wall, cpu_seconds() - cpu
    return {"rows": rows, "read_seconds": read_wall, "read_cpu_seconds": read_cpu,
            "write_seconds": write_wall, "write_cpu_seconds": write_cpu}


def main(argv: list[str]) -> None:
    step, *args = argv
    if step == "process":
        result = process_step(*args)
    elif step == "dedupe":
        from bench.dedupe_bench import measure

        result = measure(int(args[0]), args[1])
        result["peak_rss_self_mb"] = _peak_self_mb()
    elif step == "extraction":
        from bench.extraction_bench import measure

        result = measure(int(args[0]))
    elif step == "tantivy":
        from bench.tantivy_bench import measure

        result = measure(int(args[0]), args[1], int(args[2]))
        result["peak_rss_self_mb"] = _peak_self_mb()
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
