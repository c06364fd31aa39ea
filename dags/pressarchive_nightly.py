"""pressarchive_nightly: crawl every site of `sites/`, then process, then index.

    list_sites ─► crawl[site] (mapped, pool `pressarchive_crawl`) ─► process ─► index
                                   │                                  └─ emits the Parquet assets
                                   └─► every_site_crawled

A site that keeps failing does not hold the others back: `process` runs once every crawl
is done and at least one succeeded; `every_site_crawled` then fails the run (upstream
failed), so the failure shows and alerts, and clearing the failed crawl mends the night.

Each task calls one library function; the run id of every step is this DAG run's id
(made path-safe), so a cleared or retried task repeats its step idempotently: a crawl
resumes its raw run without duplicating records, processing replaces whole partitions,
indexing upserts by id.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import TriggerRule, dag, get_current_context, task
from pressarchive_common.assets import ARTICLES, COMMENTS
from pressarchive_common.config import (
    CRAWL_POOL,
    crawl_settings,
    dag_policy,
    data_dir,
    parquet_location,
    path_safe,
    schedule,
    seconds,
    setting,
)
from pressarchive_common.tasks import index_task

CRAWL_TIMEOUT = seconds("PRESSARCHIVE_CRAWL_TIMEOUT")


@dag(
    dag_id="pressarchive_nightly",
    schedule=schedule(),
    doc_md=__doc__,
    **dag_policy(),
)
def pressarchive_nightly() -> None:
    @task
    def list_sites() -> list[dict[str, Any]]:
        """The site files of PRESSARCHIVE_SITES, validated, as JSON for the mapped crawls."""
        from crawler.siteconfig import load_sites

        sites = load_sites(setting("PRESSARCHIVE_SITES"))
        if not sites:
            raise ValueError(f"no site files (*.yaml) in {setting('PRESSARCHIVE_SITES')}")
        return [site.model_dump(mode="json") for site in sites]

    @task(pool=CRAWL_POOL, execution_timeout=CRAWL_TIMEOUT, map_index_template="{{ site_name }}")
    def crawl(site: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
        """One site, in its own process, within the task's timeout: Scrapy stops the crawl
        cleanly five minutes before it (a retry resumes it), the process is killed one
        minute before it if it did not."""
        from crawler.runner import crawl as crawl_site
        from crawler.siteconfig import SiteConfig

        config = SiteConfig.model_validate(site)
        get_current_context()["site_name"] = config.name  # type: ignore[typeddict-unknown-key]
        budget = CRAWL_TIMEOUT.total_seconds()
        settings = {"CLOSESPIDER_TIMEOUT": max(60, int(budget) - 300), **crawl_settings()}
        result = crawl_site(config, data_dir(), path_safe(run_id), settings=settings,
                            timeout=max(90.0, budget - 60))
        return {"site": result.site, "run_id": result.run_id, "counts": result.counts,
                "finish_reason": result.finish_reason}

    @task(outlets=[ARTICLES, COMMENTS], trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
    def process(run_id: str | None = None, outlet_events: Any = None) -> list[dict[str, Any]]:
        """This run's raw records into the Parquet archive; announces both datasets."""
        from archive.process import process as process_runs

        safe = path_safe(run_id)
        reports = process_runs(data_dir(), runs=[safe], parquet=parquet_location(),
                               workers=int(setting("PRESSARCHIVE_PROCESS_WORKERS")))
        where = (parquet_location() or str(data_dir().parquet)).rstrip("/")
        for asset, entity in ((ARTICLES, "articles"), (COMMENTS, "comments")):
            counts = reports[0]["counts"] if reports else {}
            outlet_events[asset].extra = {
                "run_id": safe, "location": f"{where}/{entity}",
                "rows_in": counts.get(f"{entity}/rows_in", 0),
            }
        return reports

    crawled = crawl.expand(site=list_sites())
    processed = process()
    crawled >> processed >> index_task()
    crawled >> EmptyOperator(task_id="every_site_crawled")


pressarchive_nightly()
