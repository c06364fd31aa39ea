"""Live progress of a crawl on the terminal: pages, articles, comments, errors, queue.

On only when `PRESSARCHIVE_PROGRESS` is set (the CLI sets it when stderr is a terminal).
"""

from __future__ import annotations

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

REFRESH_SECONDS = 0.5


class ProgressExtension:
    def __init__(self, crawler: Crawler, site: str) -> None:
        self.crawler = crawler
        self.site = site
        self.live = Live(console=Console(stderr=True), auto_refresh=False, transient=False)
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

    def refresh(self) -> None:
        stats = self.crawler.stats.get_stats()
        errors = sum(v for k, v in stats.items()
                     if k.startswith(("downloader/exception_count", "spider_exceptions/",
                                      "retry/max_reached")) and isinstance(v, int))
        engine = self.crawler.engine
        queued = len(engine._slot.scheduler) if engine and engine._slot else 0
        line = Text.assemble(
            ("crawl ", "bold"), (self.site, "cyan"),
            f"  pages {stats.get('response_received_count', 0)}",
            f"  articles {stats.get('items/stored/article', 0)}",
            f"  comments {stats.get('items/stored/comment', 0)}",
            (f"  errors {errors}", "red" if errors else ""),
            f"  queued {queued}",
        )
        self.live.update(line, refresh=True)
