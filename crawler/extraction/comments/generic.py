"""Comments in markup no other layout knows: repeated comment-like blocks.

Candidates are elements that name themselves a comment (`class="comment_item"`,
`id="comment-123"`, `id="c4567"`); they are grouped by their markup signature (tag and
class names without counters and zebra stripes), and the group that looks most like a list
of comments wins: several blocks with text, most of them with an author or a time. Inside
each block the author, the time and the text are found by the names themes give them.
Blocks in forms, sidebars and "recent comments" widgets are never comments of this page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import render
from crawler.extraction.comments import bylines
from crawler.extraction.comments.markup import is_pingback, parent_item, source_id
from crawler.extraction.comments.model import Found, RawComment
from crawler.extraction.document import select, text_of

NAME = "generic"

_ITEM_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_])?comment(?:[-_]?(?:item|box|entry|block|wrap(?:per)?|container|single|"
    r"unit|row|card|holder|thread|published|approved|body|[a-z]*comment))?$|^(?:c|cmt|reply)$",
    re.IGNORECASE)
_ITEM_ID = re.compile(
    r"^(?:li-|div-)?(?:comment|cmt|reply|c)[-_]?(?:item[-_]?|inner[-_]?)?[0-9a-f]{3,}$",
    re.IGNORECASE)
_NOISE_CLASS = re.compile(r"^(?:even|odd|alt|thread-\w+|depth-\d+|parent|clearfix|clear|"
                          r"byuser|bypostauthor|comment-author-\S+|by-\S+|\w*\d\w*)$",
                          re.IGNORECASE)
# Not on <body>: its classes describe the page (Drupal's `sidebars`, `one-sidebar`).
_NOT_HERE = etree.XPath(
    "ancestor::*[not(self::body)][self::form or self::aside or self::nav or self::header or "
    "contains(concat(' ', @class, ' '), ' widget') or contains(@class, 'sidebar') or "
    "contains(@id, 'sidebar') or contains(@id, 'respond') or contains(@class, 'respond') or "
    "contains(@class, 'recent') or contains(@id, 'recent') or contains(@class, 'popular') or "
    "contains(@class, 'comment-form') or contains(@id, 'comment-form')]")
_CANDIDATES = etree.XPath(
    "//*[contains(translate(@class, 'COMENT', 'coment'), 'comment') or "
    "contains(translate(@id, 'COMENT', 'coment'), 'comment') or "
    "starts-with(@id, 'c') or starts-with(@id, 'cmt') or contains(@class, 'reply')]")

AUTHOR = (
    "[itemprop=author]", ".comment-author .fn", ".fn", "cite", ".author", ".comment-author",
    ".comment_author", ".commentAuthor", ".commenter", ".author-name", ".username",
    ".user-name", ".user", ".name", ".nick", ".poster", ".byline a", "[class*=author]",
    "[class*=Author]", "[class*=user]", "[class*=name]",
    "a[title='View user profile.']",  # Drupal's username link
    # Last: a link to the commenter's site, as themes without names for it print it.
    "a[rel~=external]", "a[rel~=nofollow]:not([href*='#'])", "a.url",
)
TIME = (
    "time", "abbr[title]", "[itemprop=dateCreated]", "[class*=date]", "[class*=Date]",
    "[class*=time]", "[class*=Time]", "[class*=stamp]", "[class*=posted]", "[class*=ago]",
    "a[href*='#comment']",
)
TEXT = (
    "[itemprop=text]", ".comment-content", ".comment-text", ".comment_text", ".commentText",
    ".comment-body", ".comment_body", ".commentBody", ".comment-message", ".message",
    ".content", ".text", ".body", "[class*=content]", "[class*=text]", "[class*=body]",
    "[class*=message]", "blockquote",
)
NOT_TEXT = (
    ".reply", "[class*=reply]", "[class*=actions]", "[class*=vote]", "[class*=rating]",
    "[class*=share]", "[class*=report]", "[class*=flag]", "[class*=avatar]", "[class*=meta]",
    "[class*=footer]", "[class*=header]", "[class*=author]", "[class*=date]", "[class*=time]",
    "cite", "time", "form", "button", "img", ".posted",
)
_DATE_LIKE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\bago\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE)
MIN_TEXT = 2
MIN_MEDIAN_WORDS = 3
LEADERBOARD_MIN = 3
_FORM_CONTROLS = etree.XPath(
    ".//textarea | .//input[(not(@type) or @type='text' or @type='email') and not(@value)]")
"""A block with a text box to fill in is where one writes a comment, not a comment (a box
holding a value is a comment's permalink to copy)."""
_TEMPLATE = etree.XPath("ancestor-or-self::*[contains(@id, 'template')]")
"""A template (`#cs-comment-template`, empty, hidden) is what a script copies for new
comments."""


@dataclass
class _Group:
    items: list[HtmlElement]

    @property
    def outermost(self) -> list[HtmlElement]:
        members = set(self.items)
        return [i for i in self.items if not any(a in members for a in i.iterancestors())]


SCORED_GROUPS = 4
"""Groups tried, the largest first; the others are left unread."""
SAMPLE = 8
"""Blocks of a group read to judge it; only the winning group is read in full."""


def read_page(tree: HtmlElement) -> Found:
    found = Found(NAME)
    candidates = _candidates(tree)
    best = _best_group([*_groups(candidates), *_region_groups(tree, candidates)])
    if best is None:
        return found
    group, readings = best
    positions = {item: i for i, item in enumerate(group.items)}
    owners = {item: item for item in group.items}
    for item, comment in zip(group.items, readings, strict=True):
        outer = parent_item(item, owners)
        comment.parent_index = positions[outer] if outer is not None else None
        found.comments.append(comment)
    found.regions = group.outermost
    return found


def _of_pingback(el: HtmlElement) -> bool:
    return is_pingback(el) or any(is_pingback(a) for a in el.iterancestors())


def _candidates(tree: HtmlElement) -> list[HtmlElement]:
    out = []
    for el in _CANDIDATES(tree):
        classes = (el.get("class") or "").split()
        named = any(_ITEM_CLASS.match(c) for c in classes) or _ITEM_ID.match(el.get("id") or "")
        if (named and not _NOT_HERE(el) and not _FORM_CONTROLS(el) and not _TEMPLATE(el)
                and not _of_pingback(el)):
            out.append(el)
    return out


_REGIONS = etree.XPath(
    "//*[contains(translate(@id, 'COMENT', 'coment'), 'comment') or "
    "contains(translate(@class, 'COMENT', 'coment'), 'comment')]")
REGION_MIN_ITEMS = 2


def _region_groups(tree: HtmlElement, items: list[HtmlElement]) -> list[_Group]:
    """Repeated blocks directly inside a comment section (`#jc_commentsDiv > .jomentry`):
    comments whose own markup does not say so. Parts of a comment already found as one
    (`.comment-body` in `li.comment`) are not sections."""
    groups = []
    known = set(items)
    for region in _REGIONS(tree):
        if region.tag in ("form", "a", "span", "textarea", "p") or region in known or any(
                a in known for a in region.iterancestors()) or _NOT_HERE(region):
            continue
        children: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = {}
        for child in region:
            if (isinstance(child.tag, str) and child.tag not in ("script", "style", "form")
                    and not _FORM_CONTROLS(child) and not is_pingback(child)):
                children.setdefault(_signature(child), []).append(child)
        groups += [_Group(items) for items in children.values() if len(items) >= REGION_MIN_ITEMS]
    return groups


def _signature(el: HtmlElement) -> tuple[str, tuple[str, ...]]:
    classes = sorted(c.lower() for c in (el.get("class") or "").split()
                     if not _NOISE_CLASS.match(c))
    return el.tag, tuple(classes)


def _groups(candidates: Iterable[HtmlElement]) -> list[_Group]:
    """Candidates with the same markup signature; and, apart, siblings whose ids follow
    one pattern (`comment-930444`, `comment-930616`) whatever their classes say (a list
    whose items alternate `alt-comment`, none and `author`)."""
    by_signature: dict[tuple[str, tuple[str, ...]], list[HtmlElement]] = {}
    by_id: dict[tuple[HtmlElement | None, str, str], list[HtmlElement]] = {}
    for el in candidates:
        by_signature.setdefault(_signature(el), []).append(el)
        match = _ITEM_ID.match(el.get("id") or "")
        if match:
            pattern = re.sub(r"[0-9a-f]{3,}$", "", el.get("id") or "")
            by_id.setdefault((el.getparent(), el.tag, pattern), []).append(el)
    groups = [_Group(items) for items in by_signature.values()]
    known = {tuple(g.items) for g in groups}
    return groups + [_Group(items) for items in by_id.values() if tuple(items) not in known]


def _best_group(groups: list[_Group]) -> tuple[_Group, list[RawComment]] | None:
    """The group read as the most comments with an author or a time, with its readings;
    only the `SCORED_GROUPS` groups with the most text are judged, each on a sample."""
    groups = sorted(groups, key=_size, reverse=True)[:SCORED_GROUPS]
    best, best_score = None, 0.0
    for group in groups:
        positions = {item: i for i, item in enumerate(group.items)}
        sample = [_read(item, positions) for item in _sample(group.items)]
        score = _score(sample) * len(group.items) / len(sample) if sample else 0.0
        if score > best_score:
            best, best_score = group, score
    if best is None:
        return None
    positions = {item: i for i, item in enumerate(best.items)}
    return best, [_read(item, positions) for item in best.items]


def _sample(items: list[HtmlElement]) -> list[HtmlElement]:
    if len(items) <= SAMPLE:
        return items
    step = len(items) / SAMPLE
    return [items[int(i * step)] for i in range(SAMPLE)]


def _size(group: _Group) -> int:
    return len(group.items) * 50 + sum(min(len(i.text_content()), 2000) for i in group.outermost)


def _score(readings: list[RawComment]) -> float:
    """Comments with text and an author or a time; a group where most blocks are neither,
    or whose texts are mostly a word or two ("1580 Recommendations": a leaderboard), is
    not a comment list."""
    good = [c for c in readings if len(c.text) >= MIN_TEXT and (c.author or c.date)]
    if not good or len(good) < len(readings) / 2:
        return 0.0
    words = sorted(len(c.text.split()) for c in good)
    if len(words) >= LEADERBOARD_MIN and words[len(words) // 2] < MIN_MEDIAN_WORDS:
        return 0.0
    return sum(1.0 + 0.5 * bool(c.author) + 0.5 * bool(c.date) for c in good)


def _read(item: HtmlElement, items: dict[HtmlElement, int]) -> RawComment:
    own = _Own(item, {i for i in item.iterdescendants() if i in items})
    comment = RawComment(
        source_id=source_id(item.get("id")) if _ITEM_ID.match(item.get("id") or "") else None,
        parent_source_id=None,
        author=_first_text(own, AUTHOR, max_length=80),
        date=_date(own),
        text=_text(own),
    )
    if not (comment.author and comment.date):
        _bylines_in_text(comment)
    _drop_echoes(comment)
    return comment


class _Own:
    """One comment's own elements: those of the replies nested in it are not its."""

    def __init__(self, item: HtmlElement, nested: set[HtmlElement]) -> None:
        self.item = item
        self.nested = nested

    def find(self, css: str) -> list[HtmlElement]:
        return [el for el in select(self.item, css)
                if el is not self.item and self.owns(el)]

    def owns(self, el: HtmlElement) -> bool:
        if not self.nested:
            return True
        if el in self.nested:
            return False
        for ancestor in el.iterancestors():
            if ancestor is self.item:
                return True
            if ancestor in self.nested:
                return False
        return False


def _drop_echoes(comment: RawComment) -> None:
    """Lines of the text that only repeat the author or the time read elsewhere."""
    echoes = {v.strip().lower() for v in (comment.author, comment.date) if v}
    if echoes:
        lines = comment.text.split("\n")
        kept = [line for line in lines if line.strip().lower() not in echoes]
        if len(kept) != len(lines):
            comment.text = "\n".join(kept).strip()


def _bylines_in_text(comment: RawComment) -> None:
    """Author and time written as lines of the text ("Kevin said,") move out of it."""
    lines = comment.text.split("\n")
    used = []
    for byline in bylines.find(lines, want_author=not comment.author,
                               want_date=not comment.date):
        if byline.author and not comment.author:
            comment.author = byline.author
            comment.date = comment.date or byline.date
            used.append(byline.line)
        elif byline.date and not comment.date and not byline.author:
            comment.date = byline.date
            used.append(byline.line)
    if used:
        comment.text = "\n".join(line for i, line in enumerate(lines) if i not in used).strip()


def _first_text(own: _Own, css: tuple[str, ...], max_length: int) -> str | None:
    for selector in css:
        for el in own.find(selector):
            value = text_of(el)
            if 0 < len(value) <= max_length and not _DATE_LIKE.fullmatch(value):
                return re.sub(r"\s*(?:says|said|wrote)\s*:?$", "", value, flags=re.I) or None
    return None


def _date(own: _Own) -> str | None:
    for selector in TIME:
        for el in own.find(selector):
            stamp = el.get("datetime") or el.get("title") if el.tag in ("time", "abbr") else None
            value = stamp or _date_part(el)
            if value and len(value) <= 80 and _DATE_LIKE.search(value):
                return value
    return None


def _date_part(el: HtmlElement) -> str:
    """The element's text, or where it says more than the time ("Posted by: Ann at <a>May
    8, 2012 8:55 AM</a>", Movable Type's `p.posted`), the link or span holding the time."""
    value = text_of(el)
    parts = (text_of(part) for part in el.iter("a", "span") if part is not el)
    return next((text for text in parts if text != value and _DATE_LIKE.search(text)), value)


_TEXT_NOISE = ", ".join(NOT_TEXT[:9])
_NOT_TEXT = ", ".join(NOT_TEXT)


def _text(own: _Own) -> str:
    for selector in TEXT:
        for el in own.find(selector):
            if len(text_of(el)) >= MIN_TEXT:
                return render.text(el, {*own.nested, *select(el, _TEXT_NOISE)})
    return render.text(own.item, {*own.nested, *select(own.item, _NOT_TEXT)})
