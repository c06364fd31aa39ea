"""pressarchive_reindex: rebuild the search index from Parquet, then swap it in.

Manual only (trigger it from the UI or `airflow dags trigger pressarchive_reindex`):
a fresh index version is built beside the live one and becomes live in one atomic step
(an alias swap on Elasticsearch), so searches never see a half-built index.
"""

from __future__ import annotations

from airflow.sdk import dag
from pressarchive_common.config import dag_policy
from pressarchive_common.tasks import index_task


@dag(
    dag_id="pressarchive_reindex",
    schedule=None,
    doc_md=__doc__,
    **dag_policy(),
)
def pressarchive_reindex() -> None:
    index_task.override(task_id="reindex")(full=True)


pressarchive_reindex()
