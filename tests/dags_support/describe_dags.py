"""Parse `dags/` the way the DAG processor does and write what it found as JSON.

    python tests/dags_support/describe_dags.py RESULT.json VARIANTS_JSON

Started in a fresh subprocess (no metadata database needed). VARIANTS_JSON is a list of
environment overrides; the folder is parsed once per variant (null removes a variable).
Written per variant: import errors, parse seconds, and each DAG's schedule, policy and
tasks; for the first parse also the top-level modules that parsing imported, so a test
can assert that no heavy module (Scrapy, pyarrow, the pipeline) is imported by parsing.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def main(result_path: str, variants: list[dict[str, str | None]]) -> None:
    from airflow.dag_processing.dagbag import BundleDagBag

    dags = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    out = []
    for number, variant in enumerate(variants):
        for name, value in variant.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        before = set(sys.modules)
        started = time.monotonic()
        bag = BundleDagBag(dag_folder=dags, bundle_path=dags, bundle_name="dags-folder")
        seconds = time.monotonic() - started
        imported = sorted({m.split(".")[0] for m in set(sys.modules) - before})
        out.append({
            "import_errors": bag.import_errors,
            "seconds": round(seconds, 3),
            "imported": imported if number == 0 else None,
            "files": sorted({Path(d.fileloc).name for d in bag.dags.values()}),
            "dags": {dag_id: describe(dag) for dag_id, dag in bag.dags.items()},
        })
    Path(result_path).write_text(json.dumps(out, default=str))


def describe(dag: Any) -> dict[str, Any]:
    timetable = dag.timetable
    condition = getattr(timetable, "asset_condition", None)
    return {
        "schedule": {
            "type": type(timetable).__name__,
            "expression": getattr(timetable, "expression", None),
            "timezone": str(getattr(timetable, "timezone", getattr(timetable, "_timezone", ""))),
            "condition": type(condition).__name__ if condition is not None else None,
            "assets": sorted(a.name for a in getattr(condition, "objects", []) or []),
        },
        "catchup": dag.catchup,
        "max_active_runs": dag.max_active_runs,
        "tags": sorted(dag.tags),
        "tasks": {task.task_id: {
            "upstream": sorted(task.upstream_task_ids),
            "downstream": sorted(task.downstream_task_ids),
            "mapped": type(task).__name__.endswith("MappedOperator")
            or task.get_closest_mapped_task_group() is not None,
            "pool": task.pool,
            "retries": task.retries,
            "retry_delay": task.retry_delay.total_seconds(),
            "backoff": task.retry_exponential_backoff,
            "max_retry_delay": task.max_retry_delay.total_seconds()
            if task.max_retry_delay else None,
            "timeout": task.execution_timeout.total_seconds()
            if task.execution_timeout else None,
            "trigger_rule": getattr(task.trigger_rule, "value", str(task.trigger_rule)),
            "outlets": sorted(getattr(a, "name", str(a)) for a in task.outlets),
            "inlets": sorted(getattr(a, "name", str(a)) for a in task.inlets),
        } for task in dag.tasks},
    }


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
