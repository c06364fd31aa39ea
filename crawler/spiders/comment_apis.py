"""Comments that pages load by script, read through the comment system's public JSON API.

An article page that embeds a comment system (`ExtractedPage.embeds`) is counted under
`comments/hosted/<system>`. Where the system has an API reader
(`crawler.extraction.comment_systems.READERS`) and the reader can name the thread, its
pages are requested as the article's pending comment pages (`Book.pending`, kind
`embed`), so the article's `done` record waits for them and a resumed crawl asks for
them again; otherwise the article is counted under `comments/not_archived/<system>/
<reason>` and the run report says what to do about it.

The API host is off the site's domains: the request names it in `comment_api`, and the
spider lists the hosts it asked (`comment_api_hosts`), so that the safety middleware lets
exactly those hosts through, for these requests and their robots.txt only (the request
says `allow_offsite` so that Scrapy's own offsite filter, which knows only the site's
domains and runs when a request is scheduled, leaves the decision to the safety rules).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.extraction import ExtractedComment, ExtractedPage
from crawler.extraction.comment_systems import BY_SYSTEM, READERS, ApiSettings, NotReadable
from crawler.extraction.comment_systems.disqus import redact
from crawler.extraction.comments import finish
from crawler.extraction.dates import DateResolver
from crawler.extraction.records import CommentEmbed
from crawler.spiders.bookkeeping import Fetched, fetch_of, fetched_at, json_body
from crawler.spiders.comment_pages import Page
from crawler.spiders.resume import EMBED_KIND
from crawler.spiders.timezone_gate import gated

ROBOTS_FORBIDDEN = "Forbidden by robots.txt"  # how Scrapy's robots middleware refuses
# Non-200 answers that carry an API's own error (Disqus answers an unknown thread with 400).
API_ERROR_STATUSES = [400, 403, 404]


class CommentApis:
    """Spider callbacks for comment systems loaded by script (mixed into `SiteSpider`)."""

    comment_api_hosts: frozenset[str] = frozenset()
    """Hosts of the comment APIs this crawl asked (`host[:port]`), for the safety rules."""

    def _embed_pages(self, aid: str, page: ExtractedPage, fetched: Fetched) -> list[Page]:
        """The first API pages of the threads of the comment systems the article page
        embeds, now pending (the spider requests them after recording the page)."""
        stats = self.crawler.stats
        pages: list[Page] = []
        for embed in page.embeds:
            stats.inc_value(f"comments/hosted/{embed.system}")
            reader = READERS.get(embed.system)
            if reader is None:
                stats.inc_value(f"comments/not_archived/{embed.system}/no_public_api")
                continue
            try:
                url = reader.first_page(embed, fetched.url, self._api_settings())
            except NotReadable as why:
                stats.inc_value(f"comments/not_archived/{embed.system}/{why.reason}")
                continue
            pages.append(self._pending(aid, url, {"kind": EMBED_KIND, "system": embed.system,
                                                  "page": 1}))
        return pages

    def _page_comments(self, aid: str, page: ExtractedPage,
                       fetched: Fetched) -> list[ExtractedComment]:
        """The page's own comments, less the copy it prints of a thread that is read through
        the API (the Disqus WordPress plugin's): the API's records win, as REST's do. The
        copy is held until the API's first page is read, and stored if that fails."""
        replaced = {BY_SYSTEM[e.system].html_copy for e in page.embeds
                    if BY_SYSTEM[e.system].html_copy and self._readable(e, fetched)}
        copy = [c for c in page.comments if c.layout in replaced]
        if not copy:
            return page.comments
        info = self.book.fetch_info.setdefault(aid, {})
        if info.get("api_read"):
            self.crawler.stats.inc_value("comments/replaced_by_api", len(copy))
        else:
            info.setdefault("html_copy", []).append(
                (asdict(fetched), [c.to_dict() for c in copy]))
        return [c for c in page.comments if c.layout not in replaced]

    def _thread_read(self, aid: str) -> None:
        info = self.book.fetch_info.setdefault(aid, {})
        info["api_read"] = True
        held = sum(len(comments) for _, comments in info.pop("html_copy", []))
        if held:
            self.crawler.stats.inc_value("comments/replaced_by_api", held)

    def _thread_unread(self, aid: str) -> Iterator[Any]:
        """The API's first page failed: the page's copy of the thread is all there is."""
        via = self.book.claimed.get(aid, "html")
        for fetched, comments in self.book.fetch_info.get(aid, {}).pop("html_copy", []):
            self.crawler.stats.inc_value("comments/html_copy_kept", len(comments))
            for comment in comments:
                yield self._comment_item(aid, comment, Fetched(**fetched), via)

    def _readable(self, embed: CommentEmbed, fetched: Fetched) -> bool:
        reader = READERS.get(embed.system)
        try:
            return reader is not None and bool(
                reader.first_page(embed, fetched.url, self._api_settings()))
        except NotReadable:
            return False

    def _api_settings(self) -> ApiSettings:
        return ApiSettings(disqus_api_key=self.site.disqus_api_key,
                           disqus_forum=self.site.disqus_forum,
                           disqus_api_url=self.site.disqus_api_url)

    def _embed_request(self, aid: str, url: str, how: dict[str, Any], *,
                       dont_filter: bool = False) -> Request:
        host = urlsplit(url).netloc.lower()
        if host not in self.comment_api_hosts:
            self.comment_api_hosts = self.comment_api_hosts | {host}
        return Request(url, callback=self.parse_embedded_comments,
                       errback=self.embedded_comments_failed, dont_filter=dont_filter,
                       priority=self.priority.get("links", 0) + 5,
                       headers={"Accept": "application/json"},
                       meta={"article_id": aid, "comment_page": url, "trap_exempt": True,
                             "comment_api": host, "embed": how, "allow_offsite": True,
                             "handle_httpstatus_list": API_ERROR_STATUSES})

    @gated
    def parse_embedded_comments(self, response: Response) -> Iterator[Any]:
        aid, how = response.meta["article_id"], response.meta["embed"]
        system = how["system"]
        reader = READERS[system]
        answer = reader.read(json_body(response), response.url, response.status)
        stats = self.crawler.stats
        linked: list[Page] = []
        for reason, count in answer.skipped.items():
            stats.inc_value(f"comments/api/{system}/skipped/{reason}", count)
        if answer.error:
            stats.inc_value(f"comments/not_archived/{system}/api_error")
            self.logger.warning("%s API answered %s for %s: comments of %s not archived",
                                system, answer.error, redact(response.url), aid)
            self.book.fetch_info.setdefault(aid, {})["incomplete"] = True
            if how["page"] == 1:
                yield from self._thread_unread(aid)
        else:
            stats.inc_value(f"comments/api/{system}/pages")
            if how["page"] == 1:
                stats.inc_value(f"comments/archived/{system}")
                self._thread_read(aid)
            yield from self._api_comment_items(aid, answer.comments, response, how)
            linked = [p for url in answer.next_urls for p in self._next_api_page(aid, url, how)]
        yield self._page_read(aid, response.meta["comment_page"], linked)
        yield from self._requests(aid, linked)
        yield from self._page_finished(aid, response.meta["comment_page"])

    def _api_comment_items(self, aid: str, raw: list[Any], response: Response,
                           how: dict[str, Any]) -> Iterator[Any]:
        resolver = DateResolver(self.timezone, fetched_at(response), zone_flag=self.zone_flag)
        fetched = fetch_of(response)
        fetched.url = redact(fetched.url)
        layout = READERS[how["system"]].layout
        via = self.book.claimed.get(aid, "html")  # the path that delivered the article
        for comment in finish(raw, aid, resolver, how["page"], layout=layout):
            yield self._comment_item(aid, comment.to_dict(), fetched, via)

    def _next_api_page(self, aid: str, url: str, how: dict[str, Any]) -> Iterator[Page]:
        """A further page of the thread, numbered after every page asked for so far."""
        info = self.book.fetch_info.setdefault(aid, {})
        number = info.get("api_pages", 1) + 1
        if number > self.max_comment_pages:
            self.crawler.stats.inc_value("trap/comment_pages_capped")
            info["incomplete"] = True
            return
        info["api_pages"] = number
        yield self._pending(aid, url, {**how, "page": number})

    def embedded_comments_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        system = request.meta["embed"]["system"]
        forbidden = failure.check(IgnoreRequest) and ROBOTS_FORBIDDEN in str(failure.value)
        reason = "robots_forbidden" if forbidden else "api_failed"
        self.crawler.stats.inc_value(f"comments/not_archived/{system}/{reason}")
        if request.meta["embed"]["page"] == 1:
            yield from self._thread_unread(request.meta["article_id"])
        yield from self.comment_page_failed(failure)
