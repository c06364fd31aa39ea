"""Tells the site's crawl state (`crawler.state`) about every article read completely.

It runs after the raw zone pipeline, on "done" records only, so the state never claims
an article that the raw zone does not hold in full: after a kill between the two, the
article is simply fetched again.
"""

from __future__ import annotations

from scrapy import Item
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.layout import DataDir
from crawler.extraction.urls import DEFAULT_RULES, url_key
from crawler.state import CrawlState


class CrawlStatePipeline:
    def __init__(self, state: CrawlState, crawler: Crawler | None = None) -> None:
        self.state = state
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlStatePipeline:
        settings = crawler.settings
        data, site = settings.get("PRESSARCHIVE_DATA"), settings.get("PRESSARCHIVE_SITE_NAME")
        if not (data and site):
            raise NotConfigured("PRESSARCHIVE_DATA and _SITE_NAME are not set")
        return cls(CrawlState(DataDir.at(data).crawl_state(site)), crawler)

    def process_item(self, item: Item) -> Item:
        if item.get("type") == "done":
            spider = self.crawler.spider if self.crawler else None
            rules = getattr(spider, "query_rules", DEFAULT_RULES)
            self.state.record(url_key(item["url"], rules), item["url"], item.get("published_at"),
                              item["fetched_at"], item.get("etag"), item.get("last_modified"),
                              item.get("comment_pages"))
        return item

    def close_spider(self) -> None:
        self.state.close()
