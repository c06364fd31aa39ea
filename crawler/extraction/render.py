"""An element's visible text as a reader sees it: paragraphs separated by a blank line.

Block elements and `<br>` break lines, inline markup does not, so text written straight
into a `<div>` with `<br>`s (Blogger, many older themes) is read as well as text in `<p>`s.
Markup is removed and entities decoded here, once: what comes out is plain text that no
later step unescapes again.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import selectors

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
})
CELL_TAGS = frozenset({"td", "th"})
SKIPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "button", "select", "option",
    "textarea", "input", "iframe", "object", "embed", "head", "title", "map", "canvas",
})
_SPACES = re.compile(r"\s+")


class _Lines:
    """Collects text into lines and lines into paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = [[]]
        self.words: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self.words.append(text)

    def line_break(self) -> None:
        line = _SPACES.sub(" ", "".join(self.words)).strip()
        self.words = []
        if line:
            self.paragraphs[-1].append(line)
        elif self.paragraphs[-1]:
            self.paragraph_break()

    def paragraph_break(self) -> None:
        if self.words:
            self.line_break()
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def text(self) -> list[str]:
        self.paragraph_break()
        return ["\n".join(lines) for lines in self.paragraphs if lines]


def paragraphs(root: HtmlElement, skip: Collection[HtmlElement] = ()) -> list[str]:
    """The paragraphs of `root`'s visible text, whitespace collapsed, boilerplate lines out;
    the elements in `skip` (and what they hold) are left out, the text after them is not."""
    out = _Lines()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag in SKIPPED_TAGS or (el in skip and el is not root):
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                out.paragraph_break()
            elif tag == "br":
                out.line_break()
            elif tag in CELL_TAGS:
                out.add(" ")
            if tag != "br":
                out.add(el.text)
            continue
        if tag in BLOCK_TAGS:
            out.paragraph_break()
        elif tag in CELL_TAGS:
            out.add(" ")
        if el is not root:
            out.add(el.tail)
    return [p for p in out.text() if not selectors.BOILERPLATE_LINES.match(p)]


def text(root: HtmlElement, skip: Collection[HtmlElement] = ()) -> str:
    """`paragraphs` joined by blank lines."""
    return "\n\n".join(paragraphs(root, skip))
