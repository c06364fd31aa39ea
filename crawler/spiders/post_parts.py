"""Posts split over several pages: the article is stored once, with every part's text.

WordPress's `<!--nextpage-->` splits a post into parts (`/slug/2/`, `?p=N&page=2`) that
share the post's comments and its id (`crawler.extraction.post_parts`). The first part's
page holds the article back until every other part is read, then stores it with the parts'
texts in order; its comments come from the first part and its comment pages only. A later
part found before the first one stores nothing and asks for the first part.

A part that cannot be read leaves the article with the parts that were, counted and not
done, so the next run reads it again. A held post is plain data in the spider's `Book`:
after a clean stop, the resumed run asks again for the parts it still waits for.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler.extraction import ExtractedPage
from crawler.extraction.urls import url_key
from crawler.spiders.bookkeeping import Fetched, HeldPost
from crawler.spiders.timezone_gate import gated

MAX_POST_PARTS = 50
"""Parts read per post; a "Pages: 1 2 … N" row longer than this is a trap or a listing."""


class PostParts:
    """Spider callbacks for posts in several parts (mixed into `SiteSpider`)."""

    def _later_part(self, page: ExtractedPage, url: str, hops: int) -> Iterator[Request]:
        """A part after the first, found first: the first part is the article's page; this
        part's text is kept for it, so that it is not fetched again."""
        self.crawler.stats.inc_value("post_parts/later_part_found_first")
        aid = page.article.article_id
        if aid not in self.book.claimed:
            self.book.early_parts.setdefault(aid, {})[url_key(url, self.query_rules)] = (
                page.article.text)
        yield from self._candidate(page.article.url, "links", hops=hops)

    def _hold_for_parts(self, page: ExtractedPage, fetched: Fetched,
                        via: str) -> Iterator[Any]:
        aid = page.article.article_id
        parts = page.post_parts
        if len(parts) > MAX_POST_PARTS:
            self.crawler.stats.inc_value("trap/post_parts_capped")
            parts = parts[:MAX_POST_PARTS]
            page = replace(page, post_parts=parts)
        early = self.book.early_parts.pop(aid, {})
        texts = {url: early[url_key(url, self.query_rules)] for url in parts
                 if url_key(url, self.query_rules) in early}
        held = self.book.parts[aid] = HeldPost(page, fetched, via, set(parts) - set(texts),
                                               texts)
        self.crawler.stats.inc_value("post_parts/posts")
        for url in sorted(held.missing):
            self.book.requested.add(url_key(url, self.query_rules))
            yield self._part_request(aid, url)
        yield from self._parts_done(aid)

    def _part_request(self, aid: str, url: str) -> Request:
        """Not filtered as seen, as comment pages are not: the held post waits for it."""
        return Request(url, callback=self.parse_post_part, errback=self.post_part_failed,
                       dont_filter=True, priority=self.priority.get("links", 0) + 5,
                       meta={"article_id": aid, "post_part": url, "trap_exempt": True})

    def _parts_outstanding(self) -> Iterator[Request]:
        """After a clean stop: the parts the held posts still wait for."""
        for aid, held in self.book.parts.items():
            for url in sorted(held.missing):
                yield self._part_request(aid, url)

    @gated
    def parse_post_part(self, response: Response) -> Iterator[Any]:
        held = self.book.parts.get(response.meta["article_id"])
        url = response.meta["post_part"]
        if held is None or url not in held.missing:
            return
        if isinstance(response, TextResponse):
            held.texts[url] = self._extract(response).article.text
            self.crawler.stats.inc_value("post_parts/parts_read")
        else:
            held.failed.append(url)
        held.missing.discard(url)
        yield from self._parts_done(response.meta["article_id"])

    def post_part_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self._count_failure(failure)
        held = self.book.parts.get(request.meta["article_id"])
        url = request.meta["post_part"]
        if held is None or url not in held.missing:
            return
        self.crawler.stats.inc_value("post_parts/parts_failed")
        self.logger.warning("part %s of %s could not be read: the article is stored "
                            "without it and read again next run", url, held.page.article.url)
        held.failed.append(url)
        held.missing.discard(url)
        yield from self._parts_done(request.meta["article_id"])

    def _parts_done(self, aid: str) -> Iterator[Any]:
        held = self.book.parts[aid]
        if held.missing:
            return
        del self.book.parts[aid]
        yield from self._store_article(held.whole(), held.fetched, held.via,
                                       complete=not held.failed)
