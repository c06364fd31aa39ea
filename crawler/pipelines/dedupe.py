"""One item per record per run: an article once per canonical URL, a comment once per id.

The first discovery path that delivers an article owns it for the run; comments for that
article from another path are dropped (their ids may differ: the REST API names comments
by id, a print view only by author and time). Items already in the raw zone from an
earlier session of the same run (a resumed crawl) count as seen.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Item
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler.rawzone import read_items, site_run_dir


class DedupePipeline:
    def __init__(self, stats: StatsCollector, run_dir: Path | None) -> None:
        self.stats = stats
        self.seen: set[tuple[str, str]] = set()
        self.owner: dict[str, str] = {}
        if run_dir is not None and run_dir.exists():
            for record in read_items(run_dir):
                self._remember(record)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats, site_run_dir(crawler.settings))

    def _key(self, record: dict) -> tuple[str, str]:
        kind = record.get("type", "")
        return kind, record.get("comment_id") or record.get("article_id") or ""

    def _remember(self, record: dict) -> None:
        self.seen.add(self._key(record))
        if record.get("type") == "article":
            self.owner.setdefault(record["article_id"], record.get("via", ""))

    def process_item(self, item: Item) -> Item:
        record = dict(item)
        if record.get("type") == "page":
            return item  # progress, not a record
        key = self._key(record)
        if key in self.seen:
            self.stats.inc_value(f"items/duplicate/{key[0]}")
            raise DropItem(f"duplicate {key[0]} {key[1]}")
        if record.get("type") == "comment":
            owner = self.owner.get(record["article_id"])
            if owner is not None and owner != record.get("via"):
                self.stats.inc_value("items/duplicate/comment_other_path")
                raise DropItem(f"comment {key[1]} of an article read through {owner}")
        self._remember(record)
        return item
