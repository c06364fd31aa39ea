"""Run DAGs of `dags/` with `dag.test()`, following a plan, and write what happened as JSON.

    python tests/dags_support/run_dag.py PLAN.json RESULT.json

Started in a subprocess whose environment the test prepared before Airflow is imported
(AIRFLOW_HOME with a migrated SQLite database, AIRFLOW__CORE__DAGS_FOLDER, ...). Creates
the crawl pool as `make airflow` and the compose `airflow-init` service do, then runs
the plan's DAG runs in order. A step is

    {"dag_id": ..., "logical_date": ISO or null, "env": {NAME: value or null},
     "variables": {NAME: value or null}}

`env` and `variables` are set (null: removed) before the run: the tasks run in this
process, so they see both. A run with a logical date gets the run id
`manual__<date>`, so repeating a step reruns the same run id (dag.test() replaces the
run, as if all its tasks were cleared). Recorded per run: its state, every task
instance (state, try number), the asset events it emitted and the DAGs they queued.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any


def main(plan_path: str, result_path: str) -> int:
    from airflow.dag_processing.dagbag import BundleDagBag
    from airflow.models.pool import Pool

    dags = Path(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    bag = BundleDagBag(dag_folder=dags, bundle_path=dags, bundle_name="dags-folder")
    if bag.import_errors:
        raise SystemExit(f"import errors: {bag.import_errors}")
    Pool.create_or_update_pool(
        "pressarchive_crawl", int(os.environ.get("PRESSARCHIVE_CRAWL_SLOTS", "2")),
        "concurrent site crawls", include_deferred=False)
    runs = []
    for step in json.loads(Path(plan_path).read_text()):
        prepare(step.get("env", {}), step.get("variables", {}))
        date = step.get("logical_date")
        logical_date = datetime.fromisoformat(date) if date else None
        started = time.monotonic()
        dag_run = bag.dags[step["dag_id"]].test(logical_date=logical_date,
                                                run_after=logical_date)
        runs.append({**describe(dag_run.dag_id, dag_run.run_id),
                     "seconds": round(time.monotonic() - started, 1)})
        Path(result_path).write_text(json.dumps({"runs": runs}, indent=1, default=str))
    return 0


def prepare(env: dict[str, str | None], variables: dict[str, str | None]) -> None:
    from airflow.models.variable import Variable

    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    for name, value in variables.items():
        if value is None:
            Variable.delete(name)
        else:
            Variable.set(name, value)


def describe(dag_id: str, run_id: str) -> dict[str, Any]:
    from airflow.models.asset import AssetDagRunQueue, AssetEvent, AssetModel
    from airflow.models.dagrun import DagRun
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        dag_run = session.scalar(select(DagRun).where(DagRun.dag_id == dag_id,
                                                      DagRun.run_id == run_id))
        tis = session.scalars(select(TaskInstance).where(
            TaskInstance.dag_id == dag_id, TaskInstance.run_id == run_id)).all()
        events = session.execute(
            select(AssetModel.name, AssetEvent.extra)
            .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
            .where(AssetEvent.source_dag_id == dag_id, AssetEvent.source_run_id == run_id)
        ).all()
        queued = session.execute(
            select(AssetModel.name, AssetDagRunQueue.target_dag_id)
            .join(AssetModel, AssetModel.id == AssetDagRunQueue.asset_id)).all()
        return {
            "dag_id": dag_id, "run_id": run_id, "state": str(dag_run.state),
            "tasks": sorted(({"task_id": ti.task_id, "map_index": ti.map_index,
                              "state": str(ti.state), "try_number": ti.try_number,
                              "label": ti.rendered_map_index}
                             for ti in tis), key=lambda t: (t["task_id"], t["map_index"])),
            "asset_events": sorted(({"asset": name, "extra": extra} for name, extra in events),
                                   key=lambda e: e["asset"]),
            "queued": sorted({f"{name}->{target}" for name, target in queued}),
        }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
