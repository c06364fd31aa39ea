"""The same queries, the same hits: the embedded index always, Elasticsearch when reachable.

`fixtures/elasticsearch/search_cases.json` lists SearchQuery cases over the rows of
`rows.json` with the ids each must return. The tantivy backend is checked against them on
every run. Tests marked `elasticsearch` index the same rows through `archive.index.index`
into the cluster at `ELASTICSEARCH_URL` (under a throwaway index prefix), assert that it
returns the same ids as tantivy, that a reindex swaps the aliases and leaves the count
unchanged, and clean up after themselves; without a cluster they skip.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from archive.layout import DataDir
from archive.search.query import SearchQuery
from archive.search.tantivy_index import TantivyIndex
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA

FIXTURES = Path(__file__).parent / "fixtures" / "elasticsearch"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "search_cases.json").read_text())
SEEN = datetime(2019, 3, 2, tzinfo=UTC)
NO_CLUSTER = "ELASTICSEARCH_URL not set: no cluster to test against"


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def fixture_tables() -> dict[str, pa.Table]:
    """`rows.json` completed with the bookkeeping columns the schemas require."""
    rows = json.loads((FIXTURES / "rows.json").read_text())
    articles = {a["article_id"]: a for a in rows["articles"]}
    common = {"first_seen_at": SEEN, "last_seen_at": SEEN, "fetched_at": SEEN,
              "crawl_run_id": "fixture"}
    for article in articles.values():
        when = _when(article["published_at"])
        article.update(common, published_at=when, url=f"https://{article['site']}/"
                       f"{article['article_id']}", month=f"{when:%Y-%m}" if when else "unknown",
                       word_count=len(article["text"].split()), content_hash="h-" +
                       article["article_id"], comment_count=sum(
                           c["article_id"] == article["article_id"] for c in rows["comments"]))
    for position, comment in enumerate(rows["comments"], start=1):
        article = articles[comment["article_id"]]
        comment.update(common, published_at=_when(comment["published_at"]),
                       site=article["site"], article_title=article["title"],
                       article_url=article["url"], month=article["month"], position=position,
                       edited=False, word_count=len(comment["text"].split()),
                       content_hash="h-" + comment["comment_id"])
    return {"articles": pa.Table.from_pylist(list(articles.values()), schema=ARTICLE_SCHEMA),
            "comments": pa.Table.from_pylist(rows["comments"], schema=COMMENT_SCHEMA)}


def to_query(spec: dict[str, Any]) -> SearchQuery:
    fields = dict(spec)
    for name in ("published_from", "published_before"):
        if name in fields:
            fields[name] = _when(fields[name])
    return SearchQuery(**{"limit": 50, **fields})


def ids(backend: Any, case: dict[str, Any]) -> list[str]:
    found = [hit.id for hit in backend.search(to_query(case["query"])).hits]
    return found if case["ordered"] else sorted(found)


@pytest.fixture(scope="module")
def tantivy(tmp_path_factory: pytest.TempPathFactory) -> TantivyIndex:
    index = TantivyIndex(tmp_path_factory.mktemp("tantivy"))
    version = index.new_version()
    for entity, table in fixture_tables().items():
        index.upsert(version, entity, iter([table]))
    index.publish(version)
    return index


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_tantivy_answers_the_cases(tantivy: TantivyIndex, case: dict[str, Any]) -> None:
    assert ids(tantivy, case) == case["ids"]


def test_fixture_rows_fit_the_strict_mapping() -> None:
    """Every column the fixture sends is mapped (dynamic: strict would reject it)."""
    from schemas.elasticsearch import mappings
    from schemas.records import ENTITIES

    for entity, table in fixture_tables().items():
        assert set(table.column_names) <= set(mappings(ENTITIES[entity])["properties"])


# --- against a live cluster ------------------------------------------------------------------

def write_archive(data: DataDir) -> None:
    from archive.process import Archive

    archive = Archive.open(data)
    for entity, table in fixture_tables().items():
        store = getattr(archive, entity)
        for site, month in {(r["site"], r["month"]) for r in table.to_pylist()}:
            rows = table.filter(pc.and_(pc.equal(table["site"], site),
                                        pc.equal(table["month"], month)))
            store.write((site, month), rows)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip(NO_CLUSTER)
    from archive.index import index, open_backend
    from archive.search.es_errors import ElasticsearchError

    data = DataDir.at(tmp_path_factory.mktemp("live"))
    write_archive(data)
    prefix = f"pressarchive-test-{uuid.uuid4().hex[:8]}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ELASTICSEARCH_INDEX_PREFIX", prefix)
        backend = open_backend(data, url)
        try:
            backend.current()
        except ElasticsearchError as exc:
            pytest.skip(f"ELASTICSEARCH_URL set but unusable: {exc}")
        try:
            figures = index(data, elasticsearch=url, full=True)
            yield {"data": data, "url": url, "backend": backend, "figures": figures}
        finally:
            client = backend.client
            found = client.indices.resolve_index(name=f"{prefix}-*").body["indices"]
            for name in sorted(i["name"] for i in found):
                client.indices.delete(index=name)
            for entity in ("articles", "comments"):
                client.options(ignore_status=404).indices.delete_index_template(
                    name=f"{prefix}-{entity}")


@pytest.mark.elasticsearch
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_elasticsearch_returns_the_same_hits(live: dict[str, Any], tantivy: TantivyIndex,
                                              case: dict[str, Any]) -> None:
    assert ids(live["backend"], case) == ids(tantivy, case) == case["ids"]


@pytest.mark.elasticsearch
def test_elasticsearch_hits_carry_the_same_fields(live: dict[str, Any],
                                                  tantivy: TantivyIndex) -> None:
    query = SearchQuery("drugs", kind="comments", sort="oldest")
    ours, theirs = live["backend"].search(query).hits, tantivy.search(query).hits
    for es_hit, tv_hit in zip(ours, theirs, strict=True):
        assert (es_hit.id, es_hit.title, es_hit.authors, es_hit.site, es_hit.url,
                es_hit.article_id) == (tv_hit.id, tv_hit.title, tv_hit.authors, tv_hit.site,
                                       tv_hit.url, tv_hit.article_id)
        assert es_hit.published_at == tv_hit.published_at.replace(tzinfo=UTC)
    snippet = live["backend"].search(SearchQuery("prices")).hits[0].snippet
    assert "<b>" in snippet and "<script>" not in snippet  # highlighted, HTML-encoded


@pytest.mark.elasticsearch
def test_reindex_twice_swaps_the_alias_and_keeps_the_count(live: dict[str, Any]) -> None:
    from archive.index import index

    backend, data, url = live["backend"], live["data"], live["url"]
    before = backend.current()
    counts = (backend.count("articles"), backend.count("comments"))
    assert counts == (5, 4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ELASTICSEARCH_INDEX_PREFIX", backend.indices.prefix)
        first = index(data, elasticsearch=url, full=True)
        second = index(data, elasticsearch=url, full=True)
        incremental = index(data, elasticsearch=url)
    assert before != first["version"] != second["version"] == backend.current()
    assert incremental["full"] is False and incremental["articles/documents"] == 0
    assert (backend.count("articles"), backend.count("comments")) == counts
    remaining = backend.client.indices.resolve_index(
        name=f"{backend.indices.prefix}-*").body["indices"]
    assert sorted(i["name"] for i in remaining) == sorted(
        backend.indices.index(e, second["version"]) for e in ("articles", "comments"))
