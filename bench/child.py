"""One benchmark step in its own process (so its peak memory is its own); prints JSON.

`python -m bench.child process DATA RUN_ID WORKERS`
`python -m bench.child dedupe ARTICLES WORKDIR`
`python -m bench.child extraction PAGES_PER_THEME`
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
    """CPU time of this process and of its finished children (cleaning workers): unlike
    the wall time, it does not depend on what else the machine runs."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_step(data: str, run_id: str, workers: str) -> dict[str, Any]:
    from archive.layout import DataDir
    from archive.process import process

    started = time.monotonic()
    [report] = process(DataDir.at(data), runs=[run_id], workers=int(workers) or None)
    return {"seconds": time.monotonic() - started, "report": report,
            "cpu_seconds": cpu_seconds(), "peak_rss_self_mb": _peak_self_mb()}


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
