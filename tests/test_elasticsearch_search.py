"""The search contract, one suite for every backend: the embedded tantivy index, the double
of the compose stack's cluster, and the live cluster at `ELASTICSEARCH_URL` (skipped with
the reason when there is none).

Each backend indexes the same archives through `archive.index.index`: the rows of
`fixtures/elasticsearch/rows.json` with the cases of `search_cases.json` (the ids each
query must return), and a deep archive of 10,050 comments and one 2,000,000-character
article. The double does not analyse text, so the cases with words run on tantivy and the
live cluster; paging, filters, the window, cursors and long documents run everywhere.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from archive.index import Backend, index
from archive.layout import DataDir
from archive.search import MAX_WINDOW, CursorError, SearchQuery, SearchWindowError
from archive.search.elasticsearch_backend import ElasticsearchBackend
from archive.search.tantivy_index import TantivyIndex
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from tests.es_double import ElasticsearchDouble
from tests.es_support import STACK_VERSION, article_row, comment_row, tables, write_archive

FIXTURES = Path(__file__).parent / "fixtures" / "elasticsearch"
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "search_cases.json").read_text())
SEEN = datetime(2019, 3, 2, tzinfo=UTC)
DEEP = MAX_WINDOW + 50
DEEP_START = datetime(2019, 2, 1, tzinfo=UTC)
NO_CLUSTER = "ELASTICSEARCH_URL not set: no cluster to test against"
NO_ANALYSIS = "the double does not analyse text: this case runs on tantivy and a live cluster"


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
                       edited=False, edit_count=0, word_count=len(comment["text"].split()),
                       content_hash="h-" + comment["comment_id"])
    return {"articles": pa.Table.from_pylist(list(articles.values()), schema=ARTICLE_SCHEMA),
            "comments": pa.Table.from_pylist(rows["comments"], schema=COMMENT_SCHEMA)}


def deep_tables() -> dict[str, pa.Table]:
    """10,050 comments a minute apart on one article, and one very long article."""
    thread = article_row("deep", site="deep.example")
    long = article_row("long", site="long.example",
                       text=("needle " + "hay " * 499_998)[:2_000_000])
    comments = [comment_row(f"deep-{i:05d}", thread, position=i + 1,
                            published_at=DEEP_START + timedelta(minutes=i)) for i in range(DEEP)]
    return tables([thread, long], comments)


@dataclass
class Searched:
    kind: str
    cases: Backend
    deep: Backend
    cases_data: DataDir
    url: str | None = None

    @property
    def analyses_text(self) -> bool:
        return self.kind != "elasticsearch-double"


def _build_tantivy(root: Path, *, deep: bool = True) -> Searched:
    built: dict[str, Backend] = {}
    datasets = [("cases", fixture_tables())] + ([("deep", deep_tables())] if deep else [])
    for name, data in datasets:
        directory = DataDir.at(root / name)
        write_archive(directory, data)
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("ELASTICSEARCH_URL", raising=False)
            index(directory)
        built[name] = TantivyIndex(directory.index)
    return Searched("tantivy", built["cases"], built.get("deep", built["cases"]),
                    DataDir.at(root / "cases"))


def _build_elasticsearch(kind: str, url: str, root: Path, prefixes: list[str]) -> Searched:
    built = {}
    for name, data in (("cases", fixture_tables()), ("deep", deep_tables())):
        directory = DataDir.at(root / name)
        write_archive(directory, data)
        prefix = f"pressarchive-test-{uuid.uuid4().hex[:8]}"
        prefixes.append(prefix)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ELASTICSEARCH_INDEX_PREFIX", prefix)
            index(directory, elasticsearch=url)
            built[name] = ElasticsearchBackend.from_env(url, data=directory)
    return Searched(kind, built["cases"], built["deep"], DataDir.at(root / "cases"), url)


def _remove_live(url: str, prefixes: list[str]) -> None:
    from archive.search.es_config import ElasticsearchSettings, connect

    client = connect(ElasticsearchSettings.from_env(url))
    for prefix in prefixes:
        for name in sorted(client.indices.get(index=f"{prefix}-*", allow_no_indices=True).body):
            client.indices.delete(index=name)
        for entity in ("articles", "comments"):
            client.options(ignore_status=404).indices.delete_index_template(
                name=f"{prefix}-{entity}")


@pytest.fixture(scope="module", params=["tantivy", "elasticsearch-double",
                                        "elasticsearch-live"])
def searched(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searched]:
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "tantivy":
        yield _build_tantivy(root)
        return
    if request.param == "elasticsearch-double":
        with ElasticsearchDouble(STACK_VERSION) as double:
            yield _build_elasticsearch(request.param, double.url, root, [])
        return
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip(NO_CLUSTER)
    prefixes: list[str] = []
    try:
        yield _build_elasticsearch(request.param, url, root, prefixes)
    finally:
        _remove_live(url, prefixes)


@pytest.fixture(scope="module")
def tantivy(tmp_path_factory: pytest.TempPathFactory) -> Searched:
    return _build_tantivy(tmp_path_factory.mktemp("reference"), deep=False)


def to_query(spec: dict[str, Any]) -> SearchQuery:
    fields = dict(spec)
    for name in ("published_from", "published_before"):
        if name in fields:
            fields[name] = _when(fields[name])
    return SearchQuery(**{"limit": 50, **fields})


def ids(backend: Backend, case: dict[str, Any]) -> list[str]:
    found = [hit.id for hit in backend.search(to_query(case["query"])).hits]
    return found if case["ordered"] else sorted(found)


def every_page(backend: Backend, query: SearchQuery) -> list[list[str]]:
    pages = []
    while True:
        result = backend.search(query)
        pages.append([hit.id for hit in result.hits])
        if result.next is None:
            return pages
        query = SearchQuery(**{**query.__dict__, "after": result.next, "offset": 0})


# --- what the words and filters find -------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_every_backend_answers_the_cases(searched: Searched, case: dict[str, Any]) -> None:
    if case["query"].get("text") and not searched.analyses_text:
        pytest.skip(NO_ANALYSIS)
    assert ids(searched.cases, case) == case["ids"]


def test_hits_carry_the_same_fields_as_tantivys(searched: Searched, tantivy: Searched) -> None:
    query = SearchQuery(kind="comments", sort="oldest", limit=50)
    ours, reference = searched.cases.search(query).hits, tantivy.cases.search(query).hits
    assert [h.id for h in ours] == [h.id for h in reference] != []
    for hit, expected in zip(ours, reference, strict=True):
        assert (hit.id, hit.title, hit.authors, hit.site, hit.url, hit.article_id) == (
            expected.id, expected.title, expected.authors, expected.site, expected.url,
            expected.article_id)
        assert hit.published_at == expected.published_at.replace(tzinfo=UTC)


def test_snippets_highlight_the_words_and_encode_the_text(searched: Searched) -> None:
    if not searched.analyses_text:
        pytest.skip(NO_ANALYSIS)
    snippet = searched.cases.search(SearchQuery("prices")).hits[0].snippet
    assert "<b>" in snippet and "<script>" not in snippet


def test_fixture_rows_fit_the_strict_mapping() -> None:
    """Every column the fixture sends is mapped (dynamic: strict would reject it)."""
    from schemas.elasticsearch import mappings
    from schemas.records import ENTITIES

    for entity, table in {**fixture_tables(), **deep_tables()}.items():
        assert set(table.column_names) <= set(mappings(ENTITIES[entity])["properties"])


# --- paging -----------------------------------------------------------------------------------

def test_pages_past_the_window_follow_the_cursor(searched: Searched) -> None:
    pages = every_page(searched.deep, SearchQuery(kind="comments", site="deep.example",
                                                  sort="newest", limit=1000))
    assert [len(p) for p in pages] == [1000] * 10 + [50]
    found = [comment_id for page in pages for comment_id in page]
    assert found == [f"deep-{i:05d}" for i in reversed(range(DEEP))]


def test_the_last_offset_page_matches_the_cursor_pages(searched: Searched) -> None:
    query = SearchQuery(kind="comments", site="deep.example", sort="oldest",
                        offset=MAX_WINDOW - 10, limit=10)
    result = searched.deep.search(query)
    assert [h.id for h in result.hits] == [f"deep-{i:05d}" for i in range(9_990, 10_000)]
    assert result.total == DEEP and result.next is not None
    following = searched.deep.search(SearchQuery(**{**query.__dict__, "offset": 0,
                                                    "after": result.next, "limit": 100}))
    assert [h.id for h in following.hits] == [f"deep-{i:05d}" for i in range(10_000, DEEP)]
    assert following.next is None


def test_an_offset_past_the_window_is_refused_the_same_everywhere(searched: Searched) -> None:
    with pytest.raises(SearchWindowError) as refused:
        searched.deep.search(SearchQuery(kind="comments", offset=MAX_WINDOW - 5, limit=10))
    assert str(refused.value) == ("hits 9996-10005 lie past the first 10000: page there with "
                                  "the cursor each page returns (--after), not with --offset")


def test_a_cursor_of_another_search_is_refused(searched: Searched) -> None:
    first = searched.deep.search(SearchQuery(kind="comments", sort="newest", limit=5))
    with pytest.raises(CursorError, match="belongs to another search"):
        searched.deep.search(SearchQuery(kind="comments", sort="oldest", limit=5,
                                         after=first.next))


# --- long documents ---------------------------------------------------------------------------

def test_a_two_million_character_article_answers_with_a_bounded_snippet(
        searched: Searched) -> None:
    [hit] = searched.deep.search(SearchQuery(site="long.example")).hits
    assert hit.id == "long" and len(hit.snippet) == 240 and hit.snippet.startswith("needle")
    if searched.analyses_text:
        [found] = searched.deep.search(SearchQuery("needle", site="long.example")).hits
        assert "<b>needle</b>" in found.snippet


# --- rebuilding -------------------------------------------------------------------------------

def test_two_reindexes_swap_the_version_and_keep_the_counts(searched: Searched) -> None:
    backend, data, url = searched.cases, searched.cases_data, searched.url
    before = backend.current()
    counts = (backend.count("articles"), backend.count("comments"))
    assert counts == (5, 4)
    with pytest.MonkeyPatch.context() as patch:
        if isinstance(backend, ElasticsearchBackend):
            patch.setenv("ELASTICSEARCH_INDEX_PREFIX", backend.indices.prefix)
        else:
            patch.delenv("ELASTICSEARCH_URL", raising=False)
        first = index(data, elasticsearch=url, full=True)
        second = index(data, elasticsearch=url, full=True)
        incremental = index(data, elasticsearch=url)
    assert before != first["version"] != second["version"] == backend.current()
    assert incremental["full"] is False and incremental["articles/documents"] == 0
    assert (backend.count("articles"), backend.count("comments")) == counts
    assert second["cleanup"]["failed"] == [] and len(second["cleanup"]["removed"]) >= 1

