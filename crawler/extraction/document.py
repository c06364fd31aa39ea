"""Decoding and parsing a fetched page, the same way for the spider and for saved files."""

from __future__ import annotations

from functools import lru_cache

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from w3lib.encoding import html_to_unicode

# The text is already decoded: it reaches lxml as UTF-8 with the encoding stated, so no
# declaration inside the page (`<?xml … encoding=…?>`, `<meta charset>`) can contradict it.
# Comments and processing instructions are dropped at parse time: their surrounding text
# then reads as one run.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def decode(body: bytes, content_type: str | None = None) -> str:
    """Body bytes to text: BOM, then HTTP header, then <meta>, then sniffing (as Scrapy does)."""
    _, text = html_to_unicode(content_type, body)
    return text


def parse(html: str | bytes, content_type: str | None = None) -> HtmlElement:
    """An lxml tree of the page; lxml's HTML parser recovers from unclosed and broken markup."""
    text = decode(html, content_type) if isinstance(html, bytes) else html
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring(b"<html></html>", parser=_PARSER)


def text_of(element: HtmlElement | None) -> str:
    """Visible text of an element with whitespace collapsed."""
    if element is None:
        return ""
    return " ".join(element.text_content().split())


@lru_cache(maxsize=1024)
def _compiled(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """`root.cssselect(selector)`, with the selector compiled to XPath once per process
    (compiling is most of the cost of a lookup)."""
    return _compiled(selector)(root)
