"""Comments in plain-text layouts such as print views: a heading line starts each comment
("#1 Comment By X On <date>") and it runs to the next heading or the section's end."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from crawler.extraction.comments.model import Found, RawComment

HEADINGS = (
    re.compile(r"^#?(?P<n>\d+)\s+Comment\s+By\s+(?P<author>.+?)\s+On\s+(?P<date>.+)$", re.I),
    re.compile(r"^Comment\s+#?(?P<n>\d+)\s+by\s+(?P<author>.+?)\s+on\s+(?P<date>.+)$", re.I),
)
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd")


def read_page(tree: HtmlElement) -> Found:
    found = Found("plain-text")
    headings = [el for el, line in _lines(tree) if _heading(line)]
    if not headings:
        return found
    section = _section(headings)
    found.regions = [section]
    current: RawComment | None = None
    paragraphs: list[str] = []
    for _, line in _lines(section):
        heading = _heading(line)
        if heading:
            if current:
                current.text = "\n\n".join(paragraphs)
            current, paragraphs = heading, []
            found.comments.append(current)
        elif current and line:
            paragraphs.append(line)
    if current:
        current.text = "\n\n".join(paragraphs)
    return found


def _lines(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    return [(el, " ".join(el.text_content().split())) for el in root.iter(*_BLOCKS)
            if not any(a.tag in ("p", "blockquote", "dd") for a in el.iterancestors())]


def _section(headings: list[HtmlElement]) -> HtmlElement:
    """The smallest element holding every comment heading: the comment section."""
    container = headings[0].getparent()
    while container.getparent() is not None and not all(
            container in h.iterancestors() for h in headings):
        container = container.getparent()
    return container


def _heading(line: str) -> RawComment | None:
    if not line or len(line) > 200:
        return None
    for pattern in HEADINGS:
        match = pattern.match(line)
        if match:
            return RawComment(None, None, match["author"].strip(), match["date"].strip(), "")
    return None
