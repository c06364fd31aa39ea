"""`python -m crawler.main`: one crawl of one site, in its own process.

Twisted's reactor cannot be restarted inside a process, so the CLI and the Airflow task
both run each crawl through `crawler.runner.crawl`, which starts this module.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from archive.layout import DataDir
from crawler.rawzone import COMPLETE_REASONS
from crawler.runner import EXIT_UNREACHABLE
from crawler.siteconfig import SiteConfig
from crawler.spiders.site import START_FAILED_STAT, SiteSpider

UNREACHABLE = "unreachable"
CLEAN_STOP_MARKER = "clean-stop"


def build_settings(site: SiteConfig, data: DataDir, run_id: str, *, session: str,
                   progress: bool, overrides: dict[str, Any]) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict({
        "USER_AGENT": site.user_agent,
        "DOWNLOAD_DELAY": site.download_delay,
        "AUTOTHROTTLE_START_DELAY": max(site.download_delay, 0.1),
        "CONCURRENT_REQUESTS_PER_DOMAIN": site.concurrency,
        # One site per process: the engine then takes requests from the scheduler in
        # priority order instead of queueing them all in the site's download slot.
        "CONCURRENT_REQUESTS": site.concurrency,
        "CLOSESPIDER_PAGECOUNT": site.max_pages,
        "PRESSARCHIVE_MAX_PAGES": site.max_pages,
        "PRESSARCHIVE_DATA": str(data.root),
        "PRESSARCHIVE_RUN_ID": run_id,
        "PRESSARCHIVE_SITE_NAME": site.name,
        "PRESSARCHIVE_SESSION": session,
        "PRESSARCHIVE_PATTERN_CAP": site.pattern_cap,
        "PRESSARCHIVE_PRIVATE_HOSTS": sorted(site.start_hosts | set(site.private_hosts)),
        "PRESSARCHIVE_PROGRESS": progress,
        "JOBDIR": str(prepare_job_dir(data.job_dir(run_id, site.name))),
        "LOG_FILE": str(data.runs / f"{run_id}.{site.name.replace(':', '_')}.crawl.log"),
    }, priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    return settings


def prepare_job_dir(job_dir: Path) -> Path:
    """Reuse a job dir left by a clean stop; discard one left by a kill (it is not trusted).

    After a kill, what was already archived is known from the raw zone instead, so nothing
    is fetched twice into the run and nothing scheduled is lost. The job dir holds pickles
    that are loaded on resume: it is private to the user running the crawl.
    """
    if job_dir.exists() and not (job_dir / CLEAN_STOP_MARKER).exists():
        shutil.rmtree(job_dir)
    job_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    job_dir.chmod(0o700)
    (job_dir / CLEAN_STOP_MARKER).unlink(missing_ok=True)
    return job_dir


def run(site: SiteConfig, data: DataDir, run_id: str, *, progress: bool = False,
        overrides: dict[str, Any] | None = None) -> str:
    """Crawl one site into the run's raw zone; returns Scrapy's finish reason."""
    data.runs.mkdir(parents=True, exist_ok=True)
    session = f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    settings = build_settings(site, data, run_id, session=session, progress=progress,
                              overrides=overrides or {})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, site=site, run_id=run_id, data=str(data.root))
    process.start()
    reason = (crawler.stats.get_value("finish_reason") if crawler.stats else None) or "unknown"
    if crawler.stats and crawler.stats.get_value(START_FAILED_STAT, 0) >= len(site.start_urls):
        reason = UNREACHABLE
    job_dir = Path(settings["JOBDIR"])
    if reason in (*COMPLETE_REASONS, UNREACHABLE):
        shutil.rmtree(job_dir, ignore_errors=True)
    else:
        (job_dir / CLEAN_STOP_MARKER).write_text(reason)
    return reason


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.main")
    parser.add_argument("--data", required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--site-json", required=True, help="the SiteConfig as JSON")
    parser.add_argument("--settings-json", default="{}", help="extra Scrapy settings")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    site = SiteConfig.model_validate_json(args.site_json)
    reason = run(site, DataDir.at(args.data), args.run_id, progress=args.progress,
                 overrides=json.loads(args.settings_json))
    if reason == UNREACHABLE:
        return EXIT_UNREACHABLE
    return 0 if reason in COMPLETE_REASONS else 3


if __name__ == "__main__":
    sys.exit(main())
