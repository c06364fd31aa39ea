"""TypePad and Movable Type: `.comments-content` holding `div.comment`s, the text in
`.comment-content` and author and time in one footer line ("Posted by: A | July 1, 2012
at 09:30 AM"), a `.comment-footer` on TypePad, a `p.posted` in Movable Type's templates."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

POSTED_BY = re.compile(
    r"(?:Posted|Written)\s+by:?\s*(?P<author>.+?)\s*(?:\||\bon\b|\bat\b|@)\s*(?P<date>\S.*?)\s*$",
    re.IGNORECASE)
"""The footer line of Movable Type and TypePad: "Posted by: A | DATE", "… on DATE", "… at
DATE"."""

MARKUP = CommentMarkup(
    name="typepad",
    container=("#comments-content", ".comments-content"),
    item=("div.comment",),
    author=(".comment-author", ".asset-meta .byline .author", ".byline .vcard"),
    time=(".comment-footer a[href*='#comment']", ".byline abbr", ".comment-date"),
    text=(".comment-content", ".asset-content", ".comment-body"),
    byline=(".comment-footer", ".asset-meta .byline", ".byline", "p.posted"),
    byline_pattern=POSTED_BY,
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
