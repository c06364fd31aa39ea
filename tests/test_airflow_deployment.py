"""A real Airflow 3.3 runs the DAGs: PostgreSQL, its four components, then Celery workers.

One deployment serves this file, because migrating PostgreSQL and starting Airflow is
most of its cost: `infra/airflow/services.sh` starts PostgreSQL and Redis from Debian's
packages on 127.0.0.1, `airflow db migrate` fills the metadata database, and the
`api-server`, `scheduler`, `dag-processor` and `triggerer` run as processes on a
temporary AIRFLOW_HOME. The tests drive it through the REST API as a user would:
settings as Variables, unpause, trigger, clear, read task instances.

1. LocalExecutor: a night on the bundled sample site (served by this test process), the
   index DAG that its Parquet asset events trigger, the same run cleared and run again,
   and a night whose crawl task is SIGKILLed mid-crawl by the site's server.
2. CeleryExecutor with Redis as the broker, as README "Scale out without Docker" says:
   every component restarted with the executor switched, two `airflow celery worker`s
   of one process each, two sites crawled at once, and the worker under one of them
   SIGKILLed mid-crawl (its process tree, as when its machine dies).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from archive.index import search
from archive.layout import DataDir
from archive.search import SearchQuery, parse_period
from sample_site.generate import build_site, bundled_site
from sample_site.model import Site
from sample_site.seed import seed_article
from sample_site.server import SiteServer
from tests.airflow_support.archive import assert_archive_holds, report
from tests.airflow_support.deployment import Airflow, base_environment
from tests.airflow_support.processes import Placements, kill_crawl_task
from tests.airflow_support.services import Services, free_port, running_services
from tests.airflow_support.waiting_server import WaitingKillingServer, WaitingServer
from tests.dags_support.killing_server import CrawlKillingServer

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

NIGHTLY, INDEX = "pressarchive_nightly", "pressarchive_index"
DAG_IDS = [INDEX, NIGHTLY, "pressarchive_reindex"]
NIGHT_1, NIGHT_2, NIGHT_3 = ("2026-02-01T02:00:00Z", "2026-02-02T02:00:00Z",
                             "2026-02-03T02:00:00Z")
FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}
HEARTBEAT_TIMEOUT = 20  # s without a task heartbeat before the scheduler fails the try
WORKERS = ("worker1", "worker2")
TIMINGS: dict[str, float] = {}


def site_file(directory: Path, name: str, server: SiteServer, **settings: Any) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.yaml").write_text(yaml.safe_dump({
        "name": name, "start_urls": [server.base_url + "/"], "download_delay": 0,
        "concurrency": 4, **settings}))


def task_states(airflow: Airflow, dag_id: str, run_id: str) -> dict[str, tuple[str, int]]:
    return {(f"{t['task_id']}[{t['rendered_map_index'] or t['map_index']}]"
             if t["map_index"] >= 0 else t["task_id"]): (t["state"], t["try_number"])
            for t in airflow.task_instances(dag_id, run_id)}


def night(airflow: Airflow, data: Path, sites: Path, logical_date: str) -> str:
    """Settings as Variables, one triggered run of the nightly DAG, waited for; its run id."""
    airflow.set_variable("PRESSARCHIVE_DATA", str(data))
    airflow.set_variable("PRESSARCHIVE_SITES", str(sites))
    started = time.monotonic()
    run_id = airflow.trigger(NIGHTLY, logical_date)
    airflow.wait_for_run(NIGHTLY, run_id, timeout=420)
    airflow.wait_until_idle([NIGHTLY, INDEX])
    TIMINGS[f"night {logical_date}"] = time.monotonic() - started
    return run_id


@pytest.fixture(scope="module", autouse=True)
def timings() -> Iterator[None]:
    """Where the time of this file goes, printed at its end (seen with `-s`)."""
    yield
    print(json.dumps({k: round(v, 1) for k, v in TIMINGS.items()}, indent=1))


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    with running_services() as running:
        yield running


@pytest.fixture(scope="module")
def airflow(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Airflow]:
    """LocalExecutor on PostgreSQL; the DAGs unpaused; no schedule: runs are triggered."""
    home, port = tmp_path_factory.mktemp("airflow-home"), free_port()
    env = base_environment(
        home, port,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD=f"cat {services.postgres / 'url'}",
        AIRFLOW__CORE__EXECUTOR="LocalExecutor",
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT=str(HEARTBEAT_TIMEOUT),
        AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL="2",
        PRESSARCHIVE_SCHEDULE="none", PRESSARCHIVE_RETRY_DELAY="1",
        PRESSARCHIVE_CRAWL_SETTINGS=json.dumps(FAST_CRAWL))
    deployment = Airflow(home, port, env)
    started = time.monotonic()
    deployment.cli("db", "migrate")
    deployment.cli("pools", "set", "pressarchive_crawl", "2", "concurrent site crawls")
    TIMINGS["db migrate"] = time.monotonic() - started
    try:
        started = time.monotonic()
        deployment.start_core()
        deployment.wait_until_ready(DAG_IDS)
        TIMINGS["start (LocalExecutor)"] = time.monotonic() - started
        for dag_id in (INDEX, NIGHTLY):
            deployment.unpause(dag_id)
        yield deployment
    finally:
        deployment.stop_all()


# --- LocalExecutor -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> Site:
    return bundled_site()


@pytest.fixture(scope="module")
def local(airflow: Airflow, sample: Site,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Night 1, night 1 cleared and run again, then night 2 with its crawl task killed."""
    work = tmp_path_factory.mktemp("local-runs")
    found: dict[str, Any] = {"data": work / "data", "killed_data": work / "killed-data"}
    with SiteServer(sample) as server:
        site_file(work / "sites", "sample", server)
        found["base"] = server.base_url
        first = night(airflow, found["data"], work / "sites", NIGHT_1)
        found["first"] = airflow.run(NIGHTLY, first)
        found["first_tasks"] = task_states(airflow, NIGHTLY, first)
        found["index_runs"] = [{**r, "events": airflow.upstream_asset_events(
            INDEX, r["dag_run_id"])} for r in airflow.runs(INDEX)]
        airflow.clear(NIGHTLY, first)
        airflow.wait_for_run(NIGHTLY, first, timeout=420)
        airflow.wait_until_idle([NIGHTLY, INDEX])
        found["cleared"] = airflow.run(NIGHTLY, first)
        found["cleared_tasks"] = task_states(airflow, NIGHTLY, first)
    scheduler = airflow.components["scheduler"].process.pid
    with CrawlKillingServer(sample, at_request=12,
                            kill=lambda: kill_crawl_task(scheduler, "sample")) as killer:
        site_file(work / "killed-sites", "sample", killer)
        found["killed_base"] = killer.base_url
        second = night(airflow, found["killed_data"], work / "killed-sites", NIGHT_2)
        found["killed"] = list(killer.killed)
    found["second"] = airflow.run(NIGHTLY, second)
    found["second_tasks"] = task_states(airflow, NIGHTLY, second)
    return found


def test_a_triggered_night_runs_every_task_once_and_succeeds(local: dict[str, Any]) -> None:
    assert local["first"]["state"] == "success"
    assert local["first"]["run_type"] == "manual"
    assert local["first_tasks"] == {
        "list_sites": ("success", 1), "site.crawl[sample]": ("success", 1),
        "site.process[sample]": ("success", 1), "dedupe": ("success", 1),
        "index": ("success", 1), "every_site_processed": ("success", 1)}


def test_the_archive_holds_the_site_and_the_index_finds_the_seed_article(
        local: dict[str, Any], sample: Site) -> None:
    assert_archive_holds(local["data"], {local["base"]: sample})
    query = SearchQuery(text='"history-making deal"', published_from=parse_period("2019-02"),
                        published_before=parse_period("2019-02", end=True))
    hits = search(DataDir.at(local["data"]), query).hits
    assert [h.title for h in hits] == [seed_article().title]


def test_the_parquet_asset_events_trigger_the_index_dag(local: dict[str, Any]) -> None:
    first = local["first"]["dag_run_id"]
    triggered = [r for r in local["index_runs"] if r["run_type"] == "asset_triggered"]
    assert triggered, "pressarchive_index never ran on the night's asset events"
    assert {r["state"] for r in triggered} == {"success"}
    sources = {(e["name"], e["source_dag_id"], e["source_run_id"])
               for r in triggered for e in r["events"]}
    assert sources == {("pressarchive_articles", NIGHTLY, first),
                       ("pressarchive_comments", NIGHTLY, first)}
    assert "index:tantivy" in report(local["data"], triggered[0]["dag_run_id"])


def test_clearing_the_run_runs_it_again_and_duplicates_nothing(
        local: dict[str, Any], sample: Site) -> None:
    assert local["cleared"]["state"] == "success"
    assert {state for state, _ in local["cleared_tasks"].values()} == {"success"}
    assert local["cleared_tasks"]["site.crawl[sample]"] == ("success", 2)
    counts = report(local["data"], local["first"]["dag_run_id"])["process:sample"]["counts"]
    assert counts.get("articles/new", 0) == 0
    assert counts.get("comments/new", 0) == 0
    assert_archive_holds(local["data"], {local["base"]: sample})
    everything = search(DataDir.at(local["data"]), SearchQuery(limit=100))
    assert everything.total == len(sample.articles)


def test_a_crawl_task_killed_mid_crawl_is_retried_and_stores_every_record_once(
        local: dict[str, Any], sample: Site) -> None:
    assert local["killed"], "the site's server never found the crawl task to kill"
    assert local["second"]["state"] == "success"
    assert local["second_tasks"]["site.crawl[sample]"] == ("success", 2)
    assert_archive_holds(local["killed_data"], {local["killed_base"]: sample})
    crawl = report(local["killed_data"], local["second"]["dag_run_id"])["crawl:sample"]
    assert crawl["finish_reason"] == "finished"


# --- CeleryExecutor ------------------------------------------------------------------


@pytest.fixture(scope="module")
def celery(airflow: Airflow, services: Services, local: dict[str, Any]) -> Airflow:
    """The same deployment with CeleryExecutor: every component restarted, two workers.

    Depends on `local` so that the LocalExecutor runs come first whatever is selected.
    """
    started = time.monotonic()
    airflow.stop_all()
    TIMINGS["stop (LocalExecutor)"] = time.monotonic() - started
    airflow.env.update({
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CELERY__BROKER_URL_CMD": f"cat {services.redis / 'url'}",
    })
    airflow.start_core()
    for name in WORKERS:
        airflow.start(name, "celery", "worker", "--concurrency", "1", "--skip-serve-logs",
                      "--celery-hostname", f"{name}@%h")
    airflow.wait_until_ready(DAG_IDS)
    airflow.wait_for(lambda: all(" ready." in airflow.components[n].log.read_text()
                                 for n in WORKERS), 120, "both Celery workers")
    TIMINGS["restart (CeleryExecutor)"] = time.monotonic() - started
    return airflow


@pytest.fixture(scope="module")
def two_sites() -> dict[str, Site]:
    return {"alpha": build_site("classic", n_articles=8, seed=7, include_seed_article=False,
                                name="Alpha Courier"),
            "beta": build_site("structured", n_articles=8, seed=8,
                               include_seed_article=False, name="Beta Gazette")}


@pytest.fixture(scope="module")
def scale_out(celery: Airflow, two_sites: dict[str, Site],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Night 3 on two sites, each crawl held until the other has started on a worker; beta's
    worker dies at beta's 6th request, while alpha's crawl runs."""
    work = tmp_path_factory.mktemp("celery-runs")
    roots = {name: celery.components[name].process.pid for name in WORKERS}
    found: dict[str, Any] = {"data": work / "data", "at_kill": {}}
    with Placements(roots) as placements:

        def kill_beta_worker() -> list[int]:
            found["at_kill"] = placements.now()
            found["killed_at_sample"] = len(placements.samples)
            worker = found["at_kill"].get("beta")
            found["killed_worker"] = worker
            return celery.kill(worker) if worker else []

        with WaitingServer(two_sites["alpha"],
                           ready=lambda: "beta" in placements.now()) as alpha, \
                WaitingKillingServer(two_sites["beta"], ready=lambda: "alpha" in placements.now(),
                                     at_request=6, kill=kill_beta_worker) as beta:
            for name, server in (("alpha", alpha), ("beta", beta)):
                site_file(work / "sites", name, server, download_delay=0.25, concurrency=1)
            found["bases"] = {alpha.base_url: two_sites["alpha"],
                              beta.base_url: two_sites["beta"]}
            run_id = night(celery, found["data"], work / "sites", NIGHT_3)
            found["killed"] = list(beta.killed)
        found["samples"] = list(placements.samples)
    found["run"] = celery.run(NIGHTLY, run_id)
    found["tasks"] = task_states(celery, NIGHTLY, run_id)
    return found


def test_two_sites_are_crawled_at_once_on_different_workers(scale_out: dict[str, Any]) -> None:
    both = [s for s in scale_out["samples"] if {"alpha", "beta"} <= set(s)]
    assert both, f"the two crawls never overlapped: {scale_out['samples'][:20]}"
    assert all(s["alpha"] != s["beta"] for s in both)


def test_the_task_of_a_killed_worker_is_retried_on_the_other(scale_out: dict[str, Any]) -> None:
    assert scale_out["killed"], "the site's server never found beta's worker to kill"
    dead = scale_out["killed_worker"]
    survivor = next(name for name in WORKERS if name != dead)
    later = [s["beta"] for s in scale_out["samples"][scale_out["killed_at_sample"]:]
             if "beta" in s]
    assert later and later[-1] == survivor
    assert scale_out["run"]["state"] == "success"
    assert scale_out["tasks"]["site.crawl[beta]"] == ("success", 2)
    assert scale_out["tasks"]["site.crawl[alpha]"] == ("success", 1)
    assert {state for state, _ in scale_out["tasks"].values()} == {"success"}


def test_the_scaled_out_night_stores_every_record_of_both_sites_once(
        scale_out: dict[str, Any]) -> None:
    assert_archive_holds(scale_out["data"], scale_out["bases"])
    for site in ("alpha", "beta"):
        crawl = report(scale_out["data"], scale_out["run"]["dag_run_id"])[f"crawl:{site}"]
        assert crawl["finish_reason"] == "finished"
