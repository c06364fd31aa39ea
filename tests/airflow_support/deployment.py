"""A real Airflow: its components as processes on a temporary home, driven by its REST API.

The components are the commands a deployment runs (`airflow api-server`, `scheduler`,
`dag-processor`, `triggerer`, `celery worker`), each with its output in
`HOME/components/<name>.log`. They share one environment, as README "Scale out without
Docker" says, and the secrets that `airflow db migrate` generated into `HOME/airflow.cfg`.
The REST API is used as a client would: a JWT from `POST /auth/token` for the admin user
whose password the simple auth manager generated.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "dags"
FINISHED = {"success", "failed"}


class AirflowError(AssertionError):
    """Something the deployment did not do; the message names the log to read."""


@dataclass
class Component:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


def base_environment(home: Path, port: int, **settings: str) -> dict[str, str]:
    """This process's environment minus pipeline and Airflow settings, plus the deployment's."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PRESSARCHIVE_", "ELASTICSEARCH_", "AIRFLOW"))}
    env.update({
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
        **settings,
    })
    return env


class Airflow:
    def __init__(self, home: Path, port: int, env: Mapping[str, str]) -> None:
        self.home, self.port, self.env = home, port, dict(env)
        self.components: dict[str, Component] = {}
        self._token: str | None = None
        (home / "components").mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- processes ----------------------------------------------------------------------

    def cli(self, *args: str, timeout: float = 300) -> str:
        """`airflow ARGS` to completion; its output."""
        completed = subprocess.run([sys.executable, "-m", "airflow", *args], env=self.env,
                                   cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if completed.returncode != 0:
            raise AirflowError(f"airflow {' '.join(args)} exited {completed.returncode}:\n"
                               f"{completed.stdout[-2000:]}\n{completed.stderr[-3000:]}")
        return completed.stdout

    def start(self, name: str, *args: str, env: Mapping[str, str] | None = None) -> Component:
        """`airflow ARGS` as the long-running component `name`."""
        log = self.home / "components" / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen([sys.executable, "-m", "airflow", *args],
                                       env={**self.env, **(env or {})}, cwd=ROOT,
                                       stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.components[name] = Component(name, process, log)
        return self.components[name]

    def start_core(self) -> None:
        """The four components of every deployment, on 127.0.0.1 only."""
        self.start("api-server", "api-server", "--host", "127.0.0.1", "--port", str(self.port),
                   "--workers", "1")
        self.start("scheduler", "scheduler", "--skip-serve-logs")
        self.start("dag-processor", "dag-processor")
        self.start("triggerer", "triggerer", "--skip-serve-logs")

    def stop(self, *names: str, grace: float = 30) -> None:
        """SIGTERM to each one's process group, then SIGKILL after `grace` seconds; no
        orphan left. All at once: components shut down in parallel, as on a host."""
        stopping = [self.components.pop(name) for name in names]
        for component in stopping:
            if component.process.poll() is None:
                # to the whole group, as a terminal's Ctrl-C or systemd does: a scheduler
                # waits for its LocalExecutor workers, which stop on their own signal
                os.killpg(component.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for component in stopping:
            try:
                component.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(component.process.pid, signal.SIGKILL)
                component.process.wait()
            for orphan in _group_members(component.process.pid):
                orphan.kill()

    def kill(self, name: str) -> list[int]:
        """SIGKILL the component's whole process tree at once, as when its machine dies."""
        from tests.airflow_support.processes import kill_tree

        return kill_tree(self.components.pop(name).process.pid)

    def stop_all(self) -> None:
        """Everything but the API server first: running tasks still report to it."""
        self.stop(*[name for name in self.components if name != "api-server"])
        if "api-server" in self.components:
            self.stop("api-server")

    def check_alive(self) -> None:
        for component in self.components.values():
            if component.process.poll() is not None:
                raise AirflowError(f"{component.name} exited {component.process.returncode}; "
                                   f"see {component.log}:\n{tail(component.log)}")

    # --- the REST API ---------------------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None, *, auth: bool = True) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", f"Bearer {self.token()}")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            raise AirflowError(f"{method} {path}: {error.code} {error.read().decode()[:1000]}"
                               ) from None
        return json.loads(text) if text else None

    def token(self) -> str:
        """A JWT for the admin user, whose password the simple auth manager generated."""
        if self._token is None:
            passwords = json.loads(self.password_file().read_text())
            self._token = self.api("POST", "/auth/token",
                                   {"username": "admin", "password": passwords["admin"]},
                                   auth=False)["access_token"]
        return self._token

    def password_file(self) -> Path:
        return self.home / "simple_auth_manager_passwords.json.generated"

    def wait_until_ready(self, dag_ids: list[str], timeout: float = 240) -> None:
        """The API answers, every component reports healthy, and the DAGs are parsed."""

        def ready() -> bool:
            try:
                health = self.api("GET", "/api/v2/monitor/health", auth=False)
            except (OSError, AirflowError):
                return False
            healthy = all(health.get(part, {}).get("status") == "healthy"
                          for part in ("metadatabase", "scheduler", "triggerer",
                                       "dag_processor"))
            if not healthy or not self.password_file().exists():
                return False
            dags = self.api("GET", "/api/v2/dags?limit=100")["dags"]
            return set(dag_ids) <= {d["dag_id"] for d in dags}

        self.wait_for(ready, timeout, "Airflow to be ready")

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            self.check_alive()
            if time.monotonic() > deadline:
                raise AirflowError(f"timed out after {timeout} s waiting for {what}; "
                                   f"logs in {self.home / 'components'}")
            time.sleep(1)

    def unpause(self, dag_id: str) -> None:
        self.api("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})

    def set_variable(self, key: str, value: str) -> None:
        try:
            self.api("PATCH", f"/api/v2/variables/{quote(key)}", {"key": key, "value": value})
        except AirflowError as error:
            if ": 404 " not in str(error):
                raise
            self.api("POST", "/api/v2/variables", {"key": key, "value": value})

    def trigger(self, dag_id: str, logical_date: str | None) -> str:
        run = self.api("POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": logical_date})
        return str(run["dag_run_id"])

    def clear(self, dag_id: str, run_id: str) -> None:
        self.api("POST", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}/clear",
                 {"dry_run": False})

    def run(self, dag_id: str, run_id: str) -> dict[str, Any]:
        return dict(self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}"))

    def runs(self, dag_id: str) -> list[dict[str, Any]]:
        return list(self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns?limit=100&order_by=id"
                             )["dag_runs"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300) -> dict[str, Any]:
        self.wait_for(lambda: self.run(dag_id, run_id)["state"] in FINISHED, timeout,
                      f"{dag_id} {run_id}")
        return self.run(dag_id, run_id)

    def wait_until_idle(self, dag_ids: list[str], timeout: float = 300) -> None:
        """No run of these DAGs queued or running."""
        self.wait_for(lambda: all(r["state"] in FINISHED for d in dag_ids
                                  for r in self.runs(d)), timeout, f"{dag_ids} to be idle")

    def upstream_asset_events(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        """The asset events that triggered this run."""
        return list(self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}"
                             "/upstreamAssetEvents")["asset_events"])

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return list(self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}"
                             "/taskInstances?limit=100")["task_instances"])

    def tries(self, dag_id: str, run_id: str, task_id: str,
              map_index: int = -1) -> list[dict[str, Any]]:
        where = f"{task_id}/{map_index}" if map_index >= 0 else task_id
        return list(self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id)}"
                             f"/taskInstances/{where}/tries")["task_instances"])


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _group_members(pgid: int) -> list[psutil.Process]:
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid:
                members.append(process)
        except (ProcessLookupError, psutil.Error):
            continue
    return members
