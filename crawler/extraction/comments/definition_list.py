"""Comment lists printed as definition lists by classic WordPress themes (and WordPress.com's
"highlander" comments): `dl.commentlist` or a bare `dl` under `#comments`, one `dt` per
comment with its number, author and time link (or all of it as text: "3. Robbo - 29
August, 2011"), then a `dd` with the text. Replies are flat siblings, threaded by their
`depth-N` class. Thesis's `dl#comment_list` is its own layout (`thesis`). An author without
a link is read from the `dt`'s byline."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="definition-list",
    # Thesis's and Blogger's lists are read by their own layouts.
    container=("dl.commentlist", "dl.comment-list",
               "#comments dl:not(#comment_list):not(.comment_list):not(#comments-block)"),
    item=("dt.comment", "dt[id^=comment-]", "dt"),
    author=(".comment-author .fn", ".comment-author", ".comment_author", "cite", ".fn",
            "a.url"),
    time=("time", "abbr[title]", ".comment-date", ".comment_time", ".date", ".comment-meta a",
          "a[href*='#comment-']"),
    text=(".comment-content", ".comment-text", ".comment-body", "dd"),
    not_text=(".reply", ".comment-reply-link", ".comment-meta", ".edit-link", ".avatar"),
    siblings=True,
    dated=True,
    byline=("dt",),
    byline_apart_from_time=True,
    # "2. Robbo - 29 August, 2011", "(1) Mike says:", "Robbo -" (the time element left
    # out): the date is what follows the last separator
    byline_pattern=re.compile(
        r"^\s*(?:\(?\d+[.)]\s*)?(?P<author>\S.*?)\s*"
        r"(?:\s(?:[-–—|]|on)\s+(?P<date>[^-–—|]*?\S))?\s*(?:(?:said|says|wrote)\s*:?)?\s*[-–—|]?\s*$",
        re.IGNORECASE | re.DOTALL),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
