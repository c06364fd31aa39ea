"""Extraction: from a page's HTML and URL to an article record and its comment records.

Independent of Scrapy: the spider, `pressarchive extract` and `pressarchive reprocess`
all call `extract_page`.
"""

from crawler.extraction.page import Overrides, PageContext, extract_page
from crawler.extraction.records import (
    ExtractedArticle,
    ExtractedComment,
    ExtractedPage,
    ResolvedDate,
)

__all__ = [
    "ExtractedArticle",
    "ExtractedComment",
    "ExtractedPage",
    "Overrides",
    "PageContext",
    "ResolvedDate",
    "extract_page",
]
