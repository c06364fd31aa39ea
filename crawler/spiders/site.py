"""The one spider: discovers a site's articles and fetches them with their comments.

It only navigates. Discovery paths (WordPress REST API, sitemaps, feeds, links) feed the
same fetch logic, extraction is `crawler.extraction`, storage is the item pipelines.
Whichever path finds an article first owns it for the run.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from archive.layout import DataDir
from crawler.discovery import (
    MAX_SITEMAP_DEPTH,
    api_root,
    feed_links,
    feed_urls,
    followable_links,
    sitemap_entries,
)
from crawler.extraction import ExtractedPage, PageContext, extract_page
from crawler.extraction.dates import DateResolver
from crawler.extraction.urls import article_id, clean_url, url_key
from crawler.extraction.wordpress_api import article_from_post, comments_from_api
from crawler.items import ArticleDoneItem, ArticleItem, CommentItem
from crawler.rawzone import read_items, site_run_dir
from crawler.siteconfig import SiteConfig
from crawler.state import CrawlState

REST_PAGE_SIZE = 100


class SiteSpider(scrapy.Spider):
    name = "site"

    def __init__(self, site: SiteConfig, run_id: str, data: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.run_id = run_id
        self.data = DataDir.at(data)
        self.allowed_domains = list(site.allowed_domains)
        self.timezone = site.timezone
        self.started = datetime.now(UTC)
        self.formats: list[str] = []
        self.claimed: dict[str, str] = {}
        self.pending: dict[str, set[str]] = {}
        self.visited_pages: dict[str, set[str]] = {}
        self.fetch_info: dict[str, dict[str, Any]] = {}
        self.done: set[str] = set()
        self.api_hosts: set[str] = set()
        self.api_pending: set[str] = set()
        self.held: dict[str, tuple[ExtractedPage, Response]] = {}
        self.feed_hosts: set[str] = set()
        self.priority = {name: (len(site.discovery) - i) * 10
                         for i, name in enumerate(site.discovery)}
        self.crawl_state = CrawlState(self.data.crawl_state(site.name))

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        run_dir = site_run_dir(crawler.settings)
        if run_dir is not None and run_dir.exists():
            spider.done = {r["article_id"] for r in read_items(run_dir) if r.get("type") == "done"}
            spider.claimed.update({aid: "earlier session" for aid in spider.done})
        return spider

    # --- start -----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """The start pages first: they tell whether the site has an API to prefer."""
        for url in self.site.start_urls:
            yield Request(url, callback=self.parse_page, dont_filter=True,
                          meta={"hops": 0, "trap_exempt": True, "start": True})

    def closed(self, reason: str) -> None:
        self.crawl_state.close()

    # --- HTML pages ------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        if response.status == 304:
            self.crawler.stats.inc_value("incremental/not_modified")
            return
        if not isinstance(response, TextResponse):
            return
        yield from self._discover_from_page(response)
        page = self._extract(response)
        if page.article.is_article and page.article.text:
            if urlsplit(response.url).netloc in self.api_pending:
                self.held[page.article.article_id] = (page, response)
            else:
                yield from self._article(page, response, via="html")
        hops = response.meta.get("hops", 0)
        if hops >= self.site.max_depth:
            return
        for url in followable_links(response, self.site):
            yield from self._candidate(url, "links", hops=hops + 1)

    def parse_comment_page(self, response: Response) -> Iterator[Any]:
        aid = response.meta["article_id"]
        if isinstance(response, TextResponse):
            page = self._extract(response)
            yield from self._comment_items(page, response, aid, "html")
            yield from self._more_comment_pages(aid, page.comment_pages)
        yield from self._page_finished(aid, response.meta["comment_page"])

    def comment_page_failed(self, failure: Failure) -> Iterator[Any]:
        aid = failure.request.meta["article_id"]
        self.crawler.stats.inc_value("comments/page_failed")
        self.pending.get(aid, set()).discard(failure.request.meta["comment_page"])
        self.fetch_info.get(aid, {})["incomplete"] = True
        yield from ()

    def _extract(self, response: TextResponse) -> ExtractedPage:
        context = PageContext(
            fetched_at=_fetched_at(response),
            timezone=self.timezone,
            languages=(self.site.language,),
            date_order=self.site.date_order,
            overrides=self.site.selectors.to_overrides(),
            formats=self.formats,
        )
        page = extract_page(response.text, response.url, context)
        if self.timezone is None and page.timezone:
            self.timezone = page.timezone
            self.logger.info("timezone of %s inferred from its dates: %s",
                             self.site.name, page.timezone)
        for warning in page.warnings:
            self.crawler.stats.inc_value(f"extraction/warning/{warning}")
        return page

    def _article(self, page: ExtractedPage, response: Response, via: str) -> Iterator[Any]:
        article = page.article
        if article.article_id in self.claimed:
            self.crawler.stats.inc_value("items/duplicate/article_found_again")
            return
        self.claimed[article.article_id] = via
        fetched = _fetched_at(response).isoformat()
        yield ArticleItem(type="article", **article.to_dict(), **self._fetch(response, via))
        if article.published.raw and article.published.value is None:
            self.crawler.stats.inc_value("dates/unparsed")
        self.fetch_info[article.article_id] = {
            "url": article.url, "published_at": article.published.iso, "fetched_at": fetched,
            "etag": _header(response, "ETag"), "last_modified": _header(response, "Last-Modified"),
        }
        self.pending[article.article_id] = set()
        self.visited_pages[article.article_id] = {response.url.split("#")[0]}
        yield from self._comment_items(page, response, article.article_id, via)
        yield from self._more_comment_pages(article.article_id, page.comment_pages)
        yield from self._page_finished(article.article_id, None)

    def _comment_items(self, page: ExtractedPage, response: Response, aid: str,
                       via: str) -> Iterator[CommentItem]:
        article_url = self.fetch_info.get(aid, {}).get("url", page.article.url)
        for comment in page.comments:
            if comment.published.raw and comment.published.value is None:
                self.crawler.stats.inc_value("dates/unparsed")
            yield CommentItem(type="comment", article_id=aid, article_url=article_url,
                              **comment.to_dict(), **self._fetch(response, via))

    def _more_comment_pages(self, aid: str, pages: list[str]) -> Iterator[Request]:
        visited = self.visited_pages.setdefault(aid, set())
        for url in pages:
            if url in visited:
                continue
            visited.add(url)
            self.pending.setdefault(aid, set()).add(url)
            yield Request(url, callback=self.parse_comment_page, errback=self.comment_page_failed,
                          priority=self.priority.get("links", 0) + 5,
                          meta={"article_id": aid, "comment_page": url, "trap_exempt": True})

    def _page_finished(self, aid: str, page: str | None) -> Iterator[Any]:
        pending = self.pending.get(aid)
        if pending is None:
            return
        if page is not None:
            pending.discard(page)
        if pending:
            return
        del self.pending[aid]
        info = self.fetch_info.get(aid, {})
        if info.get("incomplete"):
            return
        self.crawl_state.record(url_key(info["url"]), info["url"], info.get("published_at"),
                          info["fetched_at"], info.get("etag"), info.get("last_modified"))
        yield ArticleDoneItem(type="done", article_id=aid, url=info["url"],
                              crawl_run_id=self.run_id)

    def _fetch(self, response: Response, via: str) -> dict[str, Any]:
        return {"fetch_url": response.url, "fetched_at": _fetched_at(response).isoformat(),
                "crawl_run_id": self.run_id, "via": via, "timezone": self.timezone}

    # --- candidates: every discovery path ends here -----------------------------------

    def _candidate(self, url: str, path: str, *, hops: int = 1,
                   lastmod: datetime | None = None) -> Iterator[Request]:
        url = clean_url(url, frozenset(self.site.query_allowlist)
                        if self.site.query_allowlist is not None else None)
        if article_id(url) in self.claimed:
            return
        decision = self.crawl_state.decide(url_key(url), self.started,
                                     timedelta(days=self.site.recrawl_days), lastmod)
        if not decision.fetch:
            self.crawler.stats.inc_value(f"incremental/{decision.reason}")
            return
        yield Request(url, callback=self.parse_page, headers=decision.headers,
                      priority=self.priority.get(path, 0),
                      meta={"hops": hops, "handle_httpstatus_list": [304], "found_by": path})

    def _discover_from_page(self, response: TextResponse) -> Iterator[Request]:
        host = urlsplit(response.url).netloc
        if response.meta.get("start") and "sitemap" in self.site.discovery:
            yield Request(urljoin(response.url, "/robots.txt"), callback=self.parse_robots,
                          priority=self.priority["sitemap"], meta={"trap_exempt": True})
        if "rest" in self.site.discovery and host not in self.api_hosts:
            root = api_root(response)
            if root:
                self.api_hosts.add(host)
                self.api_pending.add(host)
                yield Request(root, callback=self.parse_api_root, errback=self.api_failed,
                              priority=self.priority["rest"], meta={"trap_exempt": True})
        if "feed" in self.site.discovery and host not in self.feed_hosts:
            self.feed_hosts.add(host)
            for url in feed_links(response):
                yield Request(url, callback=self.parse_feed, priority=self.priority["feed"],
                              meta={"trap_exempt": True})

    # --- sitemaps and feeds ----------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        urls = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not urls:
            urls = [urljoin(response.url, "/wp-sitemap.xml"), urljoin(response.url, "/sitemap.xml")]
        for url in urls:
            yield Request(url, callback=self.parse_sitemap, priority=self.priority["sitemap"],
                          meta={"trap_exempt": True, "sitemap_depth": 0})

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        depth = response.meta.get("sitemap_depth", 0)
        kind, entries = sitemap_entries(response, self.crawler.stats)
        for loc, lastmod in entries:
            if kind == "sitemapindex":
                if depth < MAX_SITEMAP_DEPTH:
                    yield Request(loc, callback=self.parse_sitemap,
                                  priority=self.priority["sitemap"],
                                  meta={"trap_exempt": True, "sitemap_depth": depth + 1})
            else:
                yield from self._candidate(loc, "sitemap", lastmod=lastmod)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        for url in feed_urls(response):
            yield from self._candidate(url, "feed")

    # --- WordPress REST API ----------------------------------------------------------

    def parse_api_root(self, response: Response) -> Iterator[Any]:
        info = _json(response)
        if not isinstance(info, dict) or "wp/v2" not in info.get("namespaces", []):
            yield from self._api_finished(response.url)
            return
        if self.timezone is None and info.get("timezone_string"):
            self.timezone = info["timezone_string"]
        yield self._api_posts_request(response.url, 1)

    def api_failed(self, failure: Failure) -> Iterator[Any]:
        self.crawler.stats.inc_value("rest/failed")
        yield from self._api_finished(failure.request.url)

    def _api_finished(self, url: str) -> Iterator[Any]:
        """The API listed what it has: articles held back from pages now go out, unless the
        API delivered them (the API's records win)."""
        self.api_pending.discard(urlsplit(url).netloc)
        for aid, (page, response) in list(self.held.items()):
            del self.held[aid]
            yield from self._article(page, response, via="html")

    def _api_posts_request(self, root: str, page: int) -> Request:
        url = urljoin(root, f"wp/v2/posts?per_page={REST_PAGE_SIZE}&page={page}&_embed=1")
        return Request(url, callback=self.parse_api_posts, errback=self.api_failed,
                       priority=self.priority["rest"],
                       meta={"trap_exempt": True, "api_root": root, "api_page": page})

    def parse_api_posts(self, response: Response) -> Iterator[Any]:
        posts = _json(response)
        for post in posts if isinstance(posts, list) else []:
            yield from self._api_post(post, response)
        page = response.meta["api_page"]
        if isinstance(posts, list) and page < _total_pages(response):
            yield self._api_posts_request(response.meta["api_root"], page + 1)
        else:
            yield from self._api_finished(response.url)

    def _api_post(self, post: dict[str, Any], response: Response) -> Iterator[Any]:
        if not isinstance(post, dict) or not post.get("link"):
            return
        url = clean_url(post["link"])
        if article_id(url) in self.claimed:
            return
        lastmod = _utc(post.get("modified_gmt"))
        decision = self.crawl_state.decide(url_key(url), self.started,
                                     timedelta(days=self.site.recrawl_days), lastmod)
        if not decision.fetch:
            self.crawler.stats.inc_value(f"incremental/{decision.reason}")
            return
        article = article_from_post(post, self._resolver(response))
        self.claimed[article.article_id] = "rest"
        yield ArticleItem(type="article", **article.to_dict(), **self._fetch(response, "rest"))
        self.fetch_info[article.article_id] = {
            "url": article.url, "published_at": article.published.iso,
            "fetched_at": _fetched_at(response).isoformat(), "etag": None, "last_modified": None,
        }
        comments_url = urljoin(response.meta["api_root"], f"wp/v2/comments?post={post['id']}"
                               f"&per_page={REST_PAGE_SIZE}&order=asc&page=1")
        self.pending[article.article_id] = {comments_url}
        yield Request(comments_url, callback=self.parse_api_comments,
                      errback=self.comment_page_failed, priority=self.priority["rest"] + 5,
                      meta={"trap_exempt": True, "article_id": article.article_id,
                            "comment_page": comments_url, "api_page": 1,
                            "api_root": response.meta["api_root"], "post_id": post["id"]})

    def parse_api_comments(self, response: Response) -> Iterator[Any]:
        aid = response.meta["article_id"]
        items = _json(response)
        page = response.meta["api_page"]
        if isinstance(items, list):
            comments = comments_from_api(items, aid, self._resolver(response), page)
            article_url = self.fetch_info[aid]["url"]
            for comment in comments:
                yield CommentItem(type="comment", article_id=aid, article_url=article_url,
                                  **comment.to_dict(), **self._fetch(response, "rest"))
        if page < _total_pages(response):
            url = urljoin(response.meta["api_root"], f"wp/v2/comments?post="
                          f"{response.meta['post_id']}&per_page={REST_PAGE_SIZE}&order=asc"
                          f"&page={page + 1}")
            self.pending[aid].add(url)
            yield response.request.replace(url=url, meta={**response.meta, "comment_page": url,
                                                          "api_page": page + 1})
        yield from self._page_finished(aid, response.meta["comment_page"])

    def _resolver(self, response: Response) -> DateResolver:
        return DateResolver(self.timezone, _fetched_at(response), formats=self.formats,
                            languages=(self.site.language,), date_order=self.site.date_order)


def _fetched_at(response: Response) -> datetime:
    stamp = response.meta.get("fetched_at")
    return datetime.fromisoformat(stamp) if stamp else datetime.now(UTC)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        return None


def _total_pages(response: Response) -> int:
    value = _header(response, "X-WP-TotalPages")
    return int(value) if value and value.isdigit() else 1


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
