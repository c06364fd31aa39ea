"""JComments, the common comment extension of Joomla: `div#jc` holding `.comments-list`, one
`div#comment-item-N` per comment with `.comment-author`, `.comment-date` and
`.comment-body`, beside vote and quote buttons."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="jcomments",
    container=("#jc",),
    item=("div[id^=comment-item-]",),
    author=(".comment-author",),
    time=(".comment-date",),
    text=(".comment-body",),
    not_text=(".comments-buttons", ".comments-vote"),
    next_page=(".jc_pagination a", ".comments-pagination a"),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
