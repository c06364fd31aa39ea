"""Reader comments as separate records, from the layouts sites use.

Layouts are tried in order of trust: JSON-LD `Comment`s, schema.org microdata, WordPress
comment lists, then plain-text layouts such as print views. The first layout that finds
comments wins. Each layout returns `RawComment`s in page order; `finish` gives them ids,
parents and UTC times.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction import selectors
from crawler.extraction.body import without
from crawler.extraction.dates import DateResolver
from crawler.extraction.document import select, text_of
from crawler.extraction.metadata import article_json_ld
from crawler.extraction.records import ExtractedComment
from crawler.extraction.render import text as blocks_text

_ID_DIGITS = re.compile(r"(\d+)$")


@dataclass
class RawComment:
    source_id: str | None
    parent_source_id: str | None
    author: str | None
    date: str | None
    text: str


Layout = Callable[[HtmlElement], list[RawComment]]


def _source_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _ID_DIGITS.search(value.strip().rstrip("/"))
    return match.group(1) if match else value.strip()


def _first(root: HtmlElement, css: tuple[str, ...]) -> HtmlElement | None:
    for selector in css:
        found = select(root, selector)
        if found:
            return found[0]
    return None


# --- JSON-LD -------------------------------------------------------------------------

def from_json_ld(tree: HtmlElement) -> list[RawComment]:
    article = article_json_ld(tree)
    found: list[RawComment] = []
    if article:
        _walk_json_ld(article.get("comment"), None, found)
    return found


def _walk_json_ld(value: Any, parent: str | None, out: list[RawComment]) -> None:
    items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for obj in items:
        author = obj.get("author")
        name = author.get("name") if isinstance(author, dict) else author
        own = _source_id(obj.get("@id") or obj.get("identifier") or obj.get("url"))
        parent_ref = obj.get("parentItem")
        if isinstance(parent_ref, dict):
            parent_ref = parent_ref.get("@id") or parent_ref.get("url")
        out.append(RawComment(
            source_id=own,
            parent_source_id=_source_id(parent_ref) if parent_ref else parent,
            author=name if isinstance(name, str) else None,
            date=obj.get("dateCreated") or obj.get("datePublished"),
            text=_plain(obj.get("text") or ""),
        ))
        _walk_json_ld(obj.get("comment"), own, out)


def _plain(text: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


# --- microdata -----------------------------------------------------------------------

_MICRODATA_COMMENT = "//*[@itemscope][contains(@itemtype,'schema.org/Comment')]"


def from_microdata(tree: HtmlElement) -> list[RawComment]:
    found = []
    for el in tree.xpath(_MICRODATA_COMMENT):
        found.append(RawComment(
            source_id=_source_id(el.get("id") or el.get("itemid") or _prop_value(el, "url")),
            parent_source_id=_microdata_parent(el),
            author=_microdata_author(el),
            date=_prop_value(el, "dateCreated") or _prop_value(el, "datePublished"),
            text=_own_props_text(el, "text"),
        ))
    return found


def _own_props(el: HtmlElement, name: str) -> list[HtmlElement]:
    """Properties of this item only, not of items nested in it (replies, persons)."""
    return [p for p in el.xpath(f".//*[@itemprop='{name}']")
            if next(iter(p.xpath("ancestor::*[@itemscope][1]")), None) is el]


def _prop_value(el: HtmlElement, name: str) -> str | None:
    for prop in _own_props(el, name):
        value = (prop.get("content") or prop.get("datetime") or prop.get("href")
                 or text_of(prop))
        if value:
            return value.strip()
    return None


def _own_props_text(el: HtmlElement, name: str) -> str:
    props = _own_props(el, name)
    return blocks_text(props[0]) if props else ""


def _microdata_author(el: HtmlElement) -> str | None:
    for prop in _own_props(el, "author"):
        names = prop.xpath(".//*[@itemprop='name']")
        value = text_of(names[0]) if names else prop.get("content") or text_of(prop)
        if value:
            return value
    return None


def _microdata_parent(el: HtmlElement) -> str | None:
    ref = _prop_value(el, "parentItem")
    if ref:
        return _source_id(ref)
    outer = el.xpath("ancestor::*[@itemscope][contains(@itemtype,'schema.org/Comment')][1]")
    return _source_id(outer[0].get("id") or outer[0].get("itemid")) if outer else None


# --- WordPress comment lists ---------------------------------------------------------

def from_wordpress(tree: HtmlElement) -> list[RawComment]:
    lists = [el for css in selectors.COMMENT_LISTS for el in select(tree, css)]
    if not lists:
        return []
    top = lists[0]
    while (outer := top.getparent()) is not None and outer in lists:
        top = outer
    found = []
    for li in select(top, selectors.COMMENT_ITEM):
        parent_li = next((a for a in li.iterancestors("li") if "comment" in a.classes), None)
        own = without(li, (".children",))
        found.append(RawComment(
            source_id=_source_id(li.get("id")),
            parent_source_id=_source_id(parent_li.get("id")) if parent_li is not None else None,
            author=_wp_author(own),
            date=_wp_date(own),
            text=_wp_text(own),
        ))
    return found


def _wp_author(own: HtmlElement) -> str | None:
    el = _first(own, selectors.COMMENT_AUTHOR)
    if el is None:
        return None
    for says in select(el, ".says"):
        says.drop_tree()
    return text_of(el).removesuffix(" says:").removesuffix(" says") or None


def _wp_date(own: HtmlElement) -> str | None:
    el = _first(own, selectors.COMMENT_TIME)
    if el is not None and (el.get("datetime") or text_of(el)):
        return el.get("datetime") or text_of(el)
    el = _first(own, selectors.COMMENT_TIME_TEXT)
    return (text_of(el) or None) if el is not None else None


def _wp_text(own: HtmlElement) -> str:
    el = _first(own, selectors.COMMENT_CONTENT)
    if el is None:
        return ""
    return blocks_text(without(el, selectors.COMMENT_NOT_TEXT))


# --- plain-text layouts --------------------------------------------------------------

_PLAIN_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd")


def _blocks(root: HtmlElement) -> list[tuple[HtmlElement, str]]:
    return [(el, " ".join(el.text_content().split())) for el in root.iter(*_PLAIN_BLOCKS)
            if not any(a.tag in ("p", "blockquote", "dd") for a in el.iterancestors())]


def _comments_container(headings: list[HtmlElement]) -> HtmlElement:
    """The smallest element holding every comment heading: the comment section."""
    container = headings[0].getparent()
    while container.getparent() is not None and not all(
            container in h.iterancestors() for h in headings):
        container = container.getparent()
    return container


def from_plain_text(tree: HtmlElement) -> list[RawComment]:
    """Comments announced by a heading line ("#1 Comment By X On <date>") in the page text;
    a comment runs to the next heading or the end of the comment section."""
    headings = [el for el, line in _blocks(tree) if _plain_heading(line)]
    if not headings:
        return []
    found: list[RawComment] = []
    current: RawComment | None = None
    paragraphs: list[str] = []
    for _, line in _blocks(_comments_container(headings)):
        heading = _plain_heading(line)
        if heading:
            if current:
                current.text = "\n\n".join(paragraphs)
            current, paragraphs = heading, []
            found.append(current)
        elif current and line:
            paragraphs.append(line)
    if current:
        current.text = "\n\n".join(paragraphs)
    return found


def _plain_heading(line: str) -> RawComment | None:
    if not line or len(line) > 200:
        return None
    for pattern in selectors.PLAIN_COMMENT_HEADINGS:
        match = pattern.match(line)
        if match:
            groups = match.groupdict()
            return RawComment(None, None, groups["author"].strip(), groups["date"].strip(), "")
    return None


LAYOUTS: tuple[Layout, ...] = (from_json_ld, from_microdata, from_wordpress, from_plain_text)


def extract_comments(tree: HtmlElement) -> list[RawComment]:
    """The comments of the first layout that finds any."""
    for layout in LAYOUTS:
        found = layout(tree)
        if found:
            return found
    return []


def comment_id(article_id: str, source_id: str | None, author: str | None, date: str | None) -> str:
    """Stable comment id: the site's own id when it has one, else author and written time.

    The text is left out on purpose, so that an edited comment keeps its id.
    """
    if source_id:
        return f"{article_id}-{source_id}"
    digest = hashlib.sha256(f"{author}|{date}".encode()).hexdigest()[:12]
    return f"{article_id}-h{digest}"


def finish(
    raw: list[RawComment], article_id: str, resolver: DateResolver, page: int = 1
) -> list[ExtractedComment]:
    """Ids, parents and UTC times for the comments of one page, in page order."""
    ids: dict[str, str] = {}
    out = []
    for order, item in enumerate(raw, start=1):
        cid = comment_id(article_id, item.source_id, item.author, item.date)
        if any(c.comment_id == cid for c in out):
            cid = f"{cid}-{order}"
        if item.source_id:
            ids[item.source_id] = cid
        parent = item.parent_source_id
        out.append(ExtractedComment(
            comment_id=cid,
            source_id=item.source_id,
            parent_id=(ids.get(parent) or comment_id(article_id, parent, None, None))
            if parent else None,
            author=item.author,
            published=resolver.resolve(item.date),
            text=item.text,
            page=page,
            page_order=order,
        ))
    return out
