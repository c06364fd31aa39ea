"""Blogger (Blogspot) comments, in both of its templates: the classic `dl#comments-block`
(author `dt`, then the body and the timestamp in `dd`s) and the threaded one
(`.comment-thread li.comment` with `.comment-block`, replies in `.comment-replies`)."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

CLASSIC = CommentMarkup(
    name="blogger",
    container=("dl#comments-block", "#comments-block"),
    item=("dt.comment-author", "dt"),
    author=("a[rel=nofollow]", "a", "dt.comment-author", "dt"),
    time=(".comment-timestamp a", ".comment-timestamp", "dd.comment-footer"),
    text=("dd.comment-body", "dd"),
    not_text=(".comment-footer", ".comment-timestamp"),
    id_from=("a[name]",),
    siblings=True,
)
THREADED = CommentMarkup(
    name="blogger",
    container=(".comment-thread",),
    item=("li.comment",),
    author=(".comment-header cite.user", ".comment-header cite", ".user"),
    time=(".comment-header .datetime a", ".datetime"),
    text=(".comment-content",),
    id_from=(".comment-block",),
)


def read_page(tree: HtmlElement) -> Found:
    classic = read(tree, CLASSIC)
    return classic if classic.comments else read(tree, THREADED)
