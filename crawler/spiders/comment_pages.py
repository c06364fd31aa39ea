"""An article's comments, page after page, until every page is read (a spider mixin).

An article owns the pages its comments are on: the article page, then `…/comment-page-N/`
(or `?cpage=N`) pages, or the WordPress REST API's comment pages. Each page read is
recorded in the raw zone after its comments (`PageReadItem`: the page and the pages it led
to), and the article is `done` when no page it led to is left. After a kill, a resumed
session reads these records (`crawler.spiders.resume`) and asks for exactly the pages led
to and not read; a page that failed leaves the article not done, for the next session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.extraction.urls import article_id
from crawler.items import ArticleDoneItem, PageReadItem
from crawler.spiders.bookkeeping import Fetched, fetch_of
from crawler.spiders.resume import EMBED_KIND, HTML_PAGE, request_kind
from crawler.spiders.timezone_gate import gated

Page = tuple[str, dict[str, Any]]
"""A page to read: its URL and how to request it (`{"kind": "html"}` or the REST fields)."""


class CommentPages:
    """Spider callbacks and bookkeeping for an article's pages (mixed into `SiteSpider`)."""

    @gated
    def parse_comment_page(self, response: Response) -> Iterator[Any]:
        aid = response.meta["article_id"]
        linked: list[Page] = []
        if isinstance(response, TextResponse):
            page = self._extract(response)
            yield from self._comment_items(page, response, aid, "html")
            linked = self._link_pages(aid, page.comment_pages)
        yield self._page_read(aid, response.meta["comment_page"], linked)
        yield from self._requests(aid, linked)
        yield from self._page_finished(aid, response.meta["comment_page"])

    def comment_page_failed(self, failure: Failure) -> Iterator[Any]:
        """A comment page that could not be read: the article is not done this session."""
        request = failure.request  # type: ignore[attr-defined]
        aid = request.meta["article_id"]
        self.crawler.stats.inc_value("comments/page_failed")
        self._count_failure(failure)
        self.book.pending.get(aid, {}).pop(request.meta["comment_page"], None)
        self.book.fetch_info.setdefault(aid, {})["incomplete"] = True
        yield from self._page_finished(aid, None)

    def _start_pages(self, aid: str, page: str, info: dict[str, Any]) -> None:
        """An article claimed by this session: its `page` is read, the rest to follow."""
        self.book.fetch_info[aid] = {**info, "page": page}
        self.book.pending[aid] = {}
        self.book.visited_pages[aid] = {page}

    def _read_known_pages(self, response: Response) -> Iterator[Any]:
        """An article page unchanged since the last run (304) inside the recrawl window:
        its other comment pages, where new and edited comments may be, are read again."""
        meta = response.meta
        pages = meta.get("known_pages")
        url = meta.get("known_url")
        if not pages or not url:
            return
        aid = article_id(url, self.query_rules)
        if aid in self.book.claimed:
            return
        self.book.claimed[aid] = "html"
        fetched = fetch_of(response)
        asked = response.request.headers if response.request else {}
        page = response.url.split("#")[0]
        self._start_pages(aid, page, {
            "url": url, "published_at": meta.get("known_published"),
            "fetched_at": fetched.fetched_at,
            "etag": fetched.etag or _header(asked, "If-None-Match"),
            "last_modified": fetched.last_modified or _header(asked, "If-Modified-Since"),
        })
        linked = self._link_pages(aid, pages)
        self.crawler.stats.inc_value("incremental/comment_pages_read_again", len(linked))
        yield self._page_read(aid, page, linked, fetched)
        yield from self._requests(aid, linked)
        yield from self._page_finished(aid, None)

    def _link_pages(self, aid: str, urls: list[str]) -> list[Page]:
        """The HTML comment pages among `urls` not known yet, now pending (up to the cap)."""
        visited = self.book.visited_pages.setdefault(aid, set())
        linked: list[Page] = []
        for url in urls:
            if url in visited:
                continue
            if len(visited) >= self.max_comment_pages:
                self.crawler.stats.inc_value("trap/comment_pages_capped")
                self.book.fetch_info.setdefault(aid, {})["incomplete"] = True
                break
            visited.add(url)
            linked.append(self._pending(aid, url, dict(HTML_PAGE)))
        return linked

    def _pending(self, aid: str, url: str, how: dict[str, Any]) -> Page:
        self.book.pending.setdefault(aid, {})[url] = how
        return url, how

    def _requests(self, aid: str, pages: list[Page]) -> Iterator[Request]:
        for url, how in pages:
            yield self._comment_request(aid, url, how)

    def _page_read(self, aid: str, url: str, linked: list[Page],
                   fetched: Fetched | None = None) -> PageReadItem:
        return PageReadItem(type="page", article_id=aid, url=url,
                            next=[url for url, _ in linked],
                            next_how=[request_kind(how) for _, how in linked],
                            crawl_run_id=self.run_id,
                            fetched_at=fetched.fetched_at if fetched else None,
                            etag=fetched.etag if fetched else None,
                            last_modified=fetched.last_modified if fetched else None)

    def _comment_request(self, aid: str, url: str, how: dict[str, Any]) -> Request:
        """Not filtered as seen: the article's own bookkeeping asks for each page once, and
        a page Scrapy dropped unseen (a redirect to a page fetched before) would leave the
        article waiting for it, never done."""
        if how.get("kind") == EMBED_KIND:
            return self._embed_request(aid, url, how, dont_filter=True)
        meta = {"article_id": aid, "comment_page": url, "trap_exempt": True}
        if how.get("kind") == "rest":
            meta.update(api_page=how["api_page"], api_root=how["api_root"],
                        post_id=how["post_id"])
            return Request(url, callback=self.parse_api_comments,
                           errback=self.comment_page_failed, dont_filter=True,
                           priority=self.priority.get("rest", 0) + 5, meta=meta)
        return Request(url, callback=self.parse_comment_page, errback=self.comment_page_failed,
                       dont_filter=True, priority=self.priority.get("links", 0) + 5,
                       meta=meta)

    def _page_finished(self, aid: str, page: str | None) -> Iterator[Any]:
        pending = self.book.pending.get(aid)
        if pending is None:
            return
        if page is not None:
            pending.pop(page, None)
        if pending:
            return
        del self.book.pending[aid]
        info = self.book.fetch_info.get(aid, {})
        if info.get("incomplete") or not info.get("url"):
            return
        pages = sorted(self.book.visited_pages.get(aid, set()) - {info.get("page")})
        yield ArticleDoneItem(type="done", article_id=aid, url=info["url"],
                              crawl_run_id=self.run_id, published_at=info.get("published_at"),
                              fetched_at=info["fetched_at"], etag=info.get("etag"),
                              last_modified=info.get("last_modified"), comment_pages=pages)

    def _resume_unfinished(self) -> Iterator[Any]:
        """After a kill: the pages of the articles earlier sessions left unfinished."""
        stats = self.crawler.stats
        for aid, left in self.earlier.unfinished.items():
            pages = left.to_read()
            if not left.read and not pages:
                continue  # the API's listing brings it back
            self.book.claimed[aid] = left.via
            self.book.fetch_info[aid] = {**left.info, "page": left.page}
            self.book.visited_pages[aid] = left.known
            self.book.pending[aid] = dict(pages)
            stats.inc_value("resume/unfinished_articles")
            stats.inc_value("resume/pages_asked_again", len(pages))
            for url, how in pages.items():
                yield self._comment_request(aid, url, how)
            if not pages:
                yield from self._page_finished(aid, None)

    def _comment_items(self, page: Any, response: Response, aid: str,
                       via: str) -> Iterator[Any]:
        fetched = fetch_of(response)
        for comment in self._page_comments(aid, page, fetched):
            yield self._comment_item(aid, comment.to_dict(), fetched, via, page.article.url)


def _header(headers: Any, name: str) -> str | None:
    value = headers.get(name) if headers else None
    return value.decode("latin-1") if isinstance(value, bytes) else value
