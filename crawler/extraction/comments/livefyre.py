"""Livefyre's comment stream as its script rendered it (pages saved from a browser, archives
of rendered pages; a crawl of the raw HTML sees only its count marker, reported by
`comment_systems`): `#lf_comments`, one `div.lf_comment_container#lf_comment_N` per
comment with `.lf_comment_user_nick`, the rating ("6 pts"), `.lf_body` and a footer of
share, flag and like buttons."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="livefyre",
    container=("#lf_comments",),
    item=("div.lf_comment_container",),
    author=(".lf_comment_user_nick",),
    time=(".lf_comment_date",),
    text=(".lf_body",),
    not_text=(".lf_comment_footer",),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
