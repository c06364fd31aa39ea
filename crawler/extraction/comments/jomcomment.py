"""JomComment, a Joomla comment extension: `div#jc_commentsDiv`, one `div#pc_N` per comment
with an optional title (`.jc_comment_title`, kept as the text's first line, as readers see
it), "written by NAME, DATE" in `span.small`, the text in `.comment-text`, and a panel of
vote and report buttons."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="jomcomment",
    container=("#jc_commentsDiv",),
    item=("div[id^=pc_]",),
    text=("*",),
    not_text=("span.small", ".avatarImg", ".jc_comment_panel", "ul", "script"),
    id_from=("a[name^=comment-]",),
    byline=("span.small",),
    byline_pattern=re.compile(r"written\s+by\s+(?P<author>.+?),\s*(?P<date>.+)$",
                              re.IGNORECASE),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
