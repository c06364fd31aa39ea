"""The Thesis theme for WordPress (and its many child themes): `dl#comment_list`, a `dt`
with the author and the time, then a `dd` with the text."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="thesis",
    container=("dl#comment_list", "dl.comment_list"),
    item=("dt.comment", "dt"),
    author=(".comment_author", ".comment-author", "cite"),
    time=(".comment_time a", ".comment_time", ".comment-date"),
    text=(".format_text", "dd"),
    not_text=(".reply", ".comment-reply-link"),
    siblings=True,
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
