"""What the pressarchive DAGs share, kept out of the DAG files so that they stay wiring.

`config`: settings by name (what shapes a DAG from the environment only, what a task
reads from the environment, then an Airflow Variable, then the default);
`assets`: the Parquet datasets as Airflow assets; `tasks`: the index task that three
DAGs use. Nothing here imports the pipeline's own packages (Scrapy, pyarrow, tantivy)
at module level: the DAG processor parses these files often, the tasks import them.
This package is listed in `dags/.airflowignore`, so the DAG processor does not parse it
as a DAG file; it is importable because Airflow puts the DAGs folder on `sys.path`.
"""
