"""The crawl's section of the run report: counts by outcome and durations, from the stats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.layout import DataDir
from archive.reports import update_report
from crawler.rawzone import SUCCESS_MARKER, site_run_dir

# Report name -> the Scrapy stats that add up to it (prefixes end with "/").
OUTCOMES: dict[str, tuple[str, ...]] = {
    "fetched": ("response_received_count",),
    "skipped_robots": ("robotstxt/forbidden",),
    "refused_off_domain": ("refused/off_domain", "offsite/filtered"),
    "refused_private_address": ("refused/private_address",),
    "refused_scheme": ("refused/scheme",),
    "trap_capped": ("trap/pattern_capped", "trap/repeated_segments"),
    "retried": ("retry/count",),
    "retry_after_honoured": ("retry/retry_after_honoured",),
    "failed": ("retry/max_reached", "spider/failed_requests"),
    "http_errors": ("httperror/response_ignored_count",),
    "skipped_unchanged": ("incremental/",),
    "too_large": ("downloader/response_bytes_max_exceeded",),
    "articles": ("items/stored/article",),
    "comments": ("items/stored/comment",),
    "duplicates_dropped": ("items/duplicate/",),
    "dates_unparsed": ("dates/unparsed",),
}


def summarise(stats: dict[str, Any]) -> dict[str, int]:
    counts = {}
    for name, keys in OUTCOMES.items():
        total = 0
        for key in keys:
            if key.endswith("/"):
                total += sum(v for k, v in stats.items()
                             if k.startswith(key) and isinstance(v, int | float))
            else:
                total += int(stats.get(key, 0) or 0)
        counts[name] = int(total)
    return counts


class RunSummaryExtension:
    def __init__(
        self, crawler: Crawler, data: DataDir, run_id: str, site: str, run_dir: Path
    ) -> None:
        self.crawler = crawler
        self.data = data
        self.run_id = run_id
        self.site = site
        self.run_dir = run_dir

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummaryExtension:
        settings = crawler.settings
        run_dir = site_run_dir(settings)
        if run_dir is None:
            raise NotConfigured
        extension = cls(crawler, DataDir.at(settings["PRESSARCHIVE_DATA"]),
                        settings["PRESSARCHIVE_RUN_ID"], settings["PRESSARCHIVE_SITE_NAME"],
                        run_dir)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        started = stats.get("start_time")
        finished = datetime.now(UTC)
        detail = {k: v for k, v in stats.items() if isinstance(v, int | float)}
        figures = {
            "site": self.site,
            "finish_reason": reason,
            "started_at": started.isoformat() if started else None,
            "finished_at": finished.isoformat(),
            "seconds": round((finished - started).total_seconds(), 3) if started else None,
            "counts": summarise(stats),
            "stats": detail,
        }
        update_report(self.data, self.run_id, f"crawl:{self.site}", figures)
        if reason == "finished":
            (self.run_dir / SUCCESS_MARKER).write_text(finished.isoformat())
