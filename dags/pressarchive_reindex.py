"""pressarchive_reindex: rebuild the search index from Parquet, then swap it in.

Manual only (trigger it from the UI or `airflow dags trigger pressarchive_reindex`):
a fresh index version is built beside the live one and becomes live in one atomic step
(an alias swap on Elasticsearch), so searches never see a half-built index.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import dag
from pressarchive_common.config import default_args
from pressarchive_common.tasks import index_task


@dag(
    dag_id="pressarchive_reindex",
    schedule=None,
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["pressarchive"],
    doc_md=__doc__,
)
def pressarchive_reindex() -> None:
    index_task.override(task_id="reindex")(full=True)


pressarchive_reindex()
