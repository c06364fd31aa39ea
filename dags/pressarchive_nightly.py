"""pressarchive_nightly: crawl every site of `sites/`, process each, dedupe, then index.

    list_sites ─► site[s]: crawl ─► process   (one mapped group per site)
                      ─► dedupe (emits the Parquet assets) ─► index
                      ─► every_site_processed

Each site is crawled (pool `pressarchive_crawl`) and processed into its own partitions
(partitions are disjoint by site), so sites go side by side on as many workers as there
are; `dedupe`, the cross-site near-duplicate pass, runs once every site is done and at
least one made it. A site that keeps failing does not hold the others back:
`every_site_processed` then fails the run (upstream failed), so the failure shows and
alerts, and clearing the failed crawl with its downstream mends the night.

Each task calls one library function; the run id of every step is this DAG run's id
(made path-safe), so a cleared or retried task repeats its step idempotently: a crawl
resumes its raw run without duplicating records, processing replaces whole partitions,
deduplication and indexing converge on the same rows and documents.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import TriggerRule, dag, get_current_context, task, task_group
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
        """The site files of PRESSARCHIVE_SITES, validated, as JSON for the mapped sites."""
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

    @task(map_index_template="{{ site_name }}")
    def process(crawled: dict[str, Any]) -> dict[str, Any]:
        """This site's raw records of the run into its own partitions of the archive."""
        from archive.process import process_site

        get_current_context()["site_name"] = crawled["site"]  # type: ignore[typeddict-unknown-key]
        reports = process_site(data_dir(), crawled["site"], runs=[crawled["run_id"]],
                               parquet=parquet_location(),
                               workers=int(setting("PRESSARCHIVE_PROCESS_WORKERS")))
        return reports[0] if reports else {"run_id": crawled["run_id"],
                                           "site": crawled["site"], "counts": {}}

    @task_group(group_id="site")
    def one_site(site: dict[str, Any]) -> Any:
        return process(crawl(site))

    @task(outlets=[ARTICLES, COMMENTS], trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS)
    def dedupe(run_id: str | None = None, outlet_events: Any = None) -> list[dict[str, Any]]:
        """Exact and near duplicates across the sites and the whole archive, marked; then
        both datasets are announced, with the rows this run's sites brought (from the run
        report's `process:<site>` sections)."""
        from archive.duplicates import dedupe as dedupe_runs
        from archive.reports import read_report

        safe = path_safe(run_id)
        reports = dedupe_runs(data_dir(), runs=[safe], parquet=parquet_location())
        sites = [section for name, section in read_report(data_dir(), safe).items()
                 if name.startswith("process:")]
        where = (parquet_location() or str(data_dir().parquet)).rstrip("/")
        for asset, entity in ((ARTICLES, "articles"), (COMMENTS, "comments")):
            outlet_events[asset].extra = {
                "run_id": safe, "location": f"{where}/{entity}",
                "rows_in": sum(s["counts"].get(f"{entity}/rows_in", 0) for s in sites),
            }
        return reports

    processed = one_site.expand(site=list_sites())
    processed >> dedupe() >> index_task()
    processed >> EmptyOperator(task_id="every_site_processed")


pressarchive_nightly()
