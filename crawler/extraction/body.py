"""The main text of an article: its layout's body container, else trafilatura.

A layout that names its body container (a site file's selectors, a theme's markup such as
`.wp-block-post-content`, `[itemprop=articleBody]`) is read element by element with the
boilerplate inside it removed. A page whose container is not known is read by trafilatura,
which scores every block of the page; the comment sections already found are pruned first,
so that reader comments never end up in the article text.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml.html import HtmlElement

from crawler.extraction import render, selectors
from crawler.extraction.document import select

logger = logging.getLogger(__name__)
MIN_BODY_CHARS = 200


@dataclass(frozen=True)
class Body:
    text: str
    source: str
    """What read it: `override`, the container selector, `trafilatura` or `none`."""


def without(root: HtmlElement, css: tuple[str, ...]) -> HtmlElement:
    """A copy of `root` without the elements matching `css`."""
    clean = copy.deepcopy(root)
    if not css:
        return clean
    for el in select(clean, ", ".join(css)):  # one pass over the tree for every selector
        if el.getparent() is not None and el is not clean:
            el.drop_tree()
    return clean


def drop(elements: Iterable[HtmlElement]) -> None:
    """Remove `elements` from their tree, keeping the text that follows each."""
    for el in elements:
        if el.getparent() is not None:
            el.drop_tree()


def strip_boilerplate(root: HtmlElement, extra: tuple[str, ...] = ()) -> HtmlElement:
    """A copy of `root` without navigation, chrome, share, newsletter and related blocks."""
    return without(root, (*selectors.BOILERPLATE, *extra))


def outermost(elements: list[HtmlElement]) -> list[HtmlElement]:
    """The elements not inside another one of them, once each, in the order given."""
    chosen = set(elements)
    unique = list(dict.fromkeys(elements))
    return [el for el in unique if not any(a in chosen for a in el.iterancestors())]


def containers(tree: HtmlElement, candidates: tuple[str, ...],
               regions: set[HtmlElement] | None = None) -> list[HtmlElement]:
    """The first candidate selector's matches that hold enough text together, outside
    sidebars, widgets and comment sections (`regions`, by default `NOT_BODY_REGIONS`): a
    body may be one element or several (`<p itemprop=articleBody>` per paragraph); matches
    under different parents are separate candidates, and the one with the most text wins,
    with the blocks that continue it."""
    if regions is None:
        regions = set(select(tree, ", ".join(selectors.NOT_BODY_REGIONS)))
    for selector in candidates:
        found = [el for el in outermost(select(tree, selector))
                 if not any(a in regions for a in el.iterancestors())]
        groups: dict[HtmlElement | None, list[HtmlElement]] = {}
        for el in found:
            groups.setdefault(el.getparent(), []).append(el)
        best = with_continuations(max(groups.values(), key=_text_length, default=[]), regions)
        if _text_length(best) >= MIN_BODY_CHARS:
            return best
    return []


def with_continuations(found: list[HtmlElement],
                       regions: set[HtmlElement]) -> list[HtmlElement]:
    """A body container and the blocks that continue it: a body split by ads or widgets
    into sibling blocks of one kind, the first marked (the Washington Post's
    `div.article_body.entry-content`, then `div.article_body` after each ad). A sibling
    continues it when it has the container's tag and only class names the container has."""
    if len(found) != 1 or found[0].getparent() is None or not found[0].classes:
        return found
    container = found[0]
    names = set(container.classes)
    blocks = [el for el in container.getparent()
              if el is container or (el.tag == container.tag and el.classes
                                     and set(el.classes) <= names and el not in regions)]
    return blocks if len(blocks) > 1 else found


def _text_length(elements: list[HtmlElement]) -> int:
    return sum(len(el.text_content().strip()) for el in elements)


def container_text(found: list[HtmlElement]) -> str:
    return "\n\n".join(t for el in found if (t := render.text(without_link_lists(
        strip_boilerplate(el)))))


LINK_LIST_TAGS = ("ul", "ol", "div", "section", "table")
LINK_LIST_MIN_LINKS = 3
LINK_LIST_DENSITY = 0.7


def without_link_lists(root: HtmlElement) -> HtmlElement:
    """`root` (changed in place) without the blocks that are mostly links: related posts,
    "more from", tag clouds and share bars that no class name gave away."""
    for el in list(root.iter(*LINK_LIST_TAGS)):
        if el is root or el.getparent() is None:
            continue
        links = el.findall(".//a")
        if len(links) < LINK_LIST_MIN_LINKS:
            continue
        text = len("".join(el.itertext()).strip())
        linked = sum(len("".join(a.itertext()).strip()) for a in links)
        if text and linked / text >= LINK_LIST_DENSITY:
            el.drop_tree()
    return root


def main_text(tree: HtmlElement, body_selectors: tuple[str, ...] = (),
              layout: tuple[str, ...] = ()) -> Body:
    """The article's main text; `tree` must already be free of comment sections.

    A site file's `body_selectors` are taken as they are; the `layout`'s own containers
    are tried before the generic ones, under the same checks."""
    if body_selectors:
        return Body(container_text(outermost(
            [el for css in body_selectors for el in select(tree, css)])), "override")
    regions = set(select(tree, ", ".join(selectors.NOT_BODY_REGIONS)))
    for selector in (*layout, *selectors.BODY):
        found = containers(tree, (selector,), regions)
        if found:
            text = container_text(found)
            if len(text) >= MIN_BODY_CHARS:
                return Body(text, selector)
    return generic_text(tree)


SHORT_GENERIC_TEXT = 400


def generic_text(tree: HtmlElement) -> Body:
    """trafilatura's reading of a page whose body container is unknown: its fast reading,
    and where that is short (a post in a misused `<aside>`, text written between `<br>`s), its
    full one with the readability and jusText fallbacks, if longer. (The full reading of
    every page is slower and, on dragnet-train, less accurate.)"""
    text = _trafilatura(tree, fast=True)
    if len(text) < SHORT_GENERIC_TEXT:
        text = max(text, _trafilatura(tree, fast=False), key=len)
    return Body(text, "trafilatura" if text else "none")


def _trafilatura(tree: HtmlElement, *, fast: bool) -> str:
    return trafilatura.extract(copy.deepcopy(tree), fast=fast, include_comments=False,
                               include_tables=True) or ""


def html_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment such as a REST API `content.rendered`, read like a page body."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return render.text(strip_boilerplate(root))
