"""`_search` and `_count` over the double's documents.

What is evaluated: `match_all`, `bool` (`must`, `filter`, `must_not`), `term`, `terms` and
`range` on keyword, numeric and date fields (subfields such as `author.keyword` read
their parent's value, values over `ignore_above` are not indexed); sorting by fields and
`_score` with `missing`, `search_after`, `from`/`size`, `track_total_hits`, `_source`
filtering and `composite` aggregations over `terms` sources.

What is enforced as the server does: `from + size` within `index.max_result_window`
(default 10,000), `from` 0 with `search_after`, no index in the path with a point in
time, and the highlighter's `index.highlight.max_analyzed_offset` (default 1,000,000) on
text indexed without offsets unless the request bounds it with `max_analyzed_offset`.

Full-text queries (`match`, `multi_match`, ...) are refused with a 400: analysing text
like Elasticsearch is not something a double can honestly do, so searches with words run
against tantivy and a live cluster (`ELASTICSEARCH_URL`) in the contract suite. Scores are
therefore constant (1.0 with a scoring query, 0.0 for filters only), and a highlight is
`no_match_size` characters from the start of the field.
"""

from __future__ import annotations

import json
from typing import Any

from tests.es_double.cluster import ApiFailure, Index, epoch_millis

MAX_RESULT_WINDOW = 10_000
MAX_ANALYZED_OFFSET = 1_000_000
TEXT_QUERIES = {"match", "multi_match", "match_phrase", "query_string", "simple_query_string",
                "match_bool_prefix", "match_phrase_prefix", "combined_fields"}


def _values(index: Index, doc: dict[str, Any], path: str) -> list[Any]:
    """The indexed values of a field for a document."""
    base = path if path in doc else path.rpartition(".")[0]
    raw = doc.get(base)
    values = raw if isinstance(raw, list) else ([] if raw is None else [raw])
    mapping = index.field_mapping(path) or {}
    limit = mapping.get("ignore_above")
    if mapping.get("type") == "date":
        return [epoch_millis(v) for v in values]
    return [v for v in values if limit is None or len(str(v)) <= limit]


def matches(index: Index, doc: dict[str, Any], query: dict[str, Any]) -> bool:
    (kind, spec), = query.items()
    if kind in TEXT_QUERIES:
        raise ApiFailure(400, "double_unsupported_query",
                         f"the test double does not analyse text: [{kind}] is answered by a "
                         "live cluster (set ELASTICSEARCH_URL) and by tantivy in the contract "
                         "suite")
    if kind == "match_all":
        return True
    if kind == "bool":
        must = spec.get("must", []) + spec.get("filter", [])
        return all(matches(index, doc, q) for q in _list(must)) and \
            not any(matches(index, doc, q) for q in _list(spec.get("must_not", [])))
    if kind in ("term", "terms"):
        (path, wanted), = spec.items()
        wanted = wanted.get("value", wanted) if isinstance(wanted, dict) else wanted
        options = wanted if kind == "terms" else [wanted]
        return any(v in options for v in _values(index, doc, path))
    if kind == "range":
        (path, bounds), = spec.items()
        date = (index.field_mapping(path) or {}).get("type") == "date"
        convert = epoch_millis if date else (lambda v: v)
        return any(_in_range(v, bounds, convert) for v in _values(index, doc, path))
    raise ApiFailure(400, "parsing_exception", f"unknown query [{kind}]")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _in_range(value: Any, bounds: dict[str, Any], convert: Any) -> bool:
    checks = {"gte": lambda b: value >= b, "gt": lambda b: value > b,
              "lte": lambda b: value <= b, "lt": lambda b: value < b}
    return all(check(convert(bounds[op])) for op, check in checks.items() if op in bounds)


def _scoring(query: dict[str, Any]) -> bool:
    (kind, spec), = query.items()
    return kind == "match_all" or (kind == "bool" and bool(spec.get("must")))


def _sort_spec(sort: list[Any]) -> list[tuple[str, str, str]]:
    """(field, order, missing) per sort clause."""
    out = []
    for clause in sort or ["_score"]:
        if isinstance(clause, str):
            out.append((clause, "desc" if clause == "_score" else "asc", "_last"))
            continue
        (name, spec), = clause.items()
        spec = {"order": spec} if isinstance(spec, str) else spec
        default = "desc" if name == "_score" else "asc"
        out.append((name, spec.get("order", default), spec.get("missing", "_last")))
    return out


def _compare(a: list[Any], b: list[Any], spec: list[tuple[str, str, str]]) -> int:
    for x, y, (_name, order, missing) in zip(a, b, spec, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            first = (x is None) == (missing == "_first")
            return -1 if first else 1
        result = -1 if x < y else 1
        return result if order == "asc" else -result
    return 0


def _ordered(hits: list[Any], spec: list[tuple[str, str, str]]) -> list[Any]:
    """`hits` (with their sort values last) in sort order: one stable pass per key, from
    the last key to the first, missing values first or last as asked."""
    for position in reversed(range(len(spec))):
        _name, order, missing = spec[position]
        present = [h for h in hits if h[-1][position] is not None]
        absent = [h for h in hits if h[-1][position] is None]
        present.sort(key=lambda h, p=position: h[-1][p], reverse=order == "desc")
        hits = present + absent if missing == "_last" else absent + present
    return hits


def _sort_values(index: Index, doc: dict[str, Any], score: float,
                 spec: list[tuple[str, str, str]]) -> list[Any]:
    values = []
    for name, order, _missing in spec:
        if name == "_score":
            values.append(score)
            continue
        found = _values(index, doc, name)
        values.append((min(found) if order == "asc" else max(found)) if found else None)
    return values


def _source(doc: dict[str, Any], wanted: Any) -> dict[str, Any] | None:
    if wanted is False:
        return None
    if isinstance(wanted, list):
        return {k: v for k, v in doc.items() if k in wanted}
    return doc


def _check_window(body: dict[str, Any], indices: list[Index]) -> None:
    start, size = int(body.get("from", 0)), int(body.get("size", 10))
    if body.get("search_after") is not None and start > 0:
        raise ApiFailure(400, "illegal_argument_exception",
                         "[from] parameter must be set to 0 when [search_after] is used")
    limit = min((int(i.setting("max_result_window", MAX_RESULT_WINDOW)) for i in indices),
                default=MAX_RESULT_WINDOW)
    if start + size > limit:
        raise ApiFailure(400, "illegal_argument_exception",
                         f"Result window is too large, from + size must be less than or equal "
                         f"to: [{limit}] but was [{start + size}]. See the scroll api for a "
                         "more efficient way to request large data sets. This limit can be set "
                         "by changing the [index.max_result_window] index level setting.")


def _highlight(index: Index, doc: dict[str, Any], spec: dict[str, Any]) -> dict[str, list[str]]:
    out = {}
    bounded = spec.get("max_analyzed_offset") is not None
    for name, options in spec.get("fields", {}).items():
        mapping = index.field_mapping(name) or {}
        value = str(doc.get(name, ""))
        limit = int(index.setting("highlight.max_analyzed_offset", MAX_ANALYZED_OFFSET))
        if mapping.get("index_options") != "offsets" and not bounded and len(value) > limit:
            reason = (f"The length [{len(value)}] of field [{name}] in doc[0]/index[{index.name}] "
                      f"exceeds the [index.highlight.max_analyzed_offset] limit [{limit}]. To "
                      "avoid this error, set the query parameter [max_analyzed_offset] to a "
                      f"value less than index setting [{limit}] and this will tolerate long "
                      "field values by truncating them.")
            raise ApiFailure(400, "search_phase_execution_exception", "all shards failed",
                             phase="fetch", caused_by={"type": "illegal_argument_exception",
                                                       "reason": reason})
        size = int(options.get("no_match_size", 0))
        if size and value:
            out[name] = [value[:size]]
    return out


def search(indices: list[Index], docs: dict[str, dict[str, dict[str, Any]]],
           body: dict[str, Any], cache: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """The `_search` answer over `docs` (index name -> id -> source). `cache` keeps the
    sorted matches per query for documents that cannot change (a point in time's)."""
    _check_window(body, indices)
    by_name = {i.name: i for i in indices}
    query = body.get("query") or {"match_all": {}}
    score = 1.0 if _scoring(query) else 0.0
    spec = _sort_spec(body.get("sort", []))
    key = json.dumps([query, spec], sort_keys=True)
    hits = (cache or {}).get(key)
    if hits is None:
        hits = _ordered([(name, doc_id, doc, _sort_values(by_name[name], doc, score, spec))
                         for name, index_docs in docs.items()
                         for doc_id, doc in index_docs.items()
                         if matches(by_name[name], doc, query)], spec)
        if cache is not None:
            cache[key] = hits
    total = len(hits)
    matched = [(name, doc) for name, _, doc, _ in hits]
    after = body.get("search_after")
    if after is not None:
        hits = [h for h in hits if _compare(h[3], after, spec) > 0]
    start, size = int(body.get("from", 0)), int(body.get("size", 10))
    page = hits[start:start + size]
    sorted_by_field = bool(body.get("sort"))
    answer: dict[str, Any] = {"took": 1, "timed_out": False,
                              "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                              "hits": {"max_score": None if sorted_by_field else score,
                                       "hits": [_hit(by_name[n], i, d, v, score, body,
                                                     sorted_by_field)
                                                for n, i, d, v in page]}}
    tracked = body.get("track_total_hits", MAX_RESULT_WINDOW)
    if tracked is True:
        answer["hits"]["total"] = {"value": total, "relation": "eq"}
    elif tracked is not False:
        answer["hits"]["total"] = {"value": min(total, int(tracked)),
                                   "relation": "eq" if total <= int(tracked) else "gte"}
    aggregations = body.get("aggregations") or body.get("aggs")
    if aggregations:
        answer["aggregations"] = {name: _composite(by_name, matched, agg["composite"])
                                  for name, agg in aggregations.items()}
    return answer


def _hit(index: Index, doc_id: str, doc: dict[str, Any], values: list[Any], score: float,
         body: dict[str, Any], sorted_by_field: bool) -> dict[str, Any]:
    hit: dict[str, Any] = {"_index": index.name, "_id": doc_id,
                           "_score": None if sorted_by_field else score}
    source = _source(doc, body.get("_source", True))
    if source is not None:
        hit["_source"] = source
    if sorted_by_field:
        hit["sort"] = values
    if body.get("highlight"):
        highlighted = _highlight(index, doc, body["highlight"])
        if highlighted:
            hit["highlight"] = highlighted
    return hit


def _composite(indices: dict[str, Index], docs: list[tuple[str, dict[str, Any]]],
               spec: dict[str, Any]) -> dict[str, Any]:
    sources = [(name, src["terms"]["field"]) for source in spec["sources"]
               for name, src in source.items()]
    counts: dict[tuple[Any, ...], int] = {}
    for index_name, doc in docs:
        keys = [_values(indices[index_name], doc, path) for _, path in sources]
        if all(keys):
            for combo in _product(keys):
                counts[combo] = counts.get(combo, 0) + 1
    ordered = sorted(counts)
    after = spec.get("after")
    if after:
        mark = tuple(after[name] for name, _ in sources)
        ordered = [k for k in ordered if k > mark]
    page = ordered[:int(spec.get("size", 10))]
    buckets = [{"key": dict(zip([n for n, _ in sources], key, strict=True)),
                "doc_count": counts[key]} for key in page]
    answer: dict[str, Any] = {"buckets": buckets}
    if buckets:
        answer["after_key"] = buckets[-1]["key"]
    return answer


def _product(lists: list[list[Any]]) -> list[tuple[Any, ...]]:
    combos: list[tuple[Any, ...]] = [()]
    for values in lists:
        combos = [(*c, v) for c in combos for v in sorted(set(values))]
    return combos


def count(indices: list[Index], docs: dict[str, dict[str, dict[str, Any]]],
          body: dict[str, Any] | None) -> int:
    by_name = {i.name: i for i in indices}
    query = (body or {}).get("query") or {"match_all": {}}
    return sum(matches(by_name[n], d, query) for n, index_docs in docs.items()
               for d in index_docs.values())
