"""Records from the WordPress REST API (`/wp-json/wp/v2/posts` and `/comments`).

The API states exact UTC times (`date_gmt`), ids and reply parents, so where a site offers
it, it wins over reading the HTML. The text goes through the same body reader as pages, so
that an article is the same record whichever way it was found.
"""

from __future__ import annotations

from typing import Any

import lxml.html

from crawler.extraction.body import html_fragment_text
from crawler.extraction.comments import RawComment, finish
from crawler.extraction.dates import DateResolver
from crawler.extraction.records import ExtractedArticle, ExtractedComment, ResolvedDate
from crawler.extraction.urls import DEFAULT_RULES, QueryRules, article_id, clean_url, site_of

LAYOUT = "wordpress-rest"


def _has_replies(post: dict[str, Any]) -> bool:
    return bool(post.get("_embedded", {}).get("replies"))


def _unescape(rendered: str | None) -> str | None:
    if not rendered or not rendered.strip():
        return None
    return " ".join(lxml.html.fragment_fromstring(rendered, create_parent="div")
                    .text_content().split()) or None


def _rendered(post: dict[str, Any], key: str) -> str:
    value = post.get(key)
    return value.get("rendered", "") if isinstance(value, dict) else str(value or "")


def _gmt(post: dict[str, Any], key: str, resolver: DateResolver) -> ResolvedDate:
    """`date_gmt` is UTC without an offset; `date` is local time without one."""
    gmt = post.get(f"{key}_gmt")
    if gmt:
        return resolver.resolve(f"{gmt}+00:00" if "+" not in gmt and "Z" not in gmt else gmt)
    return resolver.resolve(post.get(key))


def _terms(post: dict[str, Any], taxonomy: str) -> list[str]:
    groups = post.get("_embedded", {}).get("wp:term", [])
    return [t["name"] for group in groups for t in group
            if isinstance(t, dict) and t.get("taxonomy") == taxonomy and t.get("name")]


def article_from_post(post: dict[str, Any], resolver: DateResolver,
                      rules: QueryRules = DEFAULT_RULES) -> ExtractedArticle:
    """An article record from one REST `post` object (requested with `_embed`)."""
    url = clean_url(post["link"], rules)
    authors = [a.get("name") for a in post.get("_embedded", {}).get("author", [])
               if isinstance(a, dict) and a.get("name")]
    categories = _terms(post, "category")
    return ExtractedArticle(
        article_id=article_id(url, rules),
        url=url,
        site=site_of(url),
        title=_unescape(_rendered(post, "title")),
        authors=authors,
        published=_gmt(post, "date", resolver),
        modified=_gmt(post, "modified", resolver),
        section=categories[0] if categories else None,
        tags=_terms(post, "post_tag"),
        text=html_fragment_text(_rendered(post, "content")),
        layout=LAYOUT,
        comment_system=LAYOUT if post.get("comment_status") == "open" or _has_replies(post)
        else None,
    )


def comments_from_api(
    items: list[dict[str, Any]], aid: str, resolver: DateResolver, page: int
) -> list[ExtractedComment]:
    """Comment records from one page of `/wp/v2/comments?post=ID`."""
    raw = []
    for item in items:
        gmt = item.get("date_gmt")
        raw.append(RawComment(
            source_id=str(item["id"]),
            parent_source_id=str(item["parent"]) if item.get("parent") else None,
            author=item.get("author_name") or None,
            date=f"{gmt}+00:00" if gmt else item.get("date"),
            text=html_fragment_text(_rendered(item, "content")),
        ))
    return finish(raw, aid, resolver, page, layout=LAYOUT)
