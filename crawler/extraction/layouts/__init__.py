"""Article layouts: which page object reads a page's title, byline, dates and terms.

A layout is an `ArticleMarkup` (selectors as data) or a module with a `read_page`; the
first layout whose markup the page carries reads it, `generic` reads every other page.
Structured data (JSON-LD, OpenGraph, microdata) is read beside it in `metadata`; a site
file's selectors win over both.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.layouts import generic, wordpress
from crawler.extraction.layouts.markup import ArticleMarkup, applies, read
from crawler.extraction.metadata import Metadata

THEMES: tuple[ArticleMarkup, ...] = (wordpress.BLOCK, wordpress.CLASSIC)


@dataclass(frozen=True)
class LayoutReading:
    layout: str
    metadata: Metadata
    body: tuple[str, ...]
    """The layout's own body containers, tried before the generic ones."""


def read_layout(tree: HtmlElement) -> LayoutReading:
    for markup in THEMES:
        if applies(tree, markup):
            return LayoutReading(markup.name, read(tree, markup), markup.body)
    return LayoutReading(generic.MARKUP.name, generic.read_page(tree), ())


__all__ = ["ArticleMarkup", "LayoutReading", "read_layout"]
