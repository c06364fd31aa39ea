"""(f) The nightly DAG on Celery workers: one and four sites, on one and two workers.

A real Airflow as the tests run it (`tests/airflow_support`: PostgreSQL and Redis from
Debian's packages, the four components, CeleryExecutor, workers of one process each)
runs `pressarchive_nightly` on generated sites served on 127.0.0.1 (`size` articles
each, politeness off, as in the crawl benchmark). Each configuration is a fresh night into
its own data directory. Figures come from the task instances' own start and end dates:
the night (first task start to last task end), the span of its crawls, the span of its
per-site `process` tasks (first start to last end), and `dedupe`; beside them, the
process step's own seconds from the run report, summed over the sites (the work, without
Airflow's per-task start-up).
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from sample_site.generate import build_site
from sample_site.server import SiteServer
from tests.airflow_support.archive import report
from tests.airflow_support.deployment import Airflow, base_environment
from tests.airflow_support.services import free_port, running_services

NIGHTLY = "pressarchive_nightly"
THEMES = ("classic", "print", "structured", "classic")
CONFIGURATIONS = ((1, 1), (4, 1), (1, 2), (4, 2))  # (sites, workers)
FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _span(tasks: list[dict[str, Any]]) -> float:
    starts = [_time(t["start_date"]) for t in tasks if t["start_date"]]
    ends = [_time(t["end_date"]) for t in tasks if t["end_date"]]
    return round((max(ends) - min(starts)).total_seconds(), 1) if starts and ends else 0.0


def _workers(airflow: Airflow, count: int) -> None:
    for number in range(1, count + 1):
        name = f"worker{number}"
        if name not in airflow.components:
            airflow.start(name, "celery", "worker", "--concurrency", "1",
                          "--skip-serve-logs", "--celery-hostname", f"{name}@%h")
            airflow.wait_for(lambda n=name: " ready." in airflow.components[n].log.read_text(),
                             120, f"Celery {name}")


def _night(airflow: Airflow, servers: list[SiteServer], sites: int, work: Path) -> dict:
    data, site_dir = work / f"data-{sites}", work / f"sites-{sites}"
    site_dir.mkdir(parents=True, exist_ok=True)
    for number, server in enumerate(servers[:sites]):
        (site_dir / f"site{number}.yaml").write_text(yaml.safe_dump({
            "name": f"site{number}", "start_urls": [server.base_url + "/"],
            "download_delay": 0, "concurrency": 8, "max_pages": 100_000,
            "pattern_cap": 100_000, "recrawl_days": 0}))
    airflow.set_variable("PRESSARCHIVE_DATA", str(data))
    airflow.set_variable("PRESSARCHIVE_SITES", str(site_dir))
    mark = time.monotonic()
    run_id = airflow.trigger(NIGHTLY, None)
    run = airflow.wait_for_run(NIGHTLY, run_id, timeout=3600)
    wall = time.monotonic() - mark
    if run["state"] != "success":
        raise RuntimeError(f"night {run_id} ended {run['state']}")
    tasks = airflow.task_instances(NIGHTLY, run_id)
    sections = report(data, run_id)
    process = [t for t in tasks if t["task_id"] == "site.process"]
    return {
        "night_seconds": _span(tasks), "trigger_to_success_seconds": round(wall, 1),
        "crawl_span_seconds": _span([t for t in tasks if t["task_id"] == "site.crawl"]),
        "process_span_seconds": _span(process),
        "process_task_seconds": [round(t["duration"] or 0, 1) for t in process],
        "process_step_seconds": round(sum(
            sections[f"process:site{n}"]["seconds"]["total"] for n in range(sites)), 1),
        "dedupe_seconds": _span([t for t in tasks if t["task_id"] == "dedupe"]),
        "articles": sum(sections[f"process:site{n}"]["counts"].get("articles/rows_in", 0)
                        for n in range(sites)),
    }


def measure(size: int, workdir: Path) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="airflow-", dir=workdir))
    sites = [build_site(theme, n_articles=size, seed=40 + n, include_seed_article=False,
                        name=f"Bench Site {n}") for n, theme in enumerate(THEMES)]
    results: dict[str, Any] = {}
    with running_services() as services:
        port = free_port()
        airflow = Airflow(work / "home", port, base_environment(
            work / "home", port,
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD=f"cat {services.postgres / 'url'}",
            AIRFLOW__CORE__EXECUTOR="CeleryExecutor",
            AIRFLOW__CELERY__BROKER_URL_CMD=f"cat {services.redis / 'url'}",
            PRESSARCHIVE_SCHEDULE="none", PRESSARCHIVE_CRAWL_SETTINGS=json.dumps(FAST_CRAWL)))
        airflow.cli("db", "migrate")
        airflow.cli("pools", "set", "pressarchive_crawl", "4", "concurrent site crawls")
        servers = [SiteServer(site).start() for site in sites]
        try:
            airflow.start_core()
            airflow.wait_until_ready([NIGHTLY])
            airflow.unpause(NIGHTLY)
            for count, workers in CONFIGURATIONS:
                _workers(airflow, workers)
                results[f"{count} sites, {workers} workers"] = _night(
                    airflow, servers, count, work / f"w{workers}")
        finally:
            airflow.stop_all()
            for server in servers:
                server.stop()
    return {"articles_per_site": size, "configurations": results}
