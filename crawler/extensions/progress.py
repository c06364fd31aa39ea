"""Live progress of a crawl on the terminal: pages, articles, comments, errors, queue.

On only when `PRESSARCHIVE_PROGRESS` is set (the CLI sets it when stderr is a terminal).
The line is built by `progress_line` from the crawl's stats, so it reads the same figures
as the run report.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.extensions.delay_floor import running_engine
from crawler.extensions.summary import summarise

REFRESH_SECONDS = 0.5


def progress_line(site: str, stats: dict[str, Any], queued: int) -> Text:
    """One status line: pages fetched, records stored, errors and requests waiting."""
    counts = summarise(stats)
    errors = counts["failed"] + sum(
        v for k, v in stats.items() if k.startswith("spider_exceptions/") and isinstance(v, int))
    refused = (counts["refused_off_domain"] + counts["refused_private_address"]
               + counts["refused_scheme"] + counts["skipped_robots"] + counts["trap_capped"])
    return Text.assemble(
        ("crawl ", "bold"), (site, "cyan"),
        f"  pages {counts['fetched']}",
        f"  articles {counts['articles']}",
        f"  comments {counts['comments']}",
        f"  retried {counts['retried']}",
        f"  refused {refused}",
        (f"  errors {errors}", "red" if errors else ""),
        f"  queued {queued}",
    )


class ProgressExtension:
    def __init__(self, crawler: Crawler, site: str, console: Console | None = None) -> None:
        self.crawler = crawler
        self.site = site
        self.live = Live(console=console or Console(stderr=True), auto_refresh=False,
                         transient=False)
        self.loop = task.LoopingCall(self.refresh)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        if not crawler.settings.getbool("PRESSARCHIVE_PROGRESS"):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.get("PRESSARCHIVE_SITE_NAME") or "")
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.live.start()
        self.loop.start(REFRESH_SECONDS)

    def spider_closed(self, spider: Spider) -> None:
        if self.loop.running:
            self.loop.stop()
        self.refresh()
        self.live.stop()

    def queued(self) -> int:
        """Requests waiting in the scheduler (0 before the engine has a slot)."""
        slot = getattr(running_engine(self.crawler), "_slot", None)
        scheduler = getattr(slot, "scheduler", None)
        return len(scheduler) if scheduler is not None else 0

    def refresh(self) -> None:
        line = progress_line(self.site, self.crawler.stats.get_stats(), self.queued())
        self.live.update(line, refresh=True)
