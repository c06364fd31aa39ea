"""The Airflow DAGs of `dags/`: parsing, structure, and real runs with `dag.test()`.

Airflow reads its configuration when it is first imported, so every Airflow step runs
in a subprocess whose environment is prepared first: a temporary AIRFLOW_HOME whose
SQLite database `airflow db migrate` created, the project's DAGs folder, no examples.
The runs crawl the bundled sample site served on 127.0.0.1 by this test process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.dataset as ds
import pytest
import yaml

from archive.index import search
from archive.layout import DataDir
from archive.search import SearchQuery, parse_period
from sample_site.generate import bundled_site
from sample_site.model import Site
from sample_site.seed import seed_article
from sample_site.server import SiteServer
from tests.conftest import run_cli
from tests.dags_support.killing_server import CrawlKillingServer

pytestmark = pytest.mark.airflow

ROOT = Path(__file__).resolve().parent.parent
DAGS = ROOT / "dags"
SUPPORT = Path(__file__).resolve().parent / "dags_support"
DAG_IDS = ["pressarchive_index", "pressarchive_nightly", "pressarchive_reindex"]
HEAVY = {"scrapy", "twisted", "pyarrow", "tantivy", "trafilatura", "lxml", "elasticsearch",
         "crawler", "archive", "schemas", "sample_site", "dateparser"}
FAST_CRAWL = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}
# Run-specific columns: when and in which run a row was seen, not what it holds.
PER_RUN = {"first_seen_at", "last_seen_at", "fetched_at", "crawl_run_id"}
NIGHT_1, NIGHT_2, NIGHT_3, NIGHT_4 = (
    "2026-01-01T02:00:00+00:00", "2026-01-02T02:00:00+00:00", "2026-01-03T02:00:00+00:00",
    "2026-01-04T02:00:00+00:00")
TIMINGS: dict[str, float] = {}
CANARY = "canary-pw-7f3a9c1e"


def airflow_env(home: Path, **extra: str) -> dict[str, str]:
    """This process's environment minus pipeline settings, plus a private Airflow."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRESSARCHIVE_", "ELASTICSEARCH_", "AIRFLOW"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
        **extra,
    })
    return env


def python(script: Path, *args: str, env: dict[str, str], timeout: float, log: Path) -> None:
    """Runs a support script; its output (Airflow's and the tasks' logs) goes to `log`."""
    with log.open("w") as out:
        completed = subprocess.run([sys.executable, str(script), *args], env=env, cwd=ROOT,
                                   stdout=out, stderr=subprocess.STDOUT, timeout=timeout)
    if completed.returncode != 0:
        raise AssertionError(f"{script.name} exited {completed.returncode}; its log, {log}:\n"
                             f"{log.read_text()[-4000:]}")


# --- parsing and structure ----------------------------------------------------------


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The DAGs folder parsed four times: defaults, env settings, a Variable, no schedule."""
    home = tmp_path_factory.mktemp("airflow-parse")
    variants = [
        {},
        {"PRESSARCHIVE_SCHEDULE": "30 3 * * *", "PRESSARCHIVE_RETRIES": "5",
         "PRESSARCHIVE_CRAWL_TIMEOUT": "600"},
        # an Airflow Variable (here from AIRFLOW_VAR_*) does not shape a DAG: parsing reads none
        {"PRESSARCHIVE_SCHEDULE": None, "PRESSARCHIVE_RETRIES": None,
         "PRESSARCHIVE_CRAWL_TIMEOUT": None, "AIRFLOW_VAR_PRESSARCHIVE_SCHEDULE": "15 1 * * 1"},
        {"PRESSARCHIVE_SCHEDULE": "none"},
    ]
    result = home / "parsed.json"
    python(SUPPORT / "describe_dags.py", str(result), json.dumps(variants),
           env=airflow_env(home), timeout=120, log=home / "parse.log")
    return json.loads(result.read_text())


def test_every_dag_file_imports_without_errors(parsed: list[dict[str, Any]]) -> None:
    for variant in parsed:
        assert variant["import_errors"] == {}
        assert sorted(variant["dags"]) == DAG_IDS
    assert parsed[0]["files"] == [f"{dag_id}.py" for dag_id in DAG_IDS]


def test_parsing_imports_no_pipeline_or_heavy_module(parsed: list[dict[str, Any]]) -> None:
    imported = set(parsed[0]["imported"])
    assert "pressarchive_common" in imported
    assert imported & HEAVY == set()
    assert parsed[0]["seconds"] < 5


def test_nightly_wiring(parsed: list[dict[str, Any]]) -> None:
    tasks = parsed[0]["dags"]["pressarchive_nightly"]["tasks"]
    assert list(tasks) == ["list_sites", "site.crawl", "site.process", "dedupe", "index",
                           "every_site_processed"]
    assert tasks["list_sites"]["downstream"] == ["site.crawl"]
    assert tasks["site.crawl"]["upstream"] == ["list_sites"]
    assert tasks["site.crawl"]["downstream"] == ["site.process"]
    assert tasks["site.process"]["downstream"] == ["dedupe", "every_site_processed"]
    assert tasks["site.process"]["trigger_rule"] == "all_success"
    assert tasks["dedupe"]["downstream"] == ["index"]
    assert tasks["dedupe"]["trigger_rule"] == "all_done_min_one_success"
    assert tasks["index"]["downstream"] == []
    assert tasks["every_site_processed"]["trigger_rule"] == "all_success"
    # one mapped group per site: a site's process follows its own crawl, not every crawl
    assert [t for t, spec in tasks.items() if spec["mapped"]] == ["site.crawl", "site.process"]


def test_nightly_policy(parsed: list[dict[str, Any]]) -> None:
    nightly = parsed[0]["dags"]["pressarchive_nightly"]
    assert nightly["schedule"] == {"type": "CronTriggerTimetable", "expression": "0 2 * * *",
                                   "timezone": "UTC", "condition": None, "assets": []}
    assert nightly["catchup"] is False
    assert nightly["max_active_runs"] == 1
    crawl = nightly["tasks"]["site.crawl"]
    assert crawl["pool"] == "pressarchive_crawl"
    assert crawl["timeout"] == 4 * 3600
    for spec in nightly["tasks"].values():
        assert spec["retries"] == 2
        assert spec["retry_delay"] == 300
        assert spec["backoff"] == 2.0
        assert spec["max_retry_delay"] == 3600
        assert spec["timeout"]
    assert nightly["tasks"]["dedupe"]["outlets"] == ["pressarchive_articles",
                                                      "pressarchive_comments"]


def test_index_dag_is_scheduled_on_the_parquet_assets(parsed: list[dict[str, Any]]) -> None:
    index = parsed[0]["dags"]["pressarchive_index"]
    assert index["schedule"]["type"] == "AssetTriggeredTimetable"
    assert index["schedule"]["condition"] == "AssetAny"
    assert index["schedule"]["assets"] == ["pressarchive_articles", "pressarchive_comments"]
    assert list(index["tasks"]) == ["index"]
    assert index["tasks"]["index"]["inlets"] == ["pressarchive_articles",
                                                 "pressarchive_comments"]
    assert index["max_active_runs"] == 1 and index["catchup"] is False


def test_reindex_dag_is_manual(parsed: list[dict[str, Any]]) -> None:
    reindex = parsed[0]["dags"]["pressarchive_reindex"]
    assert reindex["schedule"]["type"] == "NullTimetable"
    assert list(reindex["tasks"]) == ["reindex"]
    assert reindex["max_active_runs"] == 1


def test_schedule_and_policy_come_from_the_environment_only(
        parsed: list[dict[str, Any]]) -> None:
    from_env = parsed[1]["dags"]["pressarchive_nightly"]
    assert from_env["schedule"]["expression"] == "30 3 * * *"
    assert from_env["tasks"]["site.crawl"]["retries"] == 5
    assert from_env["tasks"]["site.crawl"]["timeout"] == 600
    with_variable = parsed[2]["dags"]["pressarchive_nightly"]
    assert with_variable["schedule"]["expression"] == "0 2 * * *"
    assert with_variable["tasks"]["site.crawl"]["retries"] == 2
    assert parsed[3]["dags"]["pressarchive_nightly"]["schedule"]["type"] == "NullTimetable"


PARSE_TIME_LOOKUPS = '''
from datetime import datetime
from airflow.sdk import Connection, Variable, dag, task

RETRIES = int(Variable.get("PRESSARCHIVE_RETRIES", default="2"))
try:
    Connection.get("pressarchive_elasticsearch")
except Exception:
    pass


@dag(dag_id="reads_at_parse_time", schedule=None, start_date=datetime(2025, 1, 1))
def reads_at_parse_time():
    @task(retries=RETRIES)
    def work() -> None:
        pass

    work()


reads_at_parse_time()
'''


@pytest.fixture(scope="module")
def parsed_by_dag_processor(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The DAGs folder, then a folder whose DAG reads a Variable and a connection while
    parsed, through the DAG processor's parsing process with a database that refuses."""
    home = tmp_path_factory.mktemp("airflow-dag-processor")
    control = home / "control-dags"
    control.mkdir()
    (control / "reads_at_parse_time.py").write_text(PARSE_TIME_LOOKUPS)
    result = home / "parsed.json"
    python(SUPPORT / "parse_as_dag_processor.py", str(result), str(DAGS), str(control),
           env=airflow_env(home, PARSE_QUERY_LOG=str(home / "queries.jsonl")),
           timeout=180, log=home / "parse.log")
    return json.loads(result.read_text())


def test_the_dag_processor_parses_the_dags_without_a_metadata_query(
        parsed_by_dag_processor: list[dict[str, Any]]) -> None:
    ours = parsed_by_dag_processor[0]
    assert ours["import_errors"] == {}
    assert ours["dag_ids"] == DAG_IDS
    assert ours["queries"] == []


def test_a_variable_or_connection_read_while_parsing_shows_as_metadata_queries(
        parsed_by_dag_processor: list[dict[str, Any]]) -> None:
    control = parsed_by_dag_processor[1]
    assert control["dag_ids"] == ["reads_at_parse_time"]
    tables = " ".join(q["sql"] for q in control["queries"])
    assert "FROM variable" in tables
    assert "FROM connection" in tables


# --- the Elasticsearch connection -----------------------------------------------------


class FakeConnection:
    def __init__(self, host: str, *, port: int | None = None, schema: str | None = None,
                 login: str | None = None, password: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        self.host, self.port, self.schema = host, port, schema
        self.login, self.password = login, password
        self.extra_dejson = extra or {}


@pytest.fixture(scope="module")
def config_module() -> Any:
    sys.path.insert(0, str(DAGS))
    try:
        import pressarchive_common.config as config
    finally:
        sys.path.remove(str(DAGS))
    return config


def test_connection_with_api_key_and_ca(config_module: Any) -> None:
    env = config_module.elasticsearch_env(FakeConnection(
        "es01", port=9200, extra={"api_key": "k3y", "ca_certs": "/certs/ca/ca.crt"}))
    assert env == {"ELASTICSEARCH_URL": "https://es01:9200", "ELASTICSEARCH_API_KEY": "k3y",
                   "ELASTICSEARCH_CA_CERTS": "/certs/ca/ca.crt"}


def test_connection_with_login_and_url_host(config_module: Any) -> None:
    env = config_module.elasticsearch_env(FakeConnection(
        "http://localhost:9200/", login="indexer", password="s3cret"))
    assert env == {"ELASTICSEARCH_URL": "http://localhost:9200",
                   "ELASTICSEARCH_USERNAME": "indexer", "ELASTICSEARCH_PASSWORD": "s3cret"}


def test_connection_reads_the_password_from_a_secret_file(config_module: Any,
                                                          tmp_path: Path) -> None:
    secret = tmp_path / "pressarchive_writer_password"
    secret.write_text("fr0m-a-file\n")
    env = config_module.elasticsearch_env(FakeConnection(
        "es01", port=9200, login="pressarchive_writer",
        extra={"password_file": str(secret), "ca_certs": "/certs/ca.crt"}))
    assert env["ELASTICSEARCH_PASSWORD"] == "fr0m-a-file"
    assert env["ELASTICSEARCH_USERNAME"] == "pressarchive_writer"
    with pytest.raises(ValueError, match="cannot read"):
        config_module.elasticsearch_env(FakeConnection(
            "es01", login="x", extra={"password_file": str(tmp_path / "missing")}))


def test_connection_without_host_is_an_error(config_module: Any) -> None:
    with pytest.raises(ValueError, match="pressarchive_elasticsearch"):
        config_module.elasticsearch_env(FakeConnection(""))


# --- real runs with dag.test() --------------------------------------------------------


def site_file(directory: Path, server: SiteServer) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "sample.yaml"
    path.write_text(yaml.safe_dump({"name": "sample", "start_urls": [server.base_url + "/"],
                                    "download_delay": 0, "concurrency": 4}))
    return path


@pytest.fixture(scope="module")
def site() -> Site:
    return bundled_site()


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[SiteServer]:
    with SiteServer(site) as served:
        yield served


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, site: Site,
         server: SiteServer) -> dict[str, Any]:
    """One Airflow, one plan of DAG runs (each a `dag.test()`), in one subprocess.

    1-3: pressarchive_nightly on the sample site: night 1, night 1 again (same run id,
         as when an operator clears the run), night 2 (a new run id);
    4-5: pressarchive_index and pressarchive_reindex on that archive;
    6:   night 3 into another data directory, configured by Airflow Variables, while
         the site's server kills the crawl process mid-crawl: the retry must finish it;
    7:   pressarchive_reindex with the Elasticsearch connection defined (AIRFLOW_CONN_*)
         and pointing at a closed port: it must fail, its password in no log;
    8:   night 4 with a second site that cannot be reached: the sample site is still
         processed and indexed, and the run fails.
    """
    work = tmp_path_factory.mktemp("dag-runs")
    home, data, sites = work / "airflow", work / "data", work / "sites"
    retry_data, retry_sites = work / "retry-data", work / "retry-sites"
    failing_data, failing_sites = work / "failing-data", work / "failing-sites"
    home.mkdir()
    env = airflow_env(home, PRESSARCHIVE_CRAWL_SETTINGS=json.dumps(FAST_CRAWL),
                      PRESSARCHIVE_RETRY_DELAY="1", PRESSARCHIVE_CRAWL_SLOTS="2")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env, cwd=ROOT,
                   check=True, capture_output=True, timeout=120)
    TIMINGS["airflow db migrate"] = time.monotonic() - started

    site_file(sites, server)
    site_file(failing_sites, server)
    (failing_sites / "down.yaml").write_text(yaml.safe_dump({
        "name": "down", "start_urls": [f"http://127.0.0.1:{closed_port()}/"],
        "download_delay": 0}))
    paths = {"PRESSARCHIVE_DATA": str(data), "PRESSARCHIVE_SITES": str(sites)}
    unset = dict.fromkeys(paths)
    plan = [
        {"dag_id": "pressarchive_nightly", "logical_date": NIGHT_1, "env": paths},
        {"dag_id": "pressarchive_nightly", "logical_date": NIGHT_1},
        {"dag_id": "pressarchive_nightly", "logical_date": NIGHT_2},
        {"dag_id": "pressarchive_index", "logical_date": None},
        {"dag_id": "pressarchive_reindex", "logical_date": None},
        {"dag_id": "pressarchive_nightly", "logical_date": NIGHT_3, "env": unset,
         "variables": {"PRESSARCHIVE_DATA": str(retry_data),
                       "PRESSARCHIVE_SITES": str(retry_sites)}},
        {"dag_id": "pressarchive_reindex", "logical_date": None,
         "env": {"AIRFLOW_CONN_PRESSARCHIVE_ELASTICSEARCH": json.dumps({
             "conn_type": "generic", "host": "127.0.0.1", "port": closed_port(),
             "schema": "http", "login": "pressarchive_writer", "password": CANARY})}},
        {"dag_id": "pressarchive_nightly", "logical_date": NIGHT_4,
         "env": {"AIRFLOW_CONN_PRESSARCHIVE_ELASTICSEARCH": None},
         "variables": {"PRESSARCHIVE_DATA": str(failing_data),
                       "PRESSARCHIVE_SITES": str(failing_sites)}},
    ]
    (work / "plan.json").write_text(json.dumps(plan))
    with CrawlKillingServer(site, retry_data, at_request=12) as killer:
        site_file(retry_sites, killer)
        started = time.monotonic()
        python(SUPPORT / "run_dag.py", str(work / "plan.json"), str(work / "result.json"),
               env=env, timeout=400, log=work / "runs.log")
        TIMINGS["dag.test() plan"] = time.monotonic() - started
        killed = list(killer.killed)
    result = json.loads((work / "result.json").read_text())
    return {"runs": result["runs"], "data": data, "retry_data": retry_data, "killed": killed,
            "failing_data": failing_data,
            "sites": sites, "log": work / "runs.log", "home": home}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rows(data: Path, entity: str) -> list[dict[str, Any]]:
    return ds.dataset(data / "parquet" / entity, partitioning="hive").to_table().to_pylist()


def report(data: Path, run_id: str) -> dict[str, Any]:
    from crawler.runner import safe_run_id

    return json.loads((data / "runs" / f"{safe_run_id(run_id)}.json").read_text())


def tasks(run: dict[str, Any]) -> dict[str, tuple[str, int]]:
    return {f"{t['task_id']}[{t['map_index']}]" if t["map_index"] >= 0 else t["task_id"]:
            (t["state"], t["try_number"]) for t in run["tasks"]}


def assert_archive_is_the_site(data: Path, site: Site) -> None:
    articles, comments = rows(data, "articles"), rows(data, "comments")
    assert len(articles) == len(site.articles)
    assert len({a["article_id"] for a in articles}) == len(articles)
    assert {urlsplit(a["url"]).path for a in articles} == {a.path for a in site.articles}
    assert {a["title"] for a in articles} == {a.title for a in site.articles}
    assert len(comments) == sum(len(a.comments) for a in site.articles)
    assert len({c["comment_id"] for c in comments}) == len(comments)


def test_nightly_runs_every_task_once_and_succeeds(runs: dict[str, Any]) -> None:
    first = runs["runs"][0]
    assert first["dag_id"] == "pressarchive_nightly"
    assert first["state"] == "success"
    assert tasks(first) == {"list_sites": ("success", 1), "site.crawl[0]": ("success", 1),
                            "site.process[0]": ("success", 1), "dedupe": ("success", 1),
                            "index": ("success", 1), "every_site_processed": ("success", 1)}
    for task_id in ("site.crawl", "site.process"):
        assert [t["label"] for t in first["tasks"] if t["task_id"] == task_id] == ["sample"]


def test_nightly_archive_holds_the_site_ground_truth(runs: dict[str, Any], site: Site) -> None:
    assert_archive_is_the_site(runs["data"], site)


def test_nightly_index_finds_the_seed_article(runs: dict[str, Any]) -> None:
    seed = seed_article()
    query = SearchQuery(text='"history-making deal"', published_from=parse_period("2019-02"),
                        published_before=parse_period("2019-02", end=True))
    hits = search(DataDir.at(runs["data"]), query).hits
    assert [h.title for h in hits] == [seed.title]
    everything = search(DataDir.at(runs["data"]), SearchQuery(limit=100))
    assert everything.total == len(rows(runs["data"], "articles"))


def test_run_id_is_the_airflow_run_id_and_reports_every_step(runs: dict[str, Any]) -> None:
    first = runs["runs"][0]
    assert first["run_id"] == f"manual__{NIGHT_1}"
    sections = report(runs["data"], first["run_id"])
    assert {"crawl:sample", "process:sample", "dedupe", "index:tantivy"} <= set(sections)
    assert (runs["data"] / "raw" / "run=manual__2026-01-01T02_00_00_00_00"
            / "site=sample").is_dir()


def test_dedupe_emits_both_assets_and_queues_the_index_dag(runs: dict[str, Any],
                                                           site: Site) -> None:
    first = runs["runs"][0]
    data = str(runs["data"].resolve())
    run_id = "manual__2026-01-01T02_00_00_00_00"
    assert first["asset_events"] == [
        {"asset": "pressarchive_articles", "extra": {
            "run_id": run_id, "location": f"{data}/parquet/articles",
            "rows_in": len(site.articles)}},
        {"asset": "pressarchive_comments", "extra": {
            "run_id": run_id, "location": f"{data}/parquet/comments",
            "rows_in": sum(len(a.comments) for a in site.articles)}},
    ]
    assert {"pressarchive_articles->pressarchive_index",
            "pressarchive_comments->pressarchive_index"} <= set(first["queued"])


def test_rerun_of_the_same_run_and_a_second_night_add_no_rows(runs: dict[str, Any],
                                                              site: Site) -> None:
    again, night_2 = runs["runs"][1], runs["runs"][2]
    assert again["run_id"] == runs["runs"][0]["run_id"]
    assert again["state"] == night_2["state"] == "success"
    for run in (again, night_2):
        counts = report(runs["data"], run["run_id"])["process:sample"]["counts"]
        assert counts.get("articles/new", 0) == 0
        assert counts.get("comments/new", 0) == 0
    assert_archive_is_the_site(runs["data"], site)


def test_index_and_reindex_dags_run_on_the_archive(runs: dict[str, Any]) -> None:
    index_run, reindex_run = runs["runs"][3], runs["runs"][4]
    assert (index_run["dag_id"], index_run["state"]) == ("pressarchive_index", "success")
    assert (reindex_run["dag_id"], reindex_run["state"]) == ("pressarchive_reindex", "success")
    index_figures = report(runs["data"], index_run["run_id"])["index:tantivy"]
    assert index_figures["full"] is False
    assert index_figures["articles/documents"] == 0  # the nightly index task came first
    rebuilt = report(runs["data"], reindex_run["run_id"])["index:tantivy"]
    assert rebuilt["full"] is True
    assert rebuilt["articles/documents"] == len(rows(runs["data"], "articles"))
    assert rebuilt["version"] != report(runs["data"], runs["runs"][0]["run_id"])[
        "index:tantivy"]["version"]
    everything = search(DataDir.at(runs["data"]), SearchQuery(limit=100))
    assert everything.total == len(rows(runs["data"], "articles"))


def test_a_crawl_killed_mid_run_is_retried_and_the_run_succeeds(runs: dict[str, Any],
                                                                site: Site) -> None:
    killed_run = runs["runs"][5]
    assert runs["killed"], "the fault server never found the crawl process to kill"
    assert killed_run["state"] == "success"
    assert tasks(killed_run) == {"list_sites": ("success", 1), "site.crawl[0]": ("success", 2),
                                 "site.process[0]": ("success", 1), "dedupe": ("success", 1),
                                 "index": ("success", 1),
                                 "every_site_processed": ("success", 1)}
    # configured by Variables: everything went to the other data directory
    assert_archive_is_the_site(runs["retry_data"], site)
    crawl = report(runs["retry_data"], killed_run["run_id"])["crawl:sample"]
    assert crawl["finish_reason"] == "finished"


def test_index_against_an_unreachable_cluster_fails_without_leaking_its_password(
        runs: dict[str, Any]) -> None:
    failed = runs["runs"][6]
    assert (failed["dag_id"], failed["state"]) == ("pressarchive_reindex", "failed")
    assert tasks(failed) == {"reindex": ("failed", 3)}  # the first try and 2 retries
    logs = [runs["log"], *Path(runs["home"], "logs").rglob("*.log")]
    text = "\n".join(path.read_text(errors="replace") for path in logs)
    assert "Elasticsearch at http://127.0.0.1:" in text  # the task did try the cluster
    assert CANARY not in text


def test_a_site_that_keeps_failing_does_not_hold_back_the_others(runs: dict[str, Any],
                                                                 site: Site) -> None:
    night = runs["runs"][7]
    assert night["state"] == "failed"
    labels = {t["map_index"]: t["label"] for t in night["tasks"]
              if t["task_id"] == "site.crawl"}
    assert labels == {0: "down", 1: "sample"}
    assert tasks(night) == {"list_sites": ("success", 1), "site.crawl[0]": ("failed", 3),
                            "site.crawl[1]": ("success", 1),
                            "site.process[0]": ("upstream_failed", 0),
                            "site.process[1]": ("success", 1), "dedupe": ("success", 1),
                            "index": ("success", 1),
                            "every_site_processed": ("upstream_failed", 0)}
    assert_archive_is_the_site(runs["failing_data"], site)


@pytest.fixture(scope="module")
def cli_data(runs: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-data")
    started = time.monotonic()
    run_cli("run", "--site", runs["sites"] / "sample.yaml", "--data", data)
    TIMINGS["pressarchive run"] = time.monotonic() - started
    return data


def test_nightly_produces_the_same_archive_and_index_as_pressarchive_run(
        runs: dict[str, Any], cli_data: Path) -> None:
    for entity, key in (("articles", "article_id"), ("comments", "comment_id")):
        by_dag = {r[key]: {k: v for k, v in r.items() if k not in PER_RUN}
                  for r in rows(runs["data"], entity)}
        by_cli = {r[key]: {k: v for k, v in r.items() if k not in PER_RUN}
                  for r in rows(cli_data, entity)}
        assert by_dag.keys() == by_cli.keys()
        assert by_dag == by_cli
    for kind in ("articles", "comments"):
        query = SearchQuery(kind=kind, sort="oldest", limit=1000)
        dag_hits = search(DataDir.at(runs["data"]), query).hits
        cli_hits = search(DataDir.at(cli_data), query).hits
        assert [h.id for h in dag_hits] == [h.id for h in cli_hits]
        assert dag_hits


def test_report_timings(runs: dict[str, Any], cli_data: Path) -> None:
    """Not an assertion of speed: prints where the time of this file goes (`-s`)."""
    per_run = [f"{r['dag_id']} {r['run_id']}: {r['seconds']} s" for r in runs["runs"]]
    print(json.dumps({**{k: round(v, 1) for k, v in TIMINGS.items()}, "runs": per_run},
                     indent=1))
