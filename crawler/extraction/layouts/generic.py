"""The common markup of news and blog pages that no theme module knows: headline, byline,
`<time>`, and print layouts' "Posted By A On <date> In <section>" lines."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.document import text_of
from crawler.extraction.layouts.markup import ArticleMarkup, read
from crawler.extraction.metadata import Metadata

MARKUP = ArticleMarkup(
    name="generic",
    detect=("html",),
    title=("h1.entry-title", "h1.post-title", "h1.headline", "article h1",
           "h1[itemprop=headline]", ".entry-title", ".post-title", "h1"),
    published=("time.entry-date.published", "time.published", "time[pubdate]",
               "article time", ".entry-date", ".post-date", ".published", ".posted-on time",
               ".dateline", ".timestamp"),
    authors=(".byline .author .fn", ".byline .author a", ".byline a[rel=author]",
             "a[rel=author]", ".author.vcard .fn", ".entry-author .fn", ".post-author .fn",
             ".post-author a", ".author-name", ".byline-name",
             "[itemprop=author] [itemprop=name]"),
)
PLAIN_BYLINE = re.compile(
    r"^Posted\s+By\s+(?P<author>.+?)\s+On\s+(?P<date>.+?)(?:\s+In\s+(?P<section>.+))?$", re.I)
_BYLINE_CANDIDATES = etree.XPath(
    "//*[self::p or self::div or self::span][text()[starts-with(translate(normalize-space(.),"
    " 'POSTEDBY', 'postedby'), 'posted by')]]")


def read_page(tree: HtmlElement) -> Metadata:
    found = read(tree, MARKUP)
    for el in _BYLINE_CANDIDATES(tree):
        match = PLAIN_BYLINE.match(text_of(el))
        if match:
            found.authors = found.authors or [match["author"]]
            found.published = found.published or match["date"]
            found.section = found.section or match["section"]
            break
    return found
