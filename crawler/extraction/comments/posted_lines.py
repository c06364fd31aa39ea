"""Movable Type's and TypePad's classic templates: no element wraps a comment. Its
paragraphs are bare siblings after the "Comments" heading, opened by an anchor or a `div`
with the comment's id and closed by its `p.posted` line: `<a id="c65581830"></a><p>…</p>
<p class="posted">Posted by: NAME | DATE</p>`, or `<div id="c115775">…</div><p
class="posted">Posted by: NAME at DATE</p>`. The id is what tells a comment from the post
itself, which ends in a posted line too; trackbacks share the class ("Tracked on …") and
are not comments."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction import render
from crawler.extraction.comments.markup import source_id
from crawler.extraction.comments.model import Found, RawComment
from crawler.extraction.comments.typepad import POSTED_BY
from crawler.extraction.document import select, text_of

NAME = "posted-lines"
COMMENT_ID = re.compile(r"^c(?:omment-?)?\d+$")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def read_page(tree: HtmlElement) -> Found:
    found = Found(NAME)
    for line in select(tree, "p.posted"):
        match = POSTED_BY.search(text_of(line))
        parts = _opening(line) if match else []
        text = "\n\n".join(t for el in parts if (t := render.text(el)))
        if not parts or not text or not COMMENT_ID.match(parts[0].get("id") or ""):
            continue
        found.comments.append(RawComment(
            source_id=source_id(parts[0].get("id")), parent_source_id=None,
            author=match["author"], date=match["date"], text=text))
        found.regions.extend([*parts, line])
    return found


def _opening(line: HtmlElement) -> list[HtmlElement]:
    """The siblings before a posted line back to the element with the comment's id (first),
    or to the line before or a heading, in page order."""
    parts = []
    for el in line.itersiblings(preceding=True):
        if el.tag in HEADINGS or "posted" in el.classes:
            break
        parts.append(el)
        if COMMENT_ID.match(el.get("id") or ""):
            break
    return parts[::-1]
