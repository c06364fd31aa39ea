"""The page's own figure of how many comments it has ("11 Comments", "One response to …"),
read from the heading of its comment section: a check on how complete a reading is."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.document import select, text_of

HEADINGS = (
    ".wp-block-comments-title", ".comments-title", "#comments-title", "#comments h2",
    "#comments h3", ".comments h2", ".comments h3", "h2#comments", "h3#comments",
    "#comments-block h4", ".comment-count", ".comments-count",
)
_WORDS = (r"comments?|responses?|replies|reply|thoughts?|reactions?|kommentare?|"
          r"commentaires?|comentarios?|commenti|reacties|reakcje")
_NUMBER = re.compile(rf"(\d[\d,.]*)\s+(?:\w+\s+)?(?:{_WORDS})\b", re.IGNORECASE)
_ONE = re.compile(rf"\b(?:one|a single|un|une|ein|eine|uno|una)\s+(?:{_WORDS})\b", re.IGNORECASE)


def stated_count(tree: HtmlElement) -> int | None:
    for css in HEADINGS:
        for el in select(tree, css):
            text = text_of(el)
            if len(text) > 200:
                continue
            match = _NUMBER.search(text)
            if match:
                return int(re.sub(r"[,.]", "", match.group(1)))
            if _ONE.search(text):
                return 1
    return None
