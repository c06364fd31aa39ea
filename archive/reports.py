"""Run reports: `DIR/runs/<run_id>.json`, one section per step (crawl, process, index).

Each step replaces only its own section, writing aside and renaming, so a report is never
half-written and a rerun of a step overwrites that step's figures instead of adding to them.
The read-modify-write holds a lock on the report, so the crawls of several sites of one
run, finishing at the same moment in their own processes, never drop each other's section.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from archive.layout import DataDir
from archive.lease import lease


def report_path(data: DataDir, run_id: str) -> Path:
    return data.runs / f"{run_id}.json"


def read_report(data: DataDir, run_id: str) -> dict[str, Any]:
    path = report_path(data, run_id)
    if not path.exists():
        return {"run_id": run_id}
    return json.loads(path.read_text(encoding="utf-8"))


def update_report(data: DataDir, run_id: str, section: str, figures: dict[str, Any]) -> Path:
    """Replace one step's section of a run report, atomically."""
    data.runs.mkdir(parents=True, exist_ok=True)
    path = report_path(data, run_id)
    with lease(data.runs / f".{run_id}.lock", timeout=60.0, poll=0.05):
        report = read_report(data, run_id)
        report[section] = figures
        fd, tmp = tempfile.mkstemp(dir=data.runs, prefix=".report-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2, sort_keys=True, default=str)
        os.replace(tmp, path)
    return path


def list_reports(data: DataDir) -> list[dict[str, Any]]:
    """Every run report, oldest first."""
    if not data.runs.exists():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(data.runs.glob("*.json"))
            if not p.name.startswith(".")]
