"""pressarchive_index: index the Parquet archive whenever it changes.

Scheduled on the assets that pressarchive_nightly's dedupe step emits (either one), so
indexing also runs on its own, e.g. after a cleared dedupe task or when another
producer posts an asset event. Indexing is incremental: a run that finds no changed
partition (because the nightly index task came first) does nothing.
"""

from __future__ import annotations

from airflow.sdk import dag
from pressarchive_common.assets import ARTICLES, COMMENTS
from pressarchive_common.config import dag_policy
from pressarchive_common.tasks import index_task


@dag(
    dag_id="pressarchive_index",
    schedule=(ARTICLES | COMMENTS),
    doc_md=__doc__,
    **dag_policy(),
)
def pressarchive_index() -> None:
    index_task.override(inlets=[ARTICLES, COMMENTS])()


pressarchive_index()
