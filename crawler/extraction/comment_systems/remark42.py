"""Remark42 (https://remark42.com): a thread from its public JSON API.

The page's `remark_config` names the server (`host`), the site (`site_id`, `remark` when
not given) and may name the thread (`url`; by default the page's address without its
query, as Remark42's own script asks for it: `location.origin + location.pathname`).
`GET HOST/api/v1/find?site=SITE&url=URL&format=plain&sort=+time` answers every comment of
the thread at once (no pages), each with its `id`, `pid` (the parent's id, empty at the
top), `text` (HTML), `user.name`, `time` (RFC 3339 with its offset) and `delete`. A
deleted comment keeps its place in the thread with an empty text: it is skipped, and its
replies keep it as their parent. Remark42 before 1.5 answered a bare list of comments.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from crawler.extraction.body import html_fragment_text
from crawler.extraction.comment_systems.api import ApiPage, ApiSettings, api_host
from crawler.extraction.comments import RawComment
from crawler.extraction.records import CommentEmbed

DEFAULT_SITE = "remark"


class Remark42Api:
    layout = "remark42-api"

    def first_page(self, embed: CommentEmbed, page_url: str, settings: ApiSettings) -> str:
        host = api_host(embed)
        thread = embed.params.get("url") or urlsplit(page_url)._replace(
            query="", fragment="").geturl()
        query = {"site": embed.params.get("site_id") or DEFAULT_SITE, "url": thread,
                 "format": "plain", "sort": "+time"}
        base = host if host.endswith("/") else f"{host}/"
        return urljoin(base, "api/v1/find?" + urlencode(query))

    def read(self, payload: Any, url: str, status: int) -> ApiPage:
        comments = payload.get("comments") if isinstance(payload, dict) else payload
        if status != 200 or not isinstance(comments, list):
            return ApiPage(error=f"http_{status}" if status != 200 else "not_a_thread")
        page = ApiPage()
        for comment in comments:
            if not isinstance(comment, dict) or not comment.get("id"):
                page.skipped["malformed"] += 1
            elif comment.get("delete"):
                page.skipped["deleted"] += 1
            else:
                page.comments.append(_raw(comment))
        return page


def _raw(comment: dict[str, Any]) -> RawComment:
    user = comment.get("user") if isinstance(comment.get("user"), dict) else {}
    return RawComment(
        source_id=str(comment["id"]),
        parent_source_id=str(comment["pid"]) if comment.get("pid") else None,
        author=(user.get("name") or "").strip() or None,
        date=comment.get("time") if isinstance(comment.get("time"), str) else None,
        text=html_fragment_text(comment.get("text") or ""),
    )
