"""`make airflow`: Airflow on this machine for a first look, listening on 127.0.0.1 only.

    python infra/airflow/local.py        (Ctrl-C stops everything it started)

What runs: SQLite metadata in AIRFLOW_HOME (default `.airflow/`), LocalExecutor, the
project's DAGs and no examples, the crawl pool sized by PRESSARCHIVE_CRAWL_SLOTS (2), and
Airflow's four components: `api-server` (the UI and the REST API, on 127.0.0.1:AIRFLOW_PORT,
default 8080), `scheduler`, `dag-processor` and `triggerer`, the scheduler and the
triggerer without their log servers, which would listen on every interface (`airflow
standalone` starts them so): on one machine the API server reads the task logs from the
files. The data goes to PRESSARCHIVE_DATA (default `./data`).

What is crawled: the sites of PRESSARCHIVE_SITES when it is set; otherwise the bundled
sample site, served on 127.0.0.1:PRESSARCHIVE_SAMPLE_PORT (8765) by this script (a stable
port keeps its URLs, hence its article ids, the same from one start to the next). The
project's `sites/` holds a real public site: a first run must not crawl the internet.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SITE = "sample"
STOP_GRACE = 60.0
"""Seconds the components stopping together get to exit before SIGKILL."""


def environment() -> dict[str, str]:
    home = Path(os.environ.get("AIRFLOW_HOME") or REPO / ".airflow").resolve()
    port = os.environ.get("AIRFLOW_PORT", "8080")
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW_PORT": port,
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        # SQLite lets one writer in at a time; four components write: wait up to 30 s for
        # the lock instead of the default 5, which a loaded machine exceeds
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": os.environ.get(
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN") or f"sqlite:///{home}/airflow.db?timeout=30",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "PRESSARCHIVE_DATA": str(Path(os.environ.get("PRESSARCHIVE_DATA") or REPO / "data")
                                 .resolve()),
    }


def airflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "airflow", *args]


def components(port: str) -> dict[str, list[str]]:
    return {
        "api-server": airflow("api-server", "--host", "127.0.0.1", "--port", port,
                              "--workers", "1"),
        "scheduler": airflow("scheduler", "--skip-serve-logs"),
        "dag-processor": airflow("dag-processor"),
        "triggerer": airflow("triggerer", "--skip-serve-logs"),
    }


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def relay(name: str, stream: IO[bytes]) -> None:
    """A component's output, each line prefixed with its name."""
    for line in iter(stream.readline, b""):
        sys.stdout.write(f"{name:<13}| {line.decode(errors='replace')}")
        sys.stdout.flush()


class Local:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.home = Path(env["AIRFLOW_HOME"])
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        # Its own process group, so that stopping it stops whatever it started.
        process = subprocess.Popen(command, env=self.env, cwd=REPO, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, process_group=0)
        assert process.stdout is not None
        threading.Thread(target=relay, args=(name, process.stdout), daemon=True).start()
        self.processes[name] = process
        return process

    def sample_site(self) -> str:
        """Serves the bundled sample site and writes its site file; the sites directory."""
        port = int(self.env.get("PRESSARCHIVE_SAMPLE_PORT", "8765"))
        if not port_free(port):
            raise SystemExit(f"make airflow: port {port} of the sample site is in use; "
                             "set PRESSARCHIVE_SAMPLE_PORT to a free one")
        self.start("sample-site", [sys.executable, "-m", "sample_site", "serve", "--bundled",
                                   "--host", "127.0.0.1", "--port", str(port)])
        wait_for(lambda: not port_free(port), 30, "the sample site")
        sites = self.home / "sample-sites"
        sites.mkdir(parents=True, exist_ok=True)
        (sites / f"{SAMPLE_SITE}.yaml").write_text(
            "# Written by `make airflow`: the bundled sample site, served on 127.0.0.1.\n"
            f"name: {SAMPLE_SITE}\nstart_urls: ['http://127.0.0.1:{port}/']\n"
            "download_delay: 0.1\n")
        return str(sites)

    def ready(self) -> bool:
        url = f"{self.env['AIRFLOW__API__BASE_URL']}/api/v2/monitor/health"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                health = json.loads(response.read())
        except (OSError, ValueError):
            return False
        return self.password_file().exists() and all(
            health.get(part, {}).get("status") == "healthy"
            for part in ("metadatabase", "scheduler", "triggerer", "dag_processor"))

    def password_file(self) -> Path:
        return self.home / "simple_auth_manager_passwords.json.generated"

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.processes.values())

    def stop(self) -> None:
        """The scheduler and its tasks first, while the API server they report to is up."""
        last = ("api-server", "sample-site")
        first = [name for name in self.processes if name not in last]
        for group in (first, [name for name in last if name in self.processes]):
            for name in group:
                if self.processes[name].poll() is None:
                    # to the whole group, as Ctrl-C in a terminal does: the scheduler waits
                    # for its LocalExecutor workers, which stop on their own signal
                    os.killpg(self.processes[name].pid, signal.SIGTERM)
            deadline = time.monotonic() + STOP_GRACE  # one grace for the group, not each
            for name in group:
                stop_group(self.processes[name], max(0.0, deadline - time.monotonic()))


def stop_group(process: subprocess.Popen[bytes], grace: float = STOP_GRACE) -> None:
    """Waits for `process` to stop, then SIGKILLs what is left of its process group."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"make airflow: {what} did not start within {timeout:.0f} s")
        time.sleep(0.5)


def banner(local: Local, crawled: str) -> str:
    url = local.env["AIRFLOW__API__BASE_URL"]
    return (
        f"\npressarchive: Airflow is ready at {url} (127.0.0.1 only)\n"
        f"  log in as admin; the password is in {local.password_file()}\n"
        f"  crawls: {crawled}\n"
        f"  data: {local.env['PRESSARCHIVE_DATA']}\n"
        "  The DAGs start paused. Unpausing pressarchive_nightly starts a run at once for the\n"
        "  latest 02:00 UTC slot, then one every night; unpause pressarchive_index too, so\n"
        "  that the index follows each night's Parquet. A run triggered with ▶ while one runs\n"
        "  waits for it (one run at a time). Ctrl-C stops everything.\n")


def main() -> int:
    env = environment()
    local = Local(env)
    local.home.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Ctrl-C stops everything even when started where SIGINT is ignored (a shell without
    # job control starts its background commands so, and Python then keeps it ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if env.get("PRESSARCHIVE_SITES"):
            crawled = f"the site files of {env['PRESSARCHIVE_SITES']}"
        else:
            env["PRESSARCHIVE_SITES"] = local.sample_site()
            crawled = (f"the bundled sample site ({env['PRESSARCHIVE_SITES']}); "
                       "PRESSARCHIVE_SITES=sites crawls the project's real site files")
        subprocess.run(airflow("db", "migrate"), env=env, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(airflow("pools", "set", "pressarchive_crawl",
                               env.get("PRESSARCHIVE_CRAWL_SLOTS", "2"),
                               "concurrent site crawls"),
                       env=env, check=True, stdout=subprocess.DEVNULL)
        for name, command in components(env["AIRFLOW_PORT"]).items():
            local.start(name, command)
        wait_for(lambda: local.ready() or not local.alive(), 300, "Airflow")
        if local.alive():
            print(banner(local, crawled), flush=True)
        while local.alive():
            time.sleep(1)
        stopped = [name for name, p in local.processes.items() if p.poll() is not None]
        print(f"make airflow: {', '.join(stopped)} stopped; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        local.stop()


if __name__ == "__main__":
    sys.exit(main())
