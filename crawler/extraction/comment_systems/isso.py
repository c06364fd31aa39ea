"""Isso (https://isso-comments.de): a thread from its public JSON API.

The page names the server (`<script data-isso="//host/">`) and may name the thread
(`<section id="isso-thread" data-isso-id="...">`); by default the thread is the page's
path, as Isso's own script asks for it. `GET /?uri=THREAD` answers the thread's top-level
comments with their replies nested (Isso threads are two levels deep), each with its `id`,
`parent`, `created` (Unix time, UTC), `author` and `text` (HTML). `limit` and `offset`
page the top-level comments, `nested_limit` the replies shown under each, and
`hidden_replies` says how many are left, for the thread and for each comment; a
comment's further replies are asked for with `parent`. (`nested_limit` is always given:
without it, Isso 0.14 applies the page's `offset` to the replies too, and the replies of
the comments on every page but the first are lost.) Only public comments (`mode` 1) are
kept: a deleted comment that still has replies is returned as an empty placeholder
(`mode` 4) and skipped, its replies keep it as their parent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from crawler.extraction.body import html_fragment_text
from crawler.extraction.comment_systems.api import ApiPage, ApiSettings, api_host
from crawler.extraction.comments import RawComment
from crawler.extraction.records import CommentEmbed

PAGE_SIZE = 100
PUBLIC = 1
DELETED = 4


class IssoApi:
    layout = "isso-api"

    def first_page(self, embed: CommentEmbed, page_url: str, settings: ApiSettings) -> str:
        host = api_host(embed)
        thread = embed.params.get("thread") or urlsplit(page_url).path or "/"
        return thread_url(host, thread, 0)

    def read(self, payload: Any, url: str, status: int) -> ApiPage:
        if status != 200 or not isinstance(payload, dict) or not isinstance(
                payload.get("replies"), list):
            return ApiPage(error=f"http_{status}" if status != 200 else "not_a_thread")
        page = ApiPage()
        for comment in payload["replies"]:
            _walk(comment, page)
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        thread, parent = query.get("uri", "/"), query.get("parent")
        if _hidden(payload) and payload["replies"]:
            offset = int(query.get("offset", "0")) + len(payload["replies"])
            page.next_urls.append(thread_url(url, thread, offset, parent))
        if parent is None:
            for comment in payload["replies"]:
                if isinstance(comment, dict) and _hidden(comment):
                    page.next_urls.append(thread_url(url, thread, len(comment["replies"]),
                                                     str(comment["id"])))
        return page


def thread_url(host: str, thread: str, offset: int, parent: str | None = None) -> str:
    """A page of the thread's top-level comments (with `PAGE_SIZE` replies of each), or of
    the replies to `parent`. `host` is the server's base URL (any URL under it will do:
    the query is replaced)."""
    base = urlsplit(host)._replace(query="", fragment="").geturl()
    query: dict[str, str | int] = {"uri": thread, "limit": PAGE_SIZE, "offset": offset}
    if parent is None:
        query["nested_limit"] = PAGE_SIZE
    else:
        query["parent"] = parent
    return urljoin(base if base.endswith("/") else f"{base}/", "?" + urlencode(query))


def _hidden(thread: dict[str, Any]) -> bool:
    hidden = thread.get("hidden_replies")
    return isinstance(hidden, int) and hidden > 0 and isinstance(thread.get("replies"), list)


def _walk(comment: Any, page: ApiPage) -> None:
    if not isinstance(comment, dict) or comment.get("id") is None:
        page.skipped["malformed"] += 1
        return
    mode = comment.get("mode", PUBLIC)
    if mode == PUBLIC:
        page.comments.append(_raw(comment))
    else:
        page.skipped["deleted" if mode == DELETED else "unapproved"] += 1
    for reply in comment.get("replies") or []:
        _walk(reply, page)


def _raw(comment: dict[str, Any]) -> RawComment:
    created = comment.get("created")
    return RawComment(
        source_id=str(comment["id"]),
        parent_source_id=str(comment["parent"]) if comment.get("parent") else None,
        author=(comment.get("author") or "").strip() or None,
        date=datetime.fromtimestamp(created, UTC).isoformat()
        if isinstance(created, int | float) else None,
        text=html_fragment_text(comment.get("text") or ""),
    )
