"""Posts split over several pages (WordPress's `<!--nextpage-->`, "Pages: 1 2 3" links).

Every part is the same article: its id is the first part's, its comments (which every part
repeats) are read once, from the first part, and the other parts only add text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.html import HtmlElement

from crawler.extraction.document import select, text_of

LINKS = ("a.post-page-numbers", ".page-links a", ".post-nav-links a", ".wp-link-pages a",
         ".pagelink a", ".post-pages a")
CURRENT = ("span.post-page-numbers.current", ".page-links .current", ".post-nav-links .current")
_PAGED_BODY = re.compile(r"^(?:single|page|post-type)-paged-(\d+)$")
_NUMBER = re.compile(r"^\D{0,12}?(\d{1,3})$")


@dataclass(frozen=True)
class PostParts:
    number: int = 1
    """Which part this page is (1 for the first, or for a post in one part)."""
    first: str | None = None
    """The first part's URL, where this page is a later part."""
    others: list[str] = field(default_factory=list)
    """The other parts' URLs, in order."""


def post_parts(tree: HtmlElement, url: str) -> PostParts:
    links = _numbered_links(tree, url)
    if not links:
        return PostParts()
    number = _current(tree) or 1
    if number not in links:
        links[number] = url
    others = [href for n, href in sorted(links.items()) if n != number]
    return PostParts(number, links.get(1) if number > 1 else None, others)


def _numbered_links(tree: HtmlElement, url: str) -> dict[int, str]:
    for css in LINKS:
        found = {}
        for a in select(tree, css):
            match = _NUMBER.match(text_of(a))
            if match and a.get("href"):
                found.setdefault(int(match.group(1)), urljoin(url, a.get("href")))
        if found:
            return found
    return {}


def _current(tree: HtmlElement) -> int | None:
    body = tree.find("body")
    for css_class in body.classes if body is not None else ():
        match = _PAGED_BODY.match(css_class)
        if match:
            return int(match.group(1))
    for css in CURRENT:
        for el in select(tree, css):
            match = _NUMBER.match(text_of(el))
            if match:
                return int(match.group(1))
    return None
