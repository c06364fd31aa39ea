"""The one spider: discovers a site's articles and fetches them with their comments.

It only navigates. Discovery paths (WordPress REST API, sitemaps, feeds, links) feed the
same fetch logic, extraction is `crawler.extraction`, storage is the item pipelines.
Whichever path finds an article first owns it for the run; while a host's REST listing
is under way, articles found in its HTML are held back, since the API's records win.

Resuming a run: after a clean stop, Scrapy's JOBDIR brings back the request queue and the
seen-request set, and `spider.state` (pickled there by Scrapy's SpiderState extension)
brings back the spider's own bookkeeping in `Book`; work that was outstanding when the
crawl stopped (comment pages, a REST listing) is requested again, since a request may have
been marked seen without being answered. After a kill the JOBDIR is not trusted: the raw
zone is (`crawler.spiders.resume`): articles marked done are skipped, and those stored
but not done get exactly their pages not yet read (`crawler.spiders.comment_pages`). The
site's timezone is decided once, before any page is read (`crawler.spiders.timezone_gate`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.layout import DataDir
from crawler.discovery import (
    api_root,
    feed_links,
    followable_links,
)
from crawler.extraction import ExtractedPage, PageContext, extract_page
from crawler.extraction.dates import learnt_order
from crawler.extraction.urls import QueryRules, article_id, clean_url, url_key
from crawler.items import ArticleItem, CommentItem
from crawler.middlewares.traps import ARTICLE_FOUND
from crawler.rawzone import site_run_dir
from crawler.siteconfig import SiteConfig
from crawler.spiders.bookkeeping import Book, Fetched, fetch_of, fetched_at, header
from crawler.spiders.comment_apis import CommentApis
from crawler.spiders.comment_pages import CommentPages
from crawler.spiders.post_parts import PostParts
from crawler.spiders.resume import Earlier, read_earlier
from crawler.spiders.sitemaps import SitemapsAndFeeds
from crawler.spiders.timezone_gate import GATE, TimezoneGate, gated
from crawler.spiders.wordpress_api import WordPressApi
from crawler.state import CrawlState, Decision

MAX_COMMENT_PAGES = 500
# Scrapy cancels a download only when it passes DOWNLOAD_MAXSIZE (or at a forced shutdown,
# when counts no longer matter); a body that grows past it while being decompressed is
# ignored with this in the message.
TOO_LARGE_MARKER = "exceeded DOWNLOAD_MAXSIZE"
# How Scrapy's RedirectMiddleware gives up on a loop or a chain longer than REDIRECT_MAX_TIMES.
REDIRECT_LOOP_MARKER = "max redirections reached"


START_FAILED_STAT = "start_pages/failed"

class SiteSpider(TimezoneGate, CommentPages, CommentApis, WordPressApi, SitemapsAndFeeds,
                 PostParts, scrapy.Spider):
    name = "site"

    def __init__(self, site: SiteConfig, run_id: str, data: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.run_id = run_id
        self.data = DataDir.at(data)
        self.allowed_domains = list(site.allowed_domains)
        self.book = Book()
        self.earlier = Earlier()
        self.max_comment_pages = MAX_COMMENT_PAGES
        self.priority = {name: (len(site.discovery) - i) * 10
                         for i, name in enumerate(site.discovery)}
        self.crawl_state = CrawlState(self.data.crawl_state(site.name))
        self.book.date_order = self.crawl_state.fact("date_order")
        self._open_gate()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_comment_pages = crawler.settings.getint(
            "PRESSARCHIVE_MAX_COMMENT_PAGES", MAX_COMMENT_PAGES)
        run_dir = site_run_dir(crawler.settings)
        if run_dir is not None:
            spider.earlier = read_earlier(run_dir)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    @property
    def timezone(self) -> str | None:
        return self.book.timezone

    @property
    def date_order(self) -> str | None:
        """Day/month order of numeric dates: the site file's, else the one learnt on the
        site (in an earlier run or in this one), frozen once learnt."""
        return self.site.date_order or self.book.date_order

    def _keep_date_order(self) -> None:
        if self.date_order is None:
            learnt = learnt_order(self.book.formats)
            if learnt:
                self.book.date_order = self.crawl_state.learn("date_order", learnt)

    @property
    def query_rules(self) -> QueryRules:
        """Which query parameters name content on this site (its site file's rules)."""
        return self.site.query_rules

    # --- start and resume --------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """Outstanding work of a resumed run first, then the start pages (they tell whether
        the site has an API to prefer)."""
        outstanding = list(self._resume())
        for item_or_request in outstanding:
            yield item_or_request
        for url in self.site.start_urls:
            self.book.requested.add(url_key(url, self.site.query_rules))
            meta = {"hops": 0, "trap_exempt": True, "start": True}
            yield Request(url, callback=self.parse_page, errback=self.request_failed,
                          dont_filter=True, meta=self._gate_meta(meta, url))

    def _resume(self) -> Iterator[Any]:
        state = getattr(self, "state", None)
        if state is None:
            state = self.state = {}
        saved = state.get("book")
        if isinstance(saved, Book):
            self.book = saved
            self.crawler.stats.set_value("resume/from_jobdir", 1)
        state["book"] = self.book
        self._zone_known_at_start(self.earlier.timezone)  # a run keeps its zone
        for aid in self.earlier.done:
            self.book.claimed.setdefault(aid, "earlier session")
        if not isinstance(saved, Book):
            yield from self._resume_unfinished()
            return
        for host in sorted(self.book.api_pending):
            yield self._api_root_request(self.book.api_roots[host], host, dont_filter=True)
        for aid, pages in list(self.book.pending.items()):
            for url, how in pages.items():
                yield self._comment_request(aid, url, how)
        yield from self._parts_outstanding()

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Keep the Sitemap: lines of the robots.txt the robots middleware fetched."""
        sitemaps = getattr(getattr(robotparser, "rp", None), "sitemaps", None)
        if sitemaps is not None:
            self.book.robots_sitemaps[urlsplit(request.url).netloc] = list(sitemaps)

    def closed(self, reason: str) -> None:
        self.crawl_state.close()

    # --- HTML pages ------------------------------------------------------------------

    @gated
    def parse_page(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self.crawler.stats.inc_value("incremental/not_modified")
            yield from self._read_known_pages(response)
            return
        if not isinstance(response, TextResponse):
            return
        yield from self._discover_from_page(response)
        page = self._extract(response)
        hops = response.meta.get("hops", 0)
        if page.post_part > 1 and page.article.is_article:
            yield from self._later_part(page, response.url, hops)
        elif page.article.is_article and page.article.text:
            self.crawler.signals.send_catch_log(signal=ARTICLE_FOUND, request=response.request)
            host = urlsplit(response.url).netloc
            if host in self.book.api_pending:
                self.book.held[page.article.article_id] = (page, fetch_of(response))
            else:
                yield from self._article(page, fetch_of(response), via="html")
        else:
            reason = page.kind.reason if not page.kind.is_article else "no_text"
            self.crawler.stats.inc_value(f"pages/not_article/{reason}")
        if "links" not in self.site.discovery or hops >= self.site.max_depth:
            return
        for url in followable_links(response, self.site):
            yield from self._candidate(url, "links", hops=hops + 1)

    def request_failed(self, failure: Failure) -> Iterator[Any]:
        meta = failure.request.meta  # type: ignore[attr-defined]
        if meta.get("start"):
            self.crawler.stats.inc_value(START_FAILED_STAT)
        self._count_failure(failure)
        yield from self._gate_answered(meta.get(GATE))

    def _count_failure(self, failure: Failure) -> None:
        """Downloads that failed for good (after retries) or were too large, by exception;
        HTTP error statuses as Scrapy's HttpErrorMiddleware counts them (an errback takes
        them from it); refusals are counted by the middleware that refused."""
        stats = self.crawler.stats
        if failure.check(DownloadCancelledError) or TOO_LARGE_MARKER in str(failure.value):
            stats.inc_value(f"too_large/{failure.type.__name__}")
        elif failure.check(HttpError):
            response = failure.value.response
            location = header(response, "Location") or ""
            if 300 <= response.status < 400 and location and urlsplit(
                    response.urljoin(location)).scheme.lower() not in ("http", "https"):
                self.logger.info("refused %s: scheme (redirect from %s)", location, response.url)
                stats.inc_value("refused/scheme")
                return
            stats.inc_value("httperror/response_ignored_count")
            stats.inc_value(f"httperror/response_ignored_status_count/{response.status}")
        elif failure.check(IgnoreRequest) and REDIRECT_LOOP_MARKER in str(failure.value):
            stats.inc_value("trap/redirects_exhausted")
        elif not failure.check(IgnoreRequest):
            stats.inc_value(f"failed/{failure.type.__name__}")

    def _extract(self, response: TextResponse) -> ExtractedPage:
        context = PageContext(
            fetched_at=fetched_at(response),
            timezone=self.timezone,
            timezone_flag=self.zone_flag,
            languages=(self.site.language,),
            date_order=self.date_order,
            overrides=self.site.overrides(),
            formats=self.book.formats,
            query_rules=self.site.query_rules,
        )
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
        page = extract_page(response.body, response.url, context, content_type=content_type)
        self._keep_date_order()
        for warning in page.warnings:
            self.crawler.stats.inc_value(f"extraction/warning/{warning}")
        return page

    def _article(self, page: ExtractedPage, fetched: Fetched, via: str) -> Iterator[Any]:
        article = page.article
        if article.article_id in self.book.claimed:
            self.crawler.stats.inc_value("items/duplicate/article_found_again")
            return
        self.book.claimed[article.article_id] = via
        if page.post_parts:
            yield from self._hold_for_parts(page, fetched, via)
        else:
            yield from self._store_article(page, fetched, via)

    def _store_article(self, page: ExtractedPage, fetched: Fetched, via: str,
                       complete: bool = True) -> Iterator[Any]:
        """The article, its page's comments and the requests for its other comment pages;
        not `done` when it is not `complete` (a part of the post could not be read)."""
        article = page.article
        yield ArticleItem(type="article", **article.to_dict(), **self._context(fetched, via))
        if article.published.raw and article.published.value is None:
            self.crawler.stats.inc_value("dates/unparsed")
        aid = article.article_id
        self._start_pages(aid, fetched.url.split("#")[0], {
            "url": article.url, "published_at": article.published.iso,
            "fetched_at": fetched.fetched_at, "etag": fetched.etag,
            "last_modified": fetched.last_modified,
            **({} if complete else {"incomplete": True}),
        })
        for comment in self._page_comments(aid, page, fetched):
            yield self._comment_item(aid, comment.to_dict(), fetched, via)
        linked = [*self._link_pages(aid, page.comment_pages),
                  *self._embed_pages(aid, page, fetched)]
        yield self._page_read(aid, fetched.url.split("#")[0], linked, fetched)
        yield from self._requests(aid, linked)
        yield from self._page_finished(aid, None)

    def _comment_item(self, aid: str, comment: dict[str, Any], fetched: Fetched, via: str,
                      fallback_url: str | None = None) -> CommentItem:
        if comment.get("published_raw") and comment.get("published_at") is None:
            self.crawler.stats.inc_value("dates/unparsed")
        article_url = self.book.fetch_info.get(aid, {}).get("url", fallback_url)
        return CommentItem(type="comment", article_id=aid, article_url=article_url,
                           **comment, **self._context(fetched, via))

    def _context(self, fetched: Fetched, via: str) -> dict[str, Any]:
        return {"fetch_url": fetched.url, "fetched_at": fetched.fetched_at,
                "crawl_run_id": self.run_id, "via": via, "timezone": self.timezone,
                "timezone_source": self.book.timezone_source}

    # --- candidates: every discovery path ends here -----------------------------------

    def _candidate(self, url: str, path: str, *, hops: int = 1,
                   lastmod: datetime | None = None, gate: bool = False) -> Iterator[Request]:
        rules = self.site.query_rules
        url = clean_url(url, rules)
        key = url_key(url, rules)
        if article_id(url, rules) in self.book.claimed or key in self.book.requested:
            return
        decision = self._decide(key, lastmod)
        if decision is None:
            return
        self.book.requested.add(key)
        meta = {"hops": hops, "handle_httpstatus_list": [304], "found_by": path}
        known = decision.known
        if known is not None and known.comment_pages:
            meta.update(known_url=known.url, known_pages=list(known.comment_pages),
                        known_published=known.published_at.isoformat().replace("+00:00", "Z")
                        if known.published_at else None)
        yield Request(url, callback=self.parse_page, errback=self.request_failed,
                      headers=decision.headers, priority=self.priority.get(path, 0),
                      meta=self._gate_meta(meta, url) if gate else meta)

    def _decide(self, key: str, lastmod: datetime | None) -> Decision | None:
        """Whether to fetch a page again (`crawler.state`); None when it is left alone,
        which is counted once per run however many paths lead to it."""
        if key in self.book.skipped and lastmod is None:
            return None
        decision = self.crawl_state.decide(key, self.book.started,
                                           timedelta(days=self.site.recrawl_days), lastmod)
        if decision.fetch:
            return decision
        if key not in self.book.skipped:
            self.crawler.stats.inc_value(f"incremental/{decision.reason}")
            self.book.skipped.add(key)
        return None

    def _discover_from_page(self, response: TextResponse) -> Iterator[Request]:
        book = self.book
        host = urlsplit(response.url).netloc
        if response.meta.get("start") and "sitemap" in self.site.discovery:
            yield from self._sitemaps_of(response)
        if "rest" in self.site.discovery and host not in book.api_roots:
            root = api_root(response) or self._answered_index(response)
            if root:
                book.api_roots[host] = root
                book.api_pending.add(host)
                yield from self._api_index(root, host)
        if "feed" in self.site.discovery and host not in book.feed_hosts:
            book.feed_hosts.add(host)
            for url in feed_links(response):
                yield Request(url, callback=self.parse_feed, errback=self.request_failed,
                              priority=self.priority["feed"], meta={"trap_exempt": True})
