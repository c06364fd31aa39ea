"""WordPress block themes (Twenty Twenty-Two, Twenty Twenty-Three and every theme built on
the Comments block): the comment template is `ol.wp-block-comment-template`, each part of
a comment is its own block, replies are nested `ol.children`."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="wordpress-block",
    container=("ol.wp-block-comment-template", "ul.wp-block-comment-template"),
    item=("li.comment", "li[id^=comment-]"),
    author=(".wp-block-comment-author-name",),
    time=(".wp-block-comment-date time", ".wp-block-comment-date"),
    text=(".wp-block-comment-content",),
    not_text=(".comment-awaiting-moderation",),
    next_page=(".wp-block-comments-pagination a",),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
