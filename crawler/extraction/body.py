"""The main text of an article: the body container's paragraphs, boilerplate removed.

Known containers (`selectors.BODY`) are read block by block so that paragraph breaks
survive; where none is found, trafilatura does the work.
"""

from __future__ import annotations

import copy
import logging

import lxml.html
import trafilatura
from lxml.html import HtmlElement

from crawler.extraction import selectors
from crawler.extraction.document import select

logger = logging.getLogger(__name__)
MIN_BODY_CHARS = 200


def without(root: HtmlElement, css: tuple[str, ...]) -> HtmlElement:
    """A copy of `root` without the elements matching `css`."""
    clean = copy.deepcopy(root)
    if not css:
        return clean
    for el in select(clean, ", ".join(css)):  # one pass over the tree for every selector
        if el.getparent() is not None and el is not clean:
            el.drop_tree()
    return clean


def strip_boilerplate(root: HtmlElement, extra: tuple[str, ...] = ()) -> HtmlElement:
    """A copy of `root` without navigation, chrome, share, newsletter and related blocks."""
    return without(root, (*selectors.BOILERPLATE, *extra))


def blocks_text(root: HtmlElement) -> str:
    """The text of the paragraph-level blocks under `root`, a blank line between blocks."""
    tags = set(selectors.BLOCKS)
    paragraphs: list[str] = []
    for el in root.iter(*tags):
        if any(parent.tag in tags for parent in el.iterancestors()):
            continue
        line = " ".join(el.text_content().split())
        if line and not selectors.BOILERPLATE_LINES.match(line):
            paragraphs.append(line)
    if not paragraphs:
        return " ".join(root.text_content().split())
    return "\n\n".join(paragraphs)


def find_container(
    tree: HtmlElement, candidates: tuple[str, ...] = selectors.BODY
) -> HtmlElement | None:
    for selector in candidates:
        for el in select(tree, selector):
            if len(el.text_content().strip()) >= MIN_BODY_CHARS:
                return el
    return None


def main_text(tree: HtmlElement, html: str, body_selectors: tuple[str, ...] = ()) -> str:
    """The article's main text."""
    container = find_container(tree, body_selectors or selectors.BODY)
    if container is not None:
        text = blocks_text(strip_boilerplate(container))
        if len(text) >= MIN_BODY_CHARS or body_selectors:
            return text
    fallback = trafilatura.extract(html, include_comments=False, include_tables=False,
                                   favor_precision=True)
    return fallback or ""


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment such as a REST API `content.rendered`, read like a page body."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return blocks_text(strip_boilerplate(root))
