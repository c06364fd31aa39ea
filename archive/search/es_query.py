"""The query model (`SearchQuery`) as Elasticsearch query DSL, and hits back as `Hit`s.

Semantics are those of the embedded backend: every word and every "quoted phrase" must
match in at least one of the searched fields; filters on the publication period
(`gte` from, `lt` before), the exact site and the exact author.

Each word is one `multi_match` of type `best_fields` with `operator: and`:

- `best_fields` runs one match query per field and keeps the best (a dis_max), so the word
  matches when it matches in any one field, exactly as tantivy's query over several
  default fields does. `cross_fields` would instead treat the fields as one blended field
  and group them by analyzer, which changes both matching and scores.
- `operator: and` matters only for a word the analyzer splits (`e-mail`): all its pieces
  must be in the same field, close to tantivy, which turns such a word into a phrase.
- Each field is searched twice: English-stemmed (`text`) and as written (`text.std`,
  standard analyzer). Tantivy's `en_stem` keeps stop words, the English analyzer drops
  them, so without `.std` a word like "the" would match nothing and sink the whole query.

Each phrase is a `multi_match` of type `phrase` over the same fields. The snippet is the
`text` field highlighted with `<b>…</b>` (HTML-encoded around the tags, like tantivy's
`to_html`), or its first 240 characters when nothing in it matched. Highlighting is
bounded twice: the text is indexed with offsets (no re-analysis), and the request sets
`max_analyzed_offset` below the index's limit, so a document longer than a million
characters is highlighted in its first part instead of failing the whole search.

Pages past the first one the cursor way carry `search_after` (the sort values of the
previous page's last hit, the primary key breaking ties) and a point in time, and name no
index: the point in time fixes what they see.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from archive.search.es_documents import json_value
from archive.search.query import AUTHOR_FIELD, Hit, SearchQuery, SearchResult
from schemas.elasticsearch import exact_field
from schemas.records import ENTITIES

SNIPPET_CHARS = 240
SNIPPET_FIELD = "text"
# Below the default `index.highlight.max_analyzed_offset` (1,000,000), which it must not
# exceed to take effect.
HIGHLIGHT_MAX_ANALYZED_OFFSET = 999_999
PIT_KEEP_ALIVE = "5m"
HIT_SOURCE: dict[str, list[str]] = {
    "articles": ["article_id", "title", "authors", "published_at", "site", "url"],
    "comments": ["comment_id", "article_id", "article_title", "author", "published_at",
                 "site", "article_url"],
}


def search_fields(query: SearchQuery) -> list[str]:
    """Each searched field, stemmed and as written."""
    return [name for field in query.fields for name in (field, f"{field}.std")]


def _text_clauses(query: SearchQuery) -> list[dict[str, Any]]:
    fields = search_fields(query)
    clauses: list[dict[str, Any]] = [
        {"multi_match": {"query": term, "fields": fields, "type": "best_fields",
                         "operator": "and"}}
        for term in query.terms]
    clauses += [{"multi_match": {"query": phrase, "fields": fields, "type": "phrase"}}
                for phrase in query.phrases]
    return clauses


def _filters(query: SearchQuery) -> list[dict[str, Any]]:
    entity = ENTITIES[query.kind]
    filters: list[dict[str, Any]] = []
    if query.published_from or query.published_before:
        bounds: dict[str, Any] = {"format": "strict_date_optional_time"}
        if query.published_from:
            bounds["gte"] = json_value(query.published_from)
        if query.published_before:
            bounds["lt"] = json_value(query.published_before)
        filters.append({"range": {"published_at": bounds}})
    if query.site:
        filters.append({"term": {exact_field(entity, "site"): query.site}})
    if query.author:
        filters.append({"term": {exact_field(entity, AUTHOR_FIELD[query.kind]): query.author}})
    return filters


def _sort(query: SearchQuery) -> list[Any]:
    tie_breaker = {ENTITIES[query.kind].primary_key: "asc"}
    if query.sort == "relevance":
        return ["_score", tie_breaker]
    order = "desc" if query.sort == "newest" else "asc"
    return [{"published_at": {"order": order, "missing": "_last"}}, tie_breaker]


def to_query_body(query: SearchQuery, *, pit: str | None = None,
                  search_after: list[Any] | None = None) -> dict[str, Any]:
    """The `_search` request body for `query` (a pure function: no client, no cluster);
    with `pit` and `search_after` for a page after the first."""
    must, filters = _text_clauses(query), _filters(query)
    compiled: dict[str, Any] = {"match_all": {}}
    if must or filters:
        compiled = {"bool": {}}
        if must:
            compiled["bool"]["must"] = must
        if filters:
            compiled["bool"]["filter"] = filters
    body: dict[str, Any] = {
        "query": compiled,
        "sort": _sort(query),
        "from": query.offset,
        "size": query.limit,
        "track_total_hits": True,
        "_source": HIT_SOURCE[query.kind],
        "highlight": {
            "pre_tags": ["<b>"],
            "post_tags": ["</b>"],
            "encoder": "html",
            "max_analyzed_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET,
            "fields": {SNIPPET_FIELD: {"fragment_size": SNIPPET_CHARS,
                                       "number_of_fragments": 1,
                                       "no_match_size": SNIPPET_CHARS}},
        },
    }
    if pit is not None:
        del body["from"]
        body["pit"] = {"id": pit, "keep_alive": PIT_KEEP_ALIVE}
        body["search_after"] = search_after
    return body


def _timestamp(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def to_hit(query: SearchQuery, raw: dict[str, Any]) -> Hit:
    """One element of `hits.hits` as the `Hit` the embedded backend would return."""
    source = raw.get("_source", {})
    fragments = raw.get("highlight", {}).get(SNIPPET_FIELD) or [""]
    score = raw.get("_score") if query.sort == "relevance" else None
    when = _timestamp(source.get("published_at"))
    if query.kind == "articles":
        return Hit("articles", source["article_id"], source.get("title"),
                   list(source.get("authors") or []), when, source.get("site", ""),
                   source.get("url", ""), fragments[0], score, source["article_id"])
    author = source.get("author")
    return Hit("comments", source["comment_id"], source.get("article_title"),
               [author] if author else [], when, source.get("site", ""),
               source.get("article_url", ""), fragments[0], score, source.get("article_id"))


def to_result(query: SearchQuery, response: dict[str, Any]) -> SearchResult:
    hits = response.get("hits", {})
    total = hits.get("total", {})
    count = total.get("value", 0) if isinstance(total, dict) else int(total or 0)
    return SearchResult(count, [to_hit(query, raw) for raw in hits.get("hits", [])])


def last_sort(response: dict[str, Any]) -> list[Any] | None:
    """The sort values of the last hit: where the next page starts."""
    hits = response.get("hits", {}).get("hits", [])
    return hits[-1].get("sort") if hits else None
