"""The index task, shared by pressarchive_nightly, pressarchive_index and _reindex."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from airflow.sdk import task

from pressarchive_common.config import (
    ELASTICSEARCH_CONN_ID,
    data_dir,
    elasticsearch_env,
    parquet_location,
    patched_environ,
    path_safe,
)


@contextmanager
def search_backend() -> Iterator[str | None]:
    """The Elasticsearch URL of the connection, its credentials in the environment meanwhile.

    Without the connection: None, and `ELASTICSEARCH_URL` of the worker's own environment
    decides, else the embedded index under the data root. Credentials reach only this
    task process's environment, never XCom or the log (they are masked).
    """
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException
    from airflow.sdk.log import mask_secret

    try:
        conn = Connection.get(ELASTICSEARCH_CONN_ID)
    except AirflowNotFoundException:
        yield None
        return
    env = elasticsearch_env(conn)
    for key in ("ELASTICSEARCH_API_KEY", "ELASTICSEARCH_PASSWORD"):
        if env.get(key):
            mask_secret(env[key])
    with patched_environ(env):
        yield env["ELASTICSEARCH_URL"]


@task(task_id="index")
def index_task(full: bool = False, run_id: str | None = None) -> dict[str, Any]:
    """The search index up to date with the Parquet archive (`full`: rebuild, then swap)."""
    from archive.index import index

    with search_backend() as url:
        return index(data_dir(), elasticsearch=url, parquet=parquet_location(), full=full,
                     run_id=path_safe(run_id))
