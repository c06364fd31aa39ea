"""Writes every item to the run's raw zone (the only storage the crawler touches): records
to `items-*.jsonl`, the crawl's progress (`page` records) to `pages-*.jsonl`. Items pass in
the order the spider yields them, so a page's record follows its comments."""

from __future__ import annotations

from scrapy import Item
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.rawzone import RawItemWriter, site_run_dir


class RawZonePipeline:
    def __init__(self, writer: RawItemWriter, stats: StatsCollector,
                 progress: RawItemWriter | None = None) -> None:
        self.writer = writer
        self.progress = progress or writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawZonePipeline:
        run_dir = site_run_dir(crawler.settings)
        if run_dir is None:
            raise NotConfigured("PRESSARCHIVE_DATA, _RUN_ID and _SITE_NAME are not set")
        session = crawler.settings["PRESSARCHIVE_SESSION"]
        return cls(RawItemWriter(run_dir, session), crawler.stats,
                   RawItemWriter(run_dir, session, "pages"))

    def process_item(self, item: Item) -> Item:
        record = dict(item)
        (self.progress if record.get("type") == "page" else self.writer).write(record)
        self.stats.inc_value(f"items/stored/{record.get('type', 'unknown')}")
        return item

    def close_spider(self) -> None:
        self.writer.close()
        if self.progress is not self.writer:
            self.progress.close()
