"""Comment lists described as data: where the list is, what one comment is, where its parts are.

Most comment layouts differ only in their class names, so a layout module is a
`CommentMarkup` and this one reader. A site file can declare its own `CommentMarkup`
(`crawler.siteconfig`), which then wins over the built-in layouts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction import render
from crawler.extraction.body import outermost
from crawler.extraction.comments.model import Found, RawComment
from crawler.extraction.document import select, text_of

_TRAILING_DIGITS = re.compile(r"(\d+)$")
_URL = re.compile(r"\bhttps?://\S+")
_SAYS = re.compile(r"\s*(?:says|said|wrote|schreibt|dit|dice|escribió)\s*(?::|\.\.\.|…)?\s*$",
                   re.IGNORECASE)


@dataclass(frozen=True)
class CommentMarkup:
    """Where one layout keeps its comments. Selectors are CSS; `item` and the part selectors
    are relative to the container and to one item. The first part selector that matches
    wins."""

    name: str
    container: tuple[str, ...]
    item: tuple[str, ...]
    """One comment, under the container: the first selector with matches is used, so that
    a wrapper (`li.comment`) wins over the element it wraps (`article.comment`)."""
    author: tuple[str, ...] = ()
    time: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    not_text: tuple[str, ...] = ()
    """Removed from the text element before it is read (reply links, meta lines)."""
    id_from: tuple[str, ...] = ()
    """Elements (the item itself when empty) whose `id` attribute holds the site's id."""
    parent: tuple[str, ...] = ()
    """Elements whose `data-parent`/`href` names the parent; else threads are read from
    nesting: a comment inside another comment replies to it."""
    next_page: tuple[str, ...] = ()
    """Links to the other pages of the comment list."""
    siblings: bool = False
    """An item is its element and the siblings after it, up to the next item (`dt`/`dd`)."""
    byline: tuple[str, ...] = ()
    """Elements holding author and time in one line ("Posted by: A | July 1, 2012 at 9:30")."""
    byline_pattern: re.Pattern[str] | None = None
    """How to read a byline: named groups `author` and `date`."""
    byline_apart_from_time: bool = False
    """The byline is read without the time element inside it, if any (`<dt><div
    class="date">…</div>(1) Mike says:</dt>`)."""
    dated: bool = False
    """A container none of whose items has a time is not a comment list (for containers
    as loose as a bare `dl`, which also make "Skip to" lists)."""


PINGBACK_CLASSES = frozenset({"pingback", "trackback"})


def is_pingback(el: HtmlElement) -> bool:
    """WordPress's notices that another blog linked to the post (`li.pingback`,
    `li.trackback` in the comment list): no reader wrote them, and the REST API does not
    list them as comments."""
    return bool(PINGBACK_CLASSES & set((el.get("class") or "").lower().split()))


def source_id(value: str | None) -> str | None:
    """A site's comment id from an attribute such as `comment-123` (its trailing digits),
    or the whole value where it has none."""
    if not value or not value.strip():
        return None
    value = value.strip().rstrip("/")
    match = _TRAILING_DIGITS.search(value)
    return match.group(1) if match else value


def read(tree: HtmlElement, markup: CommentMarkup) -> Found:
    """Every comment of the layout's lists on the page, in page order."""
    found = Found(markup.name)
    containers = outermost([el for css in markup.container for el in select(tree, css)])
    if len(containers) > 1:
        order = {el: i for i, el in enumerate(tree.iter())}
        containers.sort(key=order.__getitem__)
    for container in containers:
        items = next((m for css in markup.item if (m := select(container, css))), [])
        items = [item for item in items if not is_pingback(item)]
        if not items:
            continue
        before = len(found.comments)
        _read_items(items, markup, found)
        if markup.dated and not any(c.date for c in found.comments[before:]):
            del found.comments[before:]
            continue
        found.regions.append(container)
    found.next_pages = [href for css in markup.next_page for el in select(tree, css)
                        if (href := el.get("href"))]
    return found


def _read_items(items: list[HtmlElement], markup: CommentMarkup, found: Found) -> None:
    positions = {item: len(found.comments) + i for i, item in enumerate(items)}
    parts_of = {item: _parts(item, markup, positions) for item in items}
    owners = {part: item for item, parts in parts_of.items() for part in parts}
    at_depth: dict[int, HtmlElement] = {}
    for item in items:
        own = _Own(parts_of[item], positions)
        flat_parent = _by_depth(item, at_depth)  # for every item: it follows the depths
        parent = parent_item(item, owners)
        if parent is None:
            parent = flat_parent
        found.comments.append(RawComment(
            source_id=_id(own, markup),
            parent_source_id=_parent_ref(own, markup),
            author=_author(own, markup),
            date=_date(own, markup),
            text=_text(own, markup),
            parent_index=positions[parent] if parent is not None else None,
        ))


def parent_item(item: HtmlElement, owners: dict[HtmlElement, HtmlElement]
                ) -> HtmlElement | None:
    """The comment a reply sits in (in any of its parts: Thesis nests replies in the
    parent's `dd`; `owners` maps each part to its comment), or, where replies follow their
    parent in a block of their own (`<li>…</li><ul class="children">…</ul>` in Disqus's
    copy, Drupal's `<div class="indented">`), the one before it."""
    outer = next((owners[a] for a in item.iterancestors() if a in owners), None)
    if outer is not None:
        return outer
    replies = item.getparent()
    if replies is None or not _REPLY_LISTS & set(replies.classes):
        return None
    before = replies.getprevious()
    return owners.get(before) if before is not None else None


_REPLY_LISTS = frozenset({"children", "replies", "comment-replies", "indented"})
_DEPTH = re.compile(r"depth-(\d+)")


def _by_depth(item: HtmlElement, at_depth: dict[int, HtmlElement]) -> HtmlElement | None:
    """Where replies are not nested (a flat `dt`/`dd` list), the parent WordPress's
    `depth-N` class names: the last comment before this one at depth N - 1. `at_depth`
    holds the last comment seen at each depth."""
    depth = next((int(m.group(1)) for c in item.classes if (m := _DEPTH.fullmatch(c))), None)
    if depth is None:
        return None
    for deeper in [d for d in at_depth if d >= depth]:
        del at_depth[deeper]
    at_depth[depth] = item
    return at_depth.get(depth - 1)


def _parts(item: HtmlElement, markup: CommentMarkup,
           items: dict[HtmlElement, int]) -> list[HtmlElement]:
    if not markup.siblings:
        return [item]
    parts = [item]
    for sibling in item.itersiblings():
        if sibling in items:
            break
        parts.append(sibling)
    return parts


class _Own:
    """The elements of one comment, not of the replies nested in it."""

    def __init__(self, parts: list[HtmlElement], items: dict[HtmlElement, int]) -> None:
        self.parts = parts
        self.items = items

    def first(self, selectors: tuple[str, ...], *, with_text: bool = False
              ) -> HtmlElement | None:
        """The first element matching a selector (tried in order) that belongs to this
        comment; a part itself counts (selectors match descendant-or-self)."""
        for css in selectors:
            for part in self.parts:
                for el in select(part, css):
                    if self.owns(el) and (not with_text or text_of(el)):
                        return el
        return None

    def owns(self, el: HtmlElement) -> bool:
        if el in self.parts:
            return True
        for ancestor in el.iterancestors():
            if ancestor in self.parts:
                return True
            if ancestor in self.items:
                return False
        return False

    def nested(self, el: HtmlElement) -> list[HtmlElement]:
        """Replies inside `el`."""
        return [i for i in el.iterdescendants() if i in self.items and i not in self.parts]


def _id(own: _Own, markup: CommentMarkup) -> str | None:
    el = own.first(markup.id_from) if markup.id_from else own.parts[0]
    if el is None:
        return None
    return source_id(el.get("id") or el.get("name") or el.get("data-id"))


def _parent_ref(own: _Own, markup: CommentMarkup) -> str | None:
    el = own.first(markup.parent) if markup.parent else None
    if el is None:
        return None
    return source_id(el.get("data-parent") or el.get("data-parent-id") or el.get("href"))


def _author(own: _Own, markup: CommentMarkup) -> str | None:
    el = own.first(markup.author, with_text=True)
    if el is None:
        return _from_byline(own, markup, "author")
    return _SAYS.sub("", _URL.sub("", text_of(el))).strip() or None


def _from_byline(own: _Own, markup: CommentMarkup, group: str) -> str | None:
    el = own.first(markup.byline) if markup.byline_pattern else None
    if el is None or markup.byline_pattern is None:
        return None
    line = text_of(el)
    time = own.first(markup.time) if markup.byline_apart_from_time else None
    if time is not None and time is not el and el in time.iterancestors():
        line = " ".join(render.paragraphs(el, {time}))
    match = markup.byline_pattern.search(line)
    return (match.group(group) or "").strip() or None if match else None


def _date(own: _Own, markup: CommentMarkup) -> str | None:
    """The time element's `datetime` (or an `abbr`'s `title`), else that of a `<time>`
    inside the element matched (a selector may name the wrapper), else its text."""
    el = own.first(markup.time)
    if el is None:
        return _from_byline(own, markup, "date")
    if el.tag in ("time", "abbr"):
        stamp = el.get("datetime") or el.get("title")
    else:
        stamp = next((t.get("datetime") for t in el.iterfind(".//time[@datetime]")), None)
    return stamp or text_of(el) or None


def _text(own: _Own, markup: CommentMarkup) -> str:
    el = own.first(markup.text)
    if el is None:
        return ""
    skip = {*own.nested(el), *(d for css in markup.not_text for d in select(el, css))}
    skip.discard(el)
    return render.text(el, skip)
