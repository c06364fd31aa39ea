"""Disqus: a thread from its public API (`threads/listPosts`), when the site file gives a key.

The page names its forum (`disqus_shortname`, or the `<forum>.disqus.com/embed.js` it
loads) and its thread: `disqus_identifier` / `this.page.identifier` (asked for as
`thread:ident`), else `disqus_url` / `this.page.url`, else the page's own URL (as
`thread:link`), the way Disqus's embed looks threads up. The site file's `disqus_forum`
stands in for a forum the page loads from a script file of its own.

Answers are `{"code": 0, "cursor": {"hasNext", "next"}, "response": [post, ...]}`, 100
posts a page, oldest first; each post has its `id`, `parent` (a post id or null),
`createdAt` (UTC, no offset), `author.name` and `message` (HTML). Only approved posts are
asked for; any that are deleted or spam anyway are skipped. A thread Disqus does not know
(HTTP 400, code 2) has no comments. The key travels in the query, the only place the API
takes it: `redact` removes it from URLs that are stored.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.extraction.body import html_fragment_text
from crawler.extraction.comment_systems.api import ApiPage, ApiSettings, NotReadable
from crawler.extraction.comments import RawComment
from crawler.extraction.records import CommentEmbed

PAGE_SIZE = 100
LIST_POSTS = "threads/listPosts.json"
NO_SUCH_THREAD = 2  # Disqus's "Invalid argument" code, answered for an unknown thread
KEY_PARAMETER = "api_key"


class DisqusApi:
    layout = "disqus-api"

    def first_page(self, embed: CommentEmbed, page_url: str, settings: ApiSettings) -> str:
        if not settings.disqus_api_key:
            raise NotReadable("no_api_key")
        forum = embed.params.get("shortname") or settings.disqus_forum
        if not forum:
            raise NotReadable("no_forum")
        query = {KEY_PARAMETER: settings.disqus_api_key, "forum": forum}
        if embed.params.get("identifier"):
            query["thread:ident"] = embed.params["identifier"]
        else:
            query["thread:link"] = embed.params.get("url") or page_url.split("#")[0]
        query.update(limit=str(PAGE_SIZE), order="asc")
        base = settings.disqus_api_url
        return urljoin(base if base.endswith("/") else f"{base}/", LIST_POSTS) + "?" + \
            urlencode(query)

    def read(self, payload: Any, url: str, status: int) -> ApiPage:
        code = payload.get("code") if isinstance(payload, dict) else None
        if status == 400 and code == NO_SUCH_THREAD:
            return ApiPage(skipped=Counter(no_thread=1))
        if status != 200 or code != 0 or not isinstance(payload.get("response"), list):
            return ApiPage(error=f"code_{code}" if code is not None else f"http_{status}")
        page = ApiPage()
        for post in payload["response"]:
            _add(post, page)
        cursor = payload.get("cursor")
        if isinstance(cursor, dict) and cursor.get("hasNext") and cursor.get("next"):
            page.next_urls.append(with_cursor(url, str(cursor["next"])))
        return page


def with_cursor(url: str, cursor: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "cursor"] + [("cursor", cursor)]
    return parts._replace(query=urlencode(query)).geturl()


def redact(url: str) -> str:
    """`url` without the API key, for what is stored."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != KEY_PARAMETER]
    return parts._replace(query=urlencode(query)).geturl()


def _add(post: Any, page: ApiPage) -> None:
    if not isinstance(post, dict) or post.get("id") is None:
        page.skipped["malformed"] += 1
        return
    for flag, reason in (("isDeleted", "deleted"), ("isSpam", "spam")):
        if post.get(flag):
            page.skipped[reason] += 1
            return
    if post.get("isApproved") is False:
        page.skipped["unapproved"] += 1
        return
    page.comments.append(RawComment(
        source_id=str(post["id"]),
        parent_source_id=str(post["parent"]) if post.get("parent") else None,
        author=_author(post.get("author")),
        date=_utc(post.get("createdAt")),
        text=html_fragment_text(post.get("message") or ""),
    ))


def _author(author: Any) -> str | None:
    name = author.get("name") if isinstance(author, dict) else None
    return name.strip() or None if isinstance(name, str) else None


def _utc(created: Any) -> str | None:
    """`createdAt` is UTC written without an offset."""
    if not isinstance(created, str) or not created:
        return None
    return created if created.endswith(("Z", "+00:00")) else f"{created}+00:00"
