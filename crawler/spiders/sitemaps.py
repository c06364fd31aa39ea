"""Discovery through sitemaps (robots.txt `Sitemap:` lines, indexes, news sitemaps) and
RSS/Atom feeds: every URL they list becomes a candidate of the spider."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.discovery import MAX_SITEMAP_DEPTH, feed_urls, sitemap_entries

FALLBACK_SITEMAPS = ("/wp-sitemap.xml", "/sitemap.xml")


class SitemapsAndFeeds:
    """Spider callbacks for sitemaps and feeds (mixed into `SiteSpider`)."""

    def _sitemaps_of(self, response: Response) -> Iterator[Request]:
        """The sitemaps the robots.txt lists (read by the robots middleware), else the
        robots.txt itself, else the usual WordPress places."""
        listed = self.book.robots_sitemaps.get(urlsplit(response.url).netloc)
        if listed is None:
            yield Request(urljoin(response.url, "/robots.txt"), callback=self.parse_robots,
                          errback=self.robots_failed, priority=self.priority["sitemap"],
                          meta={"trap_exempt": True, "dont_obey_robotstxt": True})
            return
        yield from self._sitemap_requests(response.url, listed)

    def _sitemap_requests(self, base: str, urls: list[str]) -> Iterator[Request]:
        for url in urls or [urljoin(base, path) for path in FALLBACK_SITEMAPS]:
            yield Request(url, callback=self.parse_sitemap, errback=self.request_failed,
                          priority=self.priority["sitemap"],
                          meta={"trap_exempt": True, "sitemap_depth": 0})

    def parse_robots(self, response: Response) -> Iterator[Request]:
        urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        yield from self._sitemap_requests(response.url, urls)

    def robots_failed(self, failure: Failure) -> Iterator[Request]:
        yield from self._sitemap_requests(failure.request.url, [])  # type: ignore[attr-defined]

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        depth = response.meta.get("sitemap_depth", 0)
        kind, entries = sitemap_entries(response, self.crawler.stats)
        for loc, lastmod in entries:
            if kind == "sitemapindex":
                if depth < MAX_SITEMAP_DEPTH:
                    yield Request(loc, callback=self.parse_sitemap, errback=self.request_failed,
                                  priority=self.priority["sitemap"],
                                  meta={"trap_exempt": True, "sitemap_depth": depth + 1})
                else:
                    self.crawler.stats.inc_value("sitemap/too_deep")
            else:
                yield from self._candidate(loc, "sitemap", lastmod=lastmod)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        for url in feed_urls(response):
            yield from self._candidate(url, "feed")
