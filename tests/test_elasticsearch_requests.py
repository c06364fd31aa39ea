"""What the Elasticsearch backend sends, checked without a cluster: query bodies and bulk
actions against the expected JSON under `fixtures/elasticsearch/`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from archive.search.es_documents import BulkDoc, bulk_actions, document_id
from archive.search.es_query import to_hit, to_query_body
from archive.search.query import SearchQuery
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from schemas.records import ARTICLE, COMMENT

FIXTURES = Path(__file__).parent / "fixtures" / "elasticsearch"
QUERY_CASES = sorted((FIXTURES / "queries").glob("*.json"))
SEEN = datetime(2019, 3, 2, 6, 0, 0, 123456, tzinfo=UTC)


def query_from(spec: dict[str, Any]) -> SearchQuery:
    fields = dict(spec)
    for name in ("published_from", "published_before"):
        if name in fields:
            fields[name] = datetime.fromisoformat(fields[name].replace("Z", "+00:00"))
    return SearchQuery(**fields)


@pytest.mark.parametrize("path", QUERY_CASES, ids=[p.stem for p in QUERY_CASES])
def test_query_body_matches_the_expected_json(path: Path) -> None:
    case = json.loads(path.read_text())
    assert to_query_body(query_from(case["query"])) == case["body"]


def test_query_body_is_json_and_never_a_raw_query_string() -> None:
    body = to_query_body(SearchQuery('site:evil.org OR title:* "a\\" b'))
    assert "query_string" not in json.dumps(body)
    assert [c["multi_match"]["query"] for c in body["query"]["bool"]["must"]] == [
        "site:evil.org", "OR", "title:*", "b", "a\\"]


def small_tables() -> tuple[pa.Table, pa.Table]:
    article = {"article_id": "a1", "url": "https://example.org/a1", "site": "example.org",
               "title": "The war on drugs", "authors": ["Jane Doe", "Ann Lee"],
               "published_at": datetime(2019, 2, 11, 13, 26, tzinfo=UTC), "text": "Body.",
               "tags": [], "word_count": 1, "comment_count": 1, "content_hash": "h1",
               "first_seen_at": SEEN, "last_seen_at": SEEN, "fetched_at": SEEN,
               "crawl_run_id": "run-1", "month": "2019-02"}
    comment = {"comment_id": "a1-1", "article_id": "a1", "author": "SteveM",
               "published_at": None, "published_raw": "last Tuesday",
               "date_flags": ["unparsed_date"], "text": "Legalise it.", "position": 1,
               "word_count": 2, "content_hash": "c1", "edited": True, "site": "example.org",
               "article_title": "The war on drugs", "article_url": "https://example.org/a1",
               "first_seen_at": SEEN, "last_seen_at": SEEN, "fetched_at": SEEN,
               "crawl_run_id": "run-1", "month": "2019-02"}
    return (pa.Table.from_pylist([article], schema=ARTICLE_SCHEMA),
            pa.Table.from_pylist([comment], schema=COMMENT_SCHEMA))


def as_json(doc: BulkDoc) -> dict[str, Any]:
    return {**doc.action, "_source": json.loads(doc.action["_source"])}


def test_bulk_actions_match_the_expected_json() -> None:
    articles, comments = small_tables()
    actions = {
        "articles": [as_json(d) for d in
                     bulk_actions([articles], ARTICLE, "pressarchive-articles-v1")],
        "comments": [as_json(d) for d in
                     bulk_actions(iter([comments]), COMMENT, "pressarchive-comments")],
    }
    expected = json.loads((FIXTURES / "bulk_actions.json").read_text())
    assert actions == expected


def test_bulk_actions_are_the_same_on_a_rerun() -> None:
    articles, _ = small_tables()
    first = list(bulk_actions([articles, articles], ARTICLE, "i"))
    assert [d.doc_id for d in first] == ["a1", "a1"]
    assert first == list(bulk_actions([articles, articles], ARTICLE, "i"))


def test_a_key_over_512_bytes_becomes_a_stable_hashed_id_and_stays_in_its_field() -> None:
    _, comments = small_tables()
    long_key = "a1-" + "é" * 300  # 603 bytes in UTF-8
    row = {**comments.to_pylist()[0], "comment_id": long_key}
    [doc] = bulk_actions([pa.Table.from_pylist([row], schema=COMMENT_SCHEMA)], COMMENT, "i")
    assert doc.doc_id == document_id(long_key) == document_id(long_key)
    assert doc.doc_id.startswith("sha256-") and len(doc.doc_id) == 71
    assert doc.key == long_key and json.loads(doc.action["_source"])["comment_id"] == long_key
    assert document_id("a" * 512) == "a" * 512


def test_the_time_field_falls_back_to_first_seen_and_says_so() -> None:
    articles, comments = small_tables()
    [article] = bulk_actions([articles], ARTICLE, "i")
    [comment] = bulk_actions([comments], COMMENT, "i")
    assert json.loads(article.action["_source"])["timestamp_source"] == "published"
    undated = json.loads(comment.action["_source"])
    assert "published_at" not in undated and undated["timestamp_source"] == "first_seen"
    assert undated["@timestamp"] == undated["first_seen_at"]


def test_a_cursor_page_reads_a_point_in_time_after_the_last_sort_values() -> None:
    body = to_query_body(SearchQuery("war", kind="comments", sort="newest", limit=50),
                         pit="pit-1", search_after=[1549891560000, "a1-1"])
    assert "from" not in body and body["size"] == 50
    assert body["pit"] == {"id": "pit-1", "keep_alive": "5m"}
    assert body["search_after"] == [1549891560000, "a1-1"]
    assert body["sort"][-1] == {"comment_id": "asc"}  # the tie-breaker makes the order total


def test_highlighting_is_bounded() -> None:
    highlight = to_query_body(SearchQuery("war"))["highlight"]
    assert 0 < highlight["max_analyzed_offset"] < 1_000_000
    assert highlight["fields"]["text"]["fragment_size"] == 240


def test_a_row_without_its_id_is_refused() -> None:
    articles, _ = small_tables()
    broken = articles.set_column(0, "article_id", pa.array([None], pa.string()))
    with pytest.raises(ValueError, match="without article_id"):
        list(bulk_actions([broken], ARTICLE, "i"))


def test_hits_become_the_same_hit_objects_as_tantivy_returns() -> None:
    raw = {"_id": "a1-1", "_score": 1.5,
           "_source": {"comment_id": "a1-1", "article_id": "a1", "author": "SteveM",
                       "article_title": "The war", "published_at": "2019-02-11T13:30:00Z",
                       "site": "example.org", "article_url": "https://example.org/a1"},
           "highlight": {"text": ["the <b>war</b> &lt;script&gt;"]}}
    hit = to_hit(SearchQuery("war", kind="comments"), raw)
    assert hit.to_dict() == {
        "kind": "comments", "id": "a1-1", "title": "The war", "authors": ["SteveM"],
        "published_at": "2019-02-11T13:30:00+00:00", "site": "example.org",
        "url": "https://example.org/a1", "snippet": "the <b>war</b> &lt;script&gt;",
        "score": 1.5, "article_id": "a1"}
    assert to_hit(SearchQuery("war", kind="comments", sort="newest"), raw).score is None
