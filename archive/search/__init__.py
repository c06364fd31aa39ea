"""Search: one query model, two backends (embedded tantivy, Elasticsearch)."""

from archive.search.query import Hit, SearchQuery, SearchResult, parse_period

__all__ = ["Hit", "SearchQuery", "SearchResult", "parse_period"]
