"""Decoding and parsing a fetched page, the same way for the spider and for saved files."""

from __future__ import annotations

import codecs
import re
import weakref
from dataclasses import dataclass
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


# Single-byte charsets that servers and templates declare by default, whatever the text is.
_DEFAULT_CHARSETS = frozenset({"cp1252", "iso8859-1", "iso8859-15", "ascii"})


def decode(body: bytes, content_type: str | None = None) -> str:
    """Body bytes to text: BOM, then HTTP header, then <meta>, then sniffing (as Scrapy does),
    except that bytes declared as Latin-1 or Windows-1252 which are valid UTF-8 with
    non-ASCII characters are UTF-8: a template's default declaration over UTF-8 text
    (Latin-1 text is almost never valid UTF-8 by chance), which would else read "’" as
    "â€™"."""
    encoding, text = html_to_unicode(content_type, body)
    if _codec(encoding) in _DEFAULT_CHARSETS and not body.isascii():
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return text


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


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
    (compiling is most of the cost of a lookup), and not run at all where the page has
    none of the class names, ids or tags it needs (most theme selectors, on most pages)."""
    if not _possible(root, selector):
        return []
    return _compiled(selector)(root)


# Selectors are data lists of many themes' names; a page carries few of them. The names a
# document uses are collected once (one pass), and a selector that needs a name the document
# lacks is answered without walking the tree. Removing elements later leaves names behind,
# which only means a lookup runs that could have been skipped.
_TOKENS: weakref.WeakKeyDictionary[HtmlElement, _Names] = weakref.WeakKeyDictionary()
_NOT = re.compile(r":not\([^()]*\)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_TAG = re.compile(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)")
_ATTRIBUTE_PART = re.compile(r"\[\s*(class|id)\s*[*^$|~]?=\s*[\"']?([^\"'\]]+)[\"']?\s*\]",
                             re.IGNORECASE)


@dataclass(frozen=True)
class _Names:
    classes: frozenset[str]
    ids: frozenset[str]
    tags: frozenset[str]
    class_text: str = ""
    """Every class name on the page, for `[class*=…]`."""
    id_text: str = ""

    @classmethod
    def of(cls, root: HtmlElement) -> _Names:
        classes: set[str] = set()
        ids: set[str] = set()
        tags: set[str] = set()
        for el in root.iter(tag=etree.Element):
            tags.add(el.tag)
            value = el.get("class")
            if value:
                classes.update(value.lower().split())
            value = el.get("id")
            if value:
                ids.add(value.lower())
        return cls(frozenset(classes), frozenset(ids), frozenset(tags),
                   " ".join(sorted(classes)), " ".join(sorted(ids)))


@dataclass(frozen=True)
class _Need:
    """What one alternative of a selector cannot match without: names, and parts of names
    (`[class*=author]`)."""

    classes: frozenset[str]
    ids: frozenset[str]
    tags: frozenset[str]
    class_parts: tuple[str, ...]
    id_parts: tuple[str, ...]

    def met_by(self, names: _Names) -> bool:
        return (self.classes <= names.classes and self.ids <= names.ids
                and self.tags <= names.tags
                and all(part in names.class_text for part in self.class_parts)
                and all(part in names.id_text for part in self.id_parts))


@lru_cache(maxsize=4096)
def _needs(selector: str) -> tuple[_Need, ...]:
    """Per alternative of a selector list, what it needs of the page."""
    needs = []
    for alt in _NOT.sub("", selector).split(","):
        parts = _ATTRIBUTE_PART.findall(alt)
        plain = _ATTRIBUTE.sub("", alt)
        needs.append(_Need(
            frozenset(c.lower() for c in _CLASS.findall(plain)),
            frozenset(i.lower() for i in _ID.findall(plain)),
            frozenset(t.lower() for t in _TAG.findall(plain)),
            tuple(v.lower() for a, v in parts if a.lower() == "class"),
            tuple(v.lower() for a, v in parts if a.lower() == "id")))
    return tuple(needs)


def _possible(root: HtmlElement, selector: str) -> bool:
    document = root.getroottree().getroot()
    names = _TOKENS.get(document)
    if names is None:
        names = _TOKENS[document] = _Names.of(document)
    return any(need.met_by(names) for need in _needs(selector))
