"""`make airflow` as a newcomer meets it: its script started, the DAGs unpaused, one run.

The script (`infra/airflow/local.py`, all that `make airflow` runs) is started with a
temporary AIRFLOW_HOME and data directory and free ports, and no PRESSARCHIVE_SITES, as
on a first start. Through the REST API the test then does what README "Watch a run" says:
unpause both DAGs, press ▶ while the first run goes, and stop with Ctrl-C (SIGINT).
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
import pytest
import yaml

from sample_site.generate import bundled_site
from tests.airflow_support.archive import assert_archive_holds
from tests.airflow_support.deployment import Airflow, AirflowError, tail
from tests.airflow_support.services import free_port

pytestmark = [pytest.mark.airflow, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "infra" / "airflow" / "local.py"
NIGHTLY, INDEX = "pressarchive_nightly", "pressarchive_index"


def listening(root: psutil.Process) -> set[tuple[str, int]]:
    """The addresses that `root` and its descendants listen on."""
    found = set()
    for process in [root, *root.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.Error:
            continue
        found |= {(c.laddr.ip, c.laddr.port) for c in connections
                  if c.status == psutil.CONN_LISTEN}
    return found


def latest_slot(now: datetime) -> datetime:
    """The latest 02:00 UTC at or before `now`: the slot of the default schedule."""
    slot = now.replace(hour=2, minute=0, second=0, microsecond=0)
    return slot if slot <= now else slot - timedelta(days=1)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    work = tmp_path_factory.mktemp("make-airflow")
    home, port, sample_port = work / "airflow", free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRESSARCHIVE_", "ELASTICSEARCH_", "AIRFLOW"))}
    env.update({"AIRFLOW_HOME": str(home), "AIRFLOW_PORT": str(port),
                "PRESSARCHIVE_SAMPLE_PORT": str(sample_port),
                "PRESSARCHIVE_DATA": str(work / "data")})
    output = work / "make-airflow.log"
    with output.open("wb") as out:
        script = subprocess.Popen([sys.executable, str(SCRIPT)], env=env, cwd=ROOT,
                                  stdout=out, stderr=subprocess.STDOUT)
    found: dict[str, Any] = {"work": work, "home": home, "port": port,
                             "sample_port": sample_port, "output": output}
    try:
        airflow = Airflow(home, port, env)
        deadline = time.monotonic() + 300
        while "Airflow is ready at" not in output.read_text(errors="replace"):
            if script.poll() is not None or time.monotonic() > deadline:
                raise AirflowError(f"make airflow did not get ready:\n{tail(output, 60)}")
            time.sleep(1)
        found["listening"] = listening(psutil.Process(script.pid))
        found.update(first_night(airflow, psutil.Process(script.pid)))
        found["tree"] = psutil.Process(script.pid).children(recursive=True)
        script.send_signal(signal.SIGINT)
        found["exit"] = script.wait(timeout=180)
        found["output_text"] = output.read_text(errors="replace")
        yield found
    finally:
        if script.poll() is None:
            script.kill()


def first_night(airflow: Airflow, script: psutil.Process) -> dict[str, Any]:
    """Unpause both DAGs, press ▶ while the scheduled run goes, wait for the first run."""
    airflow.unpause(INDEX)
    unpaused_at = datetime.now(UTC)
    airflow.unpause(NIGHTLY)
    airflow.wait_for(lambda: bool(airflow.runs(NIGHTLY)), 60, "a run after unpausing")
    scheduled = airflow.runs(NIGHTLY)[0]
    manual_id = airflow.trigger(NIGHTLY, None)
    manual_while_scheduled_ran = airflow.run(NIGHTLY, manual_id)
    listening_during_run = listening(script)
    done = airflow.wait_for_run(NIGHTLY, scheduled["dag_run_id"], timeout=300)
    airflow.wait_for(lambda: airflow.run(NIGHTLY, manual_id)["state"] != "queued", 60,
                     "the triggered run to start")
    return {"unpaused_at": unpaused_at, "scheduled": done, "scheduled_seen": scheduled,
            "manual_queued": manual_while_scheduled_ran,
            "manual_started": airflow.run(NIGHTLY, manual_id),
            "scheduled_tasks": {t["task_id"]: t["state"]
                                for t in airflow.task_instances(NIGHTLY,
                                                                done["dag_run_id"])},
            "listening_during_run": listening_during_run}


def test_it_listens_on_127_0_0_1_only(first_start: dict[str, Any]) -> None:
    addresses = first_start["listening"] | first_start["listening_during_run"]
    assert {port for _, port in addresses} >= {first_start["port"], first_start["sample_port"]}
    assert all(ipaddress.ip_address(ip).is_loopback for ip, _ in addresses), addresses
    assert not {8793, 8794} & {port for _, port in addresses}


def test_it_prints_where_the_admin_password_is(first_start: dict[str, Any]) -> None:
    password_file = first_start["home"] / "simple_auth_manager_passwords.json.generated"
    assert f"the password is in {password_file}" in first_start["output_text"]
    assert json.loads(password_file.read_text())["admin"]


def test_unpausing_starts_a_run_for_the_latest_slot_at_once(first_start: dict[str, Any]) -> None:
    seen = first_start["scheduled_seen"]
    assert seen["run_type"] == "scheduled"
    slot = latest_slot(first_start["unpaused_at"])
    assert parse_time(seen["logical_date"]) in {slot, slot - timedelta(days=1)}
    assert first_start["scheduled"]["state"] == "success"
    assert set(first_start["scheduled_tasks"].values()) == {"success"}


def test_a_run_triggered_meanwhile_waits_for_it(first_start: dict[str, Any]) -> None:
    assert first_start["manual_queued"]["run_type"] == "manual"
    assert first_start["manual_queued"]["state"] == "queued"
    started = parse_time(first_start["manual_started"]["start_date"])
    ended = parse_time(first_start["scheduled"]["end_date"])
    assert started is not None and ended is not None and started >= ended


def test_the_first_night_crawls_the_bundled_sample_site(first_start: dict[str, Any]) -> None:
    site_files = sorted((first_start["home"] / "sample-sites").glob("*.yaml"))
    assert [p.name for p in site_files] == ["sample.yaml"]
    start_urls = yaml.safe_load(site_files[0].read_text())["start_urls"]
    assert {urlsplit(u).netloc for u in start_urls} == {
        f"127.0.0.1:{first_start['sample_port']}"}
    assert_archive_holds(first_start["work"] / "data",
                         {f"http://127.0.0.1:{first_start['sample_port']}": bundled_site()})


def test_ctrl_c_stops_every_process_it_started(first_start: dict[str, Any]) -> None:
    assert first_start["exit"] == 0
    assert first_start["tree"]
    alive = [p for p in first_start["tree"] if p.is_running() and p.status() != "zombie"]
    assert alive == []
