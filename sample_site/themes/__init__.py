"""The three page layouts, looked up by `Site.theme`."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sample_site.themes import classic, structured
from sample_site.themes import print as print_view
from sample_site.themes.base import ArticleView, RenderContext
from sample_site.themes.listing import Listing


class Theme(NamedTuple):
    render_article: Callable[[RenderContext, ArticleView], str]
    render_listing: Callable[[RenderContext, Listing], str]


THEMES = {
    "classic": Theme(classic.render_article, classic.render_listing),
    "print": Theme(print_view.render_article, print_view.render_listing),
    "structured": Theme(structured.render_article, structured.render_listing),
}


def theme_for(name: str) -> Theme:
    return THEMES[name]
