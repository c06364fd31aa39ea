"""Settings of the pressarchive DAGs, by name.

Settings that shape a DAG (schedule, retries, timeouts) are read while the file is
parsed, from the environment only (`dag_setting`): the DAG processor parses every file
every `min_file_process_interval`, and a Variable read there is a metadata query each time.
Settings of the work itself (data root, sites, crawl settings) are read when a task runs
(`setting`): from the environment, else from the Airflow Variable of the same name, else
from the default, so that a changed Variable applies at the next run. Only the standard
library is imported at module level; Airflow and the pipeline lazily.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CRAWL_POOL = "pressarchive_crawl"
ELASTICSEARCH_CONN_ID = "pressarchive_elasticsearch"

DEFAULTS: dict[str, str] = {
    # cron, in UTC; "none" disables the schedule (manual runs only)
    "PRESSARCHIVE_SCHEDULE": "0 2 * * *",
    # the data directory (raw zone, Parquet, index, run reports, state)
    "PRESSARCHIVE_DATA": str(REPO / "data"),
    # the directory of site files, one YAML per site
    "PRESSARCHIVE_SITES": str(REPO / "sites"),
    # the Parquet archive when not under the data root, e.g. s3://bucket/pressarchive
    "PRESSARCHIVE_PARQUET": "",
    # extra Scrapy settings for every crawl, a JSON object
    "PRESSARCHIVE_CRAWL_SETTINGS": "{}",
    # cleaning processes of each site's process task; more than 1 starts spawn workers from the
    # task, which daemonic executor workers (Celery's prefork pool) do not allow
    "PRESSARCHIVE_PROCESS_WORKERS": "1",
    # retries of every task, first delay (s), doubling up to the maximum delay (s)
    "PRESSARCHIVE_RETRIES": "2",
    "PRESSARCHIVE_RETRY_DELAY": "300",
    "PRESSARCHIVE_MAX_RETRY_DELAY": "3600",
    # execution timeout (s) of one site's crawl, and of the process and index steps
    "PRESSARCHIVE_CRAWL_TIMEOUT": "14400",
    "PRESSARCHIVE_STEP_TIMEOUT": "7200",
}


def setting(name: str) -> str:
    """`name` from the environment, else the Airflow Variable `name`, else its default.

    For tasks only: never call it while a DAG file is parsed.
    """
    value = os.environ.get(name)
    if value:
        return value
    from airflow.sdk import Variable

    return str(Variable.get(name, default=None) or DEFAULTS[name])


def dag_setting(name: str) -> str:
    """`name` from the environment, else its default: what a DAG file may read when parsed."""
    return os.environ.get(name) or DEFAULTS[name]


def seconds(name: str) -> timedelta:
    return timedelta(seconds=float(dag_setting(name)))


def schedule() -> Any:
    """The nightly timetable: a cron expression in UTC, or None for "none"."""
    cron = dag_setting("PRESSARCHIVE_SCHEDULE").strip()
    if cron.lower() in ("none", "manual", "off"):
        return None
    from airflow.sdk import CronTriggerTimetable

    return CronTriggerTimetable(cron, timezone="UTC")


def default_args() -> dict[str, Any]:
    """Retries with exponential backoff (delay, 2x, 4x ... capped) and a step timeout."""
    return {
        "owner": "pressarchive",
        "retries": int(dag_setting("PRESSARCHIVE_RETRIES")),
        "retry_delay": seconds("PRESSARCHIVE_RETRY_DELAY"),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": seconds("PRESSARCHIVE_MAX_RETRY_DELAY"),
        "execution_timeout": seconds("PRESSARCHIVE_STEP_TIMEOUT"),
    }


def dag_policy() -> dict[str, Any]:
    """What every pressarchive DAG shares: no catchup, one run at a time, the retry policy."""
    return {
        "start_date": datetime(2025, 1, 1, tzinfo=UTC),
        "catchup": False,
        "max_active_runs": 1,
        "default_args": default_args(),
        "tags": ["pressarchive"],
    }


def data_dir() -> Any:
    from archive.layout import DataDir

    return DataDir.at(setting("PRESSARCHIVE_DATA"))


def parquet_location() -> str | None:
    return setting("PRESSARCHIVE_PARQUET") or None


def crawl_settings() -> dict[str, Any]:
    value = json.loads(setting("PRESSARCHIVE_CRAWL_SETTINGS"))
    if not isinstance(value, dict):
        raise ValueError("PRESSARCHIVE_CRAWL_SETTINGS must be a JSON object")
    return value


def path_safe(run_id: str | None) -> str:
    """The Airflow run id as the pipeline's run id (usable in paths)."""
    from crawler.runner import safe_run_id

    if not run_id:
        raise ValueError("no Airflow run id in the task context")
    return safe_run_id(run_id)


def elasticsearch_env(conn: Any) -> dict[str, str]:
    """The search backend's environment, from the `pressarchive_elasticsearch` connection.

    `host` may be a bare name or a URL; `schema` or extra `scheme` chooses http/https
    (https by default). Credentials: extra `api_key` (or `api_key_file`), else login with
    the password (or extra `password_file`, e.g. a Compose secret under /run/secrets).
    Extra `ca_certs` names the CA bundle that verifies the cluster's certificate.
    """
    extra = conn.extra_dejson or {}
    host = (conn.host or "").strip()
    if not host:
        raise ValueError(f"connection {ELASTICSEARCH_CONN_ID} has no host")
    if "://" in host:
        url = host.rstrip("/")
    else:
        scheme = extra.get("scheme") or conn.schema or "https"
        url = f"{scheme}://{host}" + (f":{conn.port}" if conn.port else "")
    env = {"ELASTICSEARCH_URL": url}
    api_key = extra.get("api_key") or _read_secret(extra.get("api_key_file"))
    if api_key:
        env["ELASTICSEARCH_API_KEY"] = api_key
    elif conn.login:
        env["ELASTICSEARCH_USERNAME"] = conn.login
        env["ELASTICSEARCH_PASSWORD"] = (conn.password
                                         or _read_secret(extra.get("password_file")) or "")
    if extra.get("ca_certs"):
        env["ELASTICSEARCH_CA_CERTS"] = str(extra["ca_certs"])
    return env


def _read_secret(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError as exc:
        raise ValueError(f"connection {ELASTICSEARCH_CONN_ID}: cannot read {path}: "
                         f"{exc.strerror}") from None


@contextmanager
def patched_environ(values: Mapping[str, str]) -> Iterator[None]:
    """`values` in os.environ meanwhile, then the previous environment back."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
