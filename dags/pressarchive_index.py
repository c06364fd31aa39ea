"""pressarchive_index: index the Parquet archive whenever it changes.

Scheduled on the assets that pressarchive_nightly's process step emits (either one), so
indexing also runs on its own, e.g. after a cleared process task or when another
producer posts an asset event. Indexing is incremental: a run that finds no changed
partition (because the nightly index task came first) does nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import dag
from pressarchive_common.assets import ARTICLES, COMMENTS
from pressarchive_common.config import default_args
from pressarchive_common.tasks import index_task


@dag(
    dag_id="pressarchive_index",
    schedule=(ARTICLES | COMMENTS),
    start_date=datetime(2025, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    tags=["pressarchive"],
    doc_md=__doc__,
)
def pressarchive_index() -> None:
    index_task.override(inlets=[ARTICLES, COMMENTS])()


pressarchive_index()
