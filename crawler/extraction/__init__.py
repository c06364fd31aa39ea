"""Extraction: from a page's HTML and URL to an article record and its comment records.

Independent of Scrapy: the spider, `pressarchive extract` and `pressarchive reprocess`
all call `extract_page`. The names below are imported when first used, so that a module
that needs only a helper (`crawler.extraction.urls` in `process`) does not load
trafilatura and the page readers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.extraction.page import Overrides, PageContext, extract_page
    from crawler.extraction.records import (
        ExtractedArticle,
        ExtractedComment,
        ExtractedPage,
        ResolvedDate,
    )

_HOMES = {"Overrides": "page", "PageContext": "page", "extract_page": "page",
          "ExtractedArticle": "records", "ExtractedComment": "records",
          "ExtractedPage": "records", "ResolvedDate": "records"}

__all__ = [
    "ExtractedArticle",
    "ExtractedComment",
    "ExtractedPage",
    "Overrides",
    "PageContext",
    "ResolvedDate",
    "extract_page",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
