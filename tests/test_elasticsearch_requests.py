"""What the Elasticsearch backend sends, checked without a cluster: query bodies and bulk
actions against the expected JSON under `fixtures/elasticsearch/`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from archive.search.es_documents import bulk_actions
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


def test_bulk_actions_match_the_expected_json() -> None:
    articles, comments = small_tables()
    actions = {
        "articles": list(bulk_actions([articles], ARTICLE, "pressarchive-articles-v1")),
        "comments": list(bulk_actions(iter([comments]), COMMENT, "pressarchive-comments")),
    }
    expected = json.loads((FIXTURES / "bulk_actions.json").read_text())
    assert json.loads(json.dumps(actions)) == expected


def test_bulk_actions_are_the_same_on_a_rerun() -> None:
    articles, _ = small_tables()
    first = list(bulk_actions([articles, articles], ARTICLE, "i"))
    assert [a["_id"] for a in first] == ["a1", "a1"]
    assert first == list(bulk_actions([articles, articles], ARTICLE, "i"))


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
