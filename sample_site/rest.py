"""A read-only slice of the WordPress REST API (wp/v2), with WordPress's paging and errors.

Routes (under `/wp-json`, or `/?rest_route=`): `/`, `/wp/v2/posts`, `/wp/v2/posts/<id>`,
`/wp/v2/comments`, `/wp/v2/comments/<id>`, `/wp/v2/users`, `/wp/v2/users/<id>`,
`/wp/v2/categories`, `/wp/v2/tags`. Lists take `page`, `per_page` (1-100, default 10)
and `order` (`desc` by default), answer `X-WP-Total`, `X-WP-TotalPages` and a `Link`
header, and a page past the last is a 400 with WordPress's error body. Posts are
newest first; `_embed` adds `_embedded.author` (every author of the article) and
`_embedded["wp:term"]` ([categories], [tags]). `date` fields are local without offset,
`date_gmt` fields UTC without offset. Rendered HTML is texturized like WordPress's
(curly quotes and dashes as numeric entities).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from math import ceil
from typing import Any
from urllib.parse import urlencode

from sample_site.model import Article, Comment, Site, slugify
from sample_site.response import Response, wp_json
from sample_site.themes.base import (
    RenderContext,
    author_path,
    body_paragraphs,
    category_path,
    comment_url,
    esc_text,
    excerpt,
    tag_path,
)
from sample_site.timefmt import iso_utc_naive, offset_hours

ENTITIES = {
    "‘": "&#8216;",
    "’": "&#8217;",
    "“": "&#8220;",
    "”": "&#8221;",
    "–": "&#8211;",
    "—": "&#8212;",
    "…": "&#8230;",
}
PAGE_ERRORS = {
    "posts": "rest_post_invalid_page_number",
    "comments": "rest_comment_invalid_page_number",
}
Json = dict[str, Any]


def texturize(html_text: str) -> str:
    return re.sub("[‘’“”–—…]", lambda m: ENTITIES[m.group()], html_text)


def _error(code: str, message: str, status: int, **data: Any) -> Response:
    return wp_json({"code": code, "message": message, "data": {"status": status, **data}}, status)


class RestApi:
    """Answers `/wp-json/...` requests for one site served at `base_url`."""

    def __init__(self, site: Site, base_url: str) -> None:
        self.site = site
        self.base = base_url
        self.ctx = RenderContext(site, base_url)
        self.api = base_url + "/wp-json"

    def handle(self, route: str, query: dict[str, str]) -> Response:
        route = "/" + route.strip("/")
        if route == "/":
            return wp_json(self._root())
        kind, _, item = route.removeprefix("/wp/v2/").partition("/")
        if not route.startswith("/wp/v2/") or kind not in self._lists:
            return _error(
                "rest_no_route", "No route was found matching the URL and request method.", 404
            )
        if item:
            return self._single(kind, item)
        return self._list(kind, query)

    @property
    def _lists(self) -> dict[str, Callable[[dict[str, str]], Sequence[Json]]]:
        return {
            "posts": self._posts,
            "comments": self._comments,
            "users": lambda q: [self._user(n) for n in self.site.author_ids],
            "categories": lambda q: self._terms("category", q),
            "tags": lambda q: self._terms("post_tag", q),
        }

    def _root(self) -> Json:
        newest = self.site.newest_first[0].published if self.site.all_articles else None
        offset = offset_hours(newest.replace(month=1, day=1), self.site.tz) if newest else 0
        return {
            "name": self.site.name,
            "description": self.site.title,
            "url": self.base,
            "home": self.base,
            "gmt_offset": int(offset) if offset.is_integer() else offset,
            "timezone_string": self.site.timezone,
            "namespaces": ["oembed/1.0", "wp/v2"],
            "authentication": [],
            "routes": {
                f"/wp/v2/{k}": {"namespace": "wp/v2", "methods": ["GET"]} for k in self._lists
            },
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }

    def _single(self, kind: str, item: str) -> Response:
        if not item.isdigit():
            return _error(
                "rest_no_route", "No route was found matching the URL and request method.", 404
            )
        wanted = int(item)
        for entry in self._lists[kind]({"_embed": "1"}):
            if entry["id"] == wanted:
                return wp_json(entry)
        singular = {"posts": "post", "comments": "comment", "users": "user"}.get(kind, "term")
        return _error(f"rest_{singular}_invalid_id", f"Invalid {singular} ID.", 404)

    def _list(self, kind: str, query: dict[str, str]) -> Response:
        try:
            page = int(query.get("page", "1"))
            per_page = int(query.get("per_page", "10"))
        except ValueError:
            return _error("rest_invalid_param", "Invalid parameter(s): page", 400)
        if not 1 <= per_page <= 100:
            return _error(
                "rest_invalid_param",
                "Invalid parameter(s): per_page",
                400,
                params={"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
            )
        if page < 1:
            return _error(
                "rest_invalid_param",
                "Invalid parameter(s): page",
                400,
                params={"page": "page must be greater than or equal to 1"},
            )
        entries = list(self._lists[kind](query))
        total = len(entries)
        pages = ceil(total / per_page)
        if page > pages and total > 0:
            code = PAGE_ERRORS.get(kind, "rest_invalid_page_number")
            return _error(
                code, "The page number requested is larger than the number of pages available.", 400
            )
        chunk = entries[(page - 1) * per_page : page * per_page]
        headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
        links = []
        if page > 1:
            links.append(f'<{self._page_url(kind, query, page - 1)}>; rel="prev"')
        if page < pages:
            links.append(f'<{self._page_url(kind, query, page + 1)}>; rel="next"')
        if links:
            headers.append(("Link", ", ".join(links)))
        return wp_json(chunk, headers=headers)

    def _page_url(self, kind: str, query: dict[str, str], page: int) -> str:
        return f"{self.api}/wp/v2/{kind}?{urlencode({**query, 'page': str(page)})}"

    def _posts(self, query: dict[str, str]) -> list[Json]:
        articles = list(self.site.newest_first)
        if query.get("order") == "asc":
            articles.reverse()
        embed = "_embed" in query
        return [self._post(a, embed) for a in articles]

    def _post(self, a: Article, embed: bool) -> Json:
        zone = self.site.tz
        modified = a.modified or a.published
        author_id = self.site.author_ids[a.authors[0]]
        category_id = self.site.category_ids[a.section]
        post: Json = {
            "id": a.post_id,
            "date": a.published.isoformat(),
            "date_gmt": iso_utc_naive(a.published, zone),
            "guid": {"rendered": f"{self.base}/?p={a.post_id}"},
            "modified": modified.isoformat(),
            "modified_gmt": iso_utc_naive(modified, zone),
            "slug": a.slug,
            "status": "publish",
            "type": "post",
            "link": self.base + a.path,
            "title": {"rendered": texturize(esc_text(a.title))},
            "content": {
                "rendered": texturize(body_paragraphs(self.ctx, a)) + "\n",
                "protected": False,
            },
            "excerpt": {
                "rendered": f"<p>{texturize(esc_text(excerpt(a)))}</p>\n",
                "protected": False,
            },
            "author": author_id,
            "featured_media": 0,
            "comment_status": "open",
            "ping_status": "open",
            "sticky": False,
            "template": "",
            "format": "standard",
            "meta": [],
            "categories": [category_id],
            "tags": [self.site.tag_ids[t] for t in a.tags],
            "_links": {
                "self": [{"href": f"{self.api}/wp/v2/posts/{a.post_id}"}],
                "collection": [{"href": f"{self.api}/wp/v2/posts"}],
                "author": [
                    {
                        "embeddable": True,
                        "href": f"{self.api}/wp/v2/users/{self.site.author_ids[n]}",
                    }
                    for n in a.authors
                ],
                "replies": [
                    {"embeddable": True, "href": f"{self.api}/wp/v2/comments?post={a.post_id}"}
                ],
                "wp:term": [
                    {
                        "taxonomy": "category",
                        "embeddable": True,
                        "href": f"{self.api}/wp/v2/categories?post={a.post_id}",
                    },
                    {
                        "taxonomy": "post_tag",
                        "embeddable": True,
                        "href": f"{self.api}/wp/v2/tags?post={a.post_id}",
                    },
                ],
            },
        }
        if embed:
            post["_embedded"] = {
                "author": [self._user(n) for n in a.authors],
                "wp:term": [
                    [self._term("category", a.section)],
                    [self._term("post_tag", t) for t in a.tags],
                ],
            }
        return post

    def _comments(self, query: dict[str, str]) -> list[Json]:
        wanted = {int(p) for p in query.get("post", "").split(",") if p.strip().isdigit()}
        pairs = [
            (c, a)
            for a in self.site.all_articles
            if not wanted or a.post_id in wanted
            for c in a.comments
        ]
        pairs.sort(
            key=lambda p: (p[0].published, p[0].comment_id), reverse=query.get("order") != "asc"
        )
        return [self._comment(c, a) for c, a in pairs]

    def _comment(self, c: Comment, a: Article) -> Json:
        zone = self.site.tz
        paragraphs = "\n".join(f"<p>{texturize(esc_text(p))}</p>" for p in c.paragraphs)
        return {
            "id": c.comment_id,
            "post": a.post_id,
            "parent": c.parent_id or 0,
            "author": 0,
            "author_name": c.author,
            "author_url": "",
            "date": c.published.isoformat(),
            "date_gmt": iso_utc_naive(c.published, zone),
            "content": {"rendered": paragraphs + "\n"},
            "link": comment_url(self.ctx, a, c),
            "status": "approved",
            "type": "comment",
            "author_avatar_urls": {},
            "meta": [],
            "_links": {
                "self": [{"href": f"{self.api}/wp/v2/comments/{c.comment_id}"}],
                "up": [
                    {
                        "embeddable": True,
                        "post_type": "post",
                        "href": f"{self.api}/wp/v2/posts/{a.post_id}",
                    }
                ],
            },
        }

    def _user(self, name: str) -> Json:
        return {
            "id": self.site.author_ids[name],
            "name": name,
            "url": "",
            "description": "",
            "link": self.base + author_path(name),
            "slug": slugify(name),
            "avatar_urls": {},
        }

    def _terms(self, taxonomy: str, query: dict[str, str]) -> list[Json]:
        articles = self.site.all_articles
        if query.get("post", "").isdigit():
            articles = tuple(a for a in articles if a.post_id == int(query["post"]))
        names = (
            {a.section for a in articles}
            if taxonomy == "category"
            else {t for a in articles for t in a.tags}
        )
        return [self._term(taxonomy, n) for n in sorted(names)]

    def _term(self, taxonomy: str, name: str) -> Json:
        if taxonomy == "category":
            term_id = self.site.category_ids[name]
            count = sum(a.section == name for a in self.site.all_articles)
            link = self.base + category_path(name)
        else:
            term_id = self.site.tag_ids[name]
            count = sum(name in a.tags for a in self.site.all_articles)
            link = self.base + tag_path(name)
        return {
            "id": term_id,
            "count": count,
            "description": "",
            "link": link,
            "name": name,
            "slug": slugify(name),
            "taxonomy": taxonomy,
            "parent": 0,
        }
