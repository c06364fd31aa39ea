"""Search: one query model, two backends (embedded tantivy, Elasticsearch)."""

from archive.search.query import (
    MAX_WINDOW,
    CursorError,
    Hit,
    SearchQuery,
    SearchResult,
    SearchWindowError,
    parse_period,
)

__all__ = ["MAX_WINDOW", "CursorError", "Hit", "SearchQuery", "SearchResult",
           "SearchWindowError", "parse_period"]
