"""A hard page budget: the site never sees more than `PRESSARCHIVE_MAX_PAGES` requests.

CLOSESPIDER_PAGECOUNT closes the spider after N responses, but the requests already handed
to the downloader (up to CONCURRENT_REQUESTS, waiting out the host's delay) are still sent,
so a budget of 6 pages fetched 8. This middleware, placed just before the download, lets
N requests through and refuses the rest (counted `budget/refused`). robots.txt fetches are
not pages and do not count; retries do.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class PageBudgetMiddleware:
    def __init__(self, stats: StatsCollector, budget: int) -> None:
        self.stats = stats
        self.budget = budget
        self.sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        budget = crawler.settings.getint("PRESSARCHIVE_MAX_PAGES")
        if budget <= 0:
            raise NotConfigured
        return cls(crawler.stats, budget)

    def process_request(self, request: Request) -> None:
        if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
            return
        if self.sent >= self.budget:
            self.stats.inc_value("budget/refused")
            if self.stats.get_value("budget/refused") == 1:
                logger.warning("page budget of %d requests spent", self.budget)
            raise IgnoreRequest(f"page budget spent: {request.url}")
        self.sent += 1
