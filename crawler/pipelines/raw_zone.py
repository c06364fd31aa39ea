"""Writes every item to the run's raw zone (the only storage the crawler touches)."""

from __future__ import annotations

from scrapy import Item
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector

from crawler.rawzone import RawItemWriter, site_run_dir


class RawZonePipeline:
    def __init__(self, writer: RawItemWriter, stats: StatsCollector) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RawZonePipeline:
        run_dir = site_run_dir(crawler.settings)
        if run_dir is None:
            raise NotConfigured("PRESSARCHIVE_DATA, _RUN_ID and _SITE_NAME are not set")
        writer = RawItemWriter(run_dir, crawler.settings["PRESSARCHIVE_SESSION"])
        return cls(writer, crawler.stats)

    def process_item(self, item: Item) -> Item:
        record = dict(item)
        self.writer.write(record)
        self.stats.inc_value(f"items/stored/{record.get('type', 'unknown')}")
        return item

    def close_spider(self) -> None:
        self.writer.close()
