"""The Parquet datasets of the archive as Airflow assets.

Named assets with a location-free URI (`x-` is Airflow's prefix for custom schemes):
the data root is configuration (a path, a volume, an `s3://` prefix) read when a task
runs, and may differ between the DAG processor and the workers; a `file://` URI built
from it at parse time would silently stop matching pressarchive_index's schedule when it
moves. Each asset event carries the actual location and the run id in its `extra`.
"""

from __future__ import annotations

from airflow.sdk import Asset

ARTICLES = Asset(name="pressarchive_articles", uri="x-pressarchive://parquet/articles",
                 group="pressarchive")
COMMENTS = Asset(name="pressarchive_comments", uri="x-pressarchive://parquet/comments",
                 group="pressarchive")
