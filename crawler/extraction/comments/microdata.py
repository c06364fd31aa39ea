"""schema.org `Comment` microdata (`itemscope itemtype=…/Comment`), as Genesis and other
themes print it; a reply is an item inside another, or names it with `parentItem`."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction import render
from crawler.extraction.comments.markup import source_id
from crawler.extraction.comments.model import Found, RawComment
from crawler.extraction.document import text_of

_COMMENT = "//*[@itemscope][contains(@itemtype,'schema.org/Comment')]"


def read_page(tree: HtmlElement) -> Found:
    found = Found("microdata")
    items = tree.xpath(_COMMENT)
    positions = {el: i for i, el in enumerate(items)}
    for el in items:
        outer = next((a for a in el.iterancestors() if a in positions), None)
        found.comments.append(RawComment(
            source_id=source_id(el.get("id") or el.get("itemid") or _value(el, "url")),
            parent_source_id=source_id(_value(el, "parentItem")),
            author=_author(el),
            date=_value(el, "dateCreated") or _value(el, "datePublished"),
            text=_text(el),
            parent_index=positions[outer] if outer is not None else None,
        ))
    if items:
        found.regions = [el for el in items if not any(a in positions for a in el.iterancestors())]
    return found


def _own(el: HtmlElement, name: str) -> list[HtmlElement]:
    """Properties of this item only, not of items nested in it (replies, persons)."""
    return [p for p in el.xpath(f".//*[@itemprop='{name}']")
            if next(iter(p.xpath("ancestor::*[@itemscope][1]")), None) is el]


def _value(el: HtmlElement, name: str) -> str | None:
    for prop in _own(el, name):
        value = (prop.get("content") or prop.get("datetime") or prop.get("href")
                 or text_of(prop))
        if value:
            return value.strip()
    return None


def _text(el: HtmlElement) -> str:
    props = _own(el, "text")
    return render.text(props[0]) if props else ""


def _author(el: HtmlElement) -> str | None:
    for prop in _own(el, "author"):
        names = prop.xpath(".//*[@itemprop='name']")
        value = text_of(names[0]) if names else prop.get("content") or text_of(prop)
        if value:
            return value
    return None
