"""Disqus threads that the page itself prints (the Disqus WordPress plugin's crawlable
copy, `#dsq-comments`), as opposed to the embed loaded by script, which the HTML does not
hold (see `crawler.extraction.comment_systems`)."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="disqus-html",
    container=("#dsq-comments", "ul.dsq-comments"),
    item=("li[id^=dsq-comment-]", "li.dsq-comment", "li.comment"),
    author=("[id^=dsq-author-user]", ".dsq-commenter-name", "cite"),
    time=(".dsq-comment-header-time a", ".dsq-comment-header-time", "time"),
    text=(".dsq-comment-message", ".dsq-comment-body"),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
