"""Discovery through the WordPress REST API: posts (with `_embed`) and their comments,
page by page, with reply parents and exact UTC times. Where a host offers the API, its
records win: articles found in the host's HTML wait until the listing is done."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.discovery import api_url, wordpress_index
from crawler.extraction.dates import DateResolver
from crawler.extraction.urls import article_id, clean_url, url_key
from crawler.extraction.wordpress_api import article_from_post, comments_from_api
from crawler.items import ArticleItem
from crawler.spiders.bookkeeping import fetch_of, fetched_at, json_body, total_pages, utc
from crawler.spiders.comment_pages import Page
from crawler.spiders.timezone_gate import gated

REST_PAGE_SIZE = 100


class WordPressApi:
    """Spider callbacks for the REST API (mixed into `SiteSpider`)."""

    @gated
    def parse_api_root(self, response: Response) -> Iterator[Any]:
        info = json_body(response)
        is_api = isinstance(info, dict) and "wp/v2" in info.get("namespaces", [])
        self.book.api_index[response.meta["api_index"]] = response.url if is_api else None
        yield from self._api_index(response.meta["api_index"], response.meta["api_host"])

    def _api_index(self, root: str, host: str) -> Iterator[Any]:
        """List the posts of a host's API, once its index is known (asked for if not)."""
        if root not in self.book.api_index:
            yield self._api_root_request(root, host)
            return
        answered = self.book.api_index[root]
        if answered is None:
            yield from self._api_finished(host)
        else:
            yield self._api_posts_request(answered, host, 1)

    def _answered_index(self, response: Response) -> str | None:
        """The REST index a page does not advertise but that answered as WordPress's."""
        index = wordpress_index(response)
        return index if index and self.book.api_index.get(index) else None

    def _api_root_request(self, root: str, host: str, *, dont_filter: bool = False) -> Request:
        """`host` is the site host that advertised the API: its articles wait for it."""
        return Request(root, callback=self.parse_api_root, errback=self.api_failed,
                       dont_filter=dont_filter, priority=self.priority["rest"],
                       meta={"trap_exempt": True, "api_host": host, "api_index": root})

    def api_failed(self, failure: Failure) -> Iterator[Any]:
        index = failure.request.meta.get("api_index")  # type: ignore[attr-defined]
        if index:
            self.book.api_index[index] = None
        self.crawler.stats.inc_value("rest/failed")
        self._count_failure(failure)
        yield from self._api_finished(failure.request.meta["api_host"])  # type: ignore[attr-defined]

    def _api_finished(self, host: str) -> Iterator[Any]:
        """The API listed what it has: articles of its host held back from pages now go
        out, unless the API delivered them (the API's records win)."""
        self.book.api_pending.discard(host)
        for aid, (page, fetched) in list(self.book.held.items()):
            if urlsplit(fetched.url).netloc == host:
                del self.book.held[aid]
                yield from self._article(page, fetched, via="html")

    def _api_posts_request(self, root: str, host: str, page: int) -> Request:
        url = api_url(root, "wp/v2/posts", per_page=REST_PAGE_SIZE, page=page, _embed=1)
        return Request(url, callback=self.parse_api_posts, errback=self.api_failed,
                       dont_filter=True, priority=self.priority["rest"],
                       meta={"trap_exempt": True, "api_root": root, "api_page": page,
                             "api_host": host})

    @gated
    def parse_api_posts(self, response: Response) -> Iterator[Any]:
        posts = json_body(response)
        for post in posts if isinstance(posts, list) else []:
            yield from self._api_post(post, response)
        page = response.meta["api_page"]
        if isinstance(posts, list) and page < total_pages(response):
            yield self._api_posts_request(response.meta["api_root"], response.meta["api_host"],
                                          page + 1)
        else:
            yield from self._api_finished(response.meta["api_host"])

    def _api_post(self, post: dict[str, Any], response: Response) -> Iterator[Any]:
        if not isinstance(post, dict) or not post.get("link") or not post.get("id"):
            return
        rules = self.site.query_rules
        url = clean_url(post["link"], rules)
        if article_id(url, rules) in self.book.claimed:
            return
        if self._decide(url_key(url, rules), utc(post.get("modified_gmt"))) is None:
            return
        article = article_from_post(post, self._resolver(response), rules)
        aid = article.article_id
        self.book.claimed[aid] = "rest"
        fetched = fetch_of(response)
        yield ArticleItem(type="article", **article.to_dict(), **self._context(fetched, "rest"))
        self._start_pages(aid, article.url, {
            "url": article.url, "published_at": article.published.iso,
            "fetched_at": fetched.fetched_at, "etag": None, "last_modified": None,
        })
        first = [self._api_comments_page(aid, response.meta["api_root"], post["id"], 1)]
        yield self._page_read(aid, article.url, first, fetched)  # the post, as the API gave it
        yield from self._requests(aid, first)

    def _api_comments_page(self, aid: str, root: str, post_id: Any, page: int) -> Page:
        url = api_url(root, "wp/v2/comments", post=post_id, per_page=REST_PAGE_SIZE,
                      order="asc", page=page)
        return self._pending(aid, url, {"kind": "rest", "api_page": page, "api_root": root,
                                        "post_id": post_id})

    @gated
    def parse_api_comments(self, response: Response) -> Iterator[Any]:
        aid = response.meta["article_id"]
        items = json_body(response)
        page = response.meta["api_page"]
        if isinstance(items, list):
            fetched = fetch_of(response)
            for comment in comments_from_api(items, aid, self._resolver(response), page):
                yield self._comment_item(aid, comment.to_dict(), fetched, "rest")
        linked = []
        if isinstance(items, list) and page < total_pages(response):
            linked.append(self._api_comments_page(aid, response.meta["api_root"],
                                                  response.meta["post_id"], page + 1))
        yield self._page_read(aid, response.meta["comment_page"], linked)
        yield from self._requests(aid, linked)
        yield from self._page_finished(aid, response.meta["comment_page"])

    def _resolver(self, response: Response) -> DateResolver:
        return DateResolver(self.timezone, fetched_at(response), formats=self.book.formats,
                            languages=(self.site.language,), date_order=self.date_order,
                            zone_flag=self.zone_flag)
