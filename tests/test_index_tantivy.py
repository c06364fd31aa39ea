"""The embedded search backend for real: index, incremental update, date ranges, reindex."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.index import index, search
from archive.layout import DataDir
from archive.process import process
from archive.search import SearchQuery, parse_period
from tests.process_support import write_run

FETCHED = datetime(2024, 6, 1, tzinfo=UTC)
ARTICLES = [
    ("a1", "ex.com", "Peace talks in Hanoi", "Negotiators met in Hanoi to discuss a peace "
     "declaration for the peninsula.", datetime(2019, 2, 11, 5, 1, tzinfo=UTC), ["Ann Lee"]),
    ("a2", "ex.com", "Budget vote delayed", "The council delayed the budget vote after a "
     "long debate about school funding.", datetime(2019, 3, 2, 9, tzinfo=UTC), ["Bo Chan"]),
    ("a3", "other.org", "Peace prize nominees", "A list of nominees for the peace prize was "
     "published on Friday.", datetime(2019, 2, 20, 12, tzinfo=UTC), ["Cy Diaz"]),
]


def _write(data: DataDir, articles: list[tuple], comments: list[tuple], run: str = "r1",
           fetched: datetime = FETCHED) -> None:
    """The rows as a crawl would bring them, processed into the archive."""
    fetch = {"fetched_at": fetched.isoformat(), "crawl_run_id": run}
    urls = {aid: f"https://{site}/{aid}/" for aid, site, *_ in articles}
    records = [{"type": "article", "article_id": aid, "url": urls[aid], "site": site,
                "title": title, "authors": authors, "text": text,
                "published_at": when.isoformat(), "language": "en", **fetch}
               for aid, site, title, text, when, authors in articles]
    records += [{"type": "comment", "comment_id": cid, "article_id": aid, "author": author,
                 "text": text, "published_at": when.isoformat(), "article_url": urls[aid],
                 **fetch} for cid, aid, author, text, when in comments]
    write_run(data, run, records)
    process(data, runs=[run], workers=1)


@pytest.fixture
def data(tmp_path: Path) -> DataDir:
    data = DataDir.at(tmp_path)
    _write(data, ARTICLES, [
        ("a1-1", "a1", "SteveM", "Peace will come slowly to the peninsula.",
         datetime(2019, 2, 11, 18, 26, tzinfo=UTC)),
        ("a1-2", "a1", "Kurt", "I doubt the talks will work.",
         datetime(2019, 2, 11, 18, 27, tzinfo=UTC)),
    ])
    index(data)
    return data


def _ids(data: DataDir, **kwargs: object) -> list[str]:
    return [hit.id for hit in search(data, SearchQuery(**kwargs)).hits]


def test_text_search_finds_matching_articles(data: DataDir) -> None:
    assert sorted(_ids(data, text="peace")) == ["a1", "a3"]
    assert _ids(data, text="peace hanoi") == ["a1"]


def test_phrases_match_in_order(data: DataDir) -> None:
    assert _ids(data, text='"peace prize"') == ["a3"]
    assert _ids(data, text='"prize peace"') == []


def test_stemming_matches_word_forms(data: DataDir) -> None:
    assert _ids(data, text="negotiator declarations") == ["a1"]


def test_date_range_is_utc_and_inclusive_of_the_whole_period(data: DataDir) -> None:
    february = {"published_from": parse_period("2019-02"),
                "published_before": parse_period("2019-02", end=True)}
    assert sorted(_ids(data, text="peace", **february)) == ["a1", "a3"]
    assert _ids(data, published_from=parse_period("2019-03"),
                published_before=parse_period("2019-03-02", end=True)) == ["a2"]
    assert _ids(data, text="peace", published_from=parse_period("2019-03")) == []


def test_site_and_author_filters(data: DataDir) -> None:
    assert _ids(data, text="peace", site="other.org") == ["a3"]
    assert _ids(data, author="Ann Lee") == ["a1"]


def test_newest_first_sort(data: DataDir) -> None:
    assert _ids(data, sort="newest") == ["a2", "a3", "a1"]
    assert _ids(data, sort="oldest") == ["a1", "a3", "a2"]


def test_comments_are_searchable_with_their_articles_title(data: DataDir) -> None:
    hits = search(data, SearchQuery(text="peninsula", kind="comments")).hits
    assert [(h.id, h.title, h.authors) for h in hits] == [
        ("a1-1", "Peace talks in Hanoi", ["SteveM"])]
    assert sorted(_ids(data, text="hanoi", kind="comments")) == ["a1-1", "a1-2"]


def test_hits_carry_a_highlighted_snippet(data: DataDir) -> None:
    hit = search(data, SearchQuery(text="budget")).hits[0]
    assert "<b>budget</b>" in hit.snippet and hit.url == "https://ex.com/a2/"


def test_indexing_again_without_changes_touches_nothing(data: DataDir) -> None:
    figures = index(data)
    assert figures["articles/documents"] == 0 and figures["comments/documents"] == 0


def test_incremental_update_replaces_changed_rows_only(data: DataDir) -> None:
    changed = [(aid, site, title, text + " Update: talks resume in Singapore.", when, authors)
               for aid, site, title, text, when, authors in ARTICLES if aid == "a3"]
    _write(data, changed, [], run="r2", fetched=FETCHED + timedelta(days=1))
    figures = index(data)
    assert figures["articles/partitions"] == 1 and figures["articles/documents"] == 1
    assert _ids(data, text="singapore") == ["a3"]
    assert len(_ids(data, limit=100)) == 3


def test_full_reindex_twice_keeps_the_document_count(data: DataDir) -> None:
    index(data, full=True)
    first = search(data, SearchQuery(limit=100)).total
    index(data, full=True)
    assert search(data, SearchQuery(limit=100)).total == first == 3
    assert search(data, SearchQuery(kind="comments", limit=100)).total == 2


def test_full_reindex_swaps_versions_and_removes_the_old_one(data: DataDir) -> None:
    before = (data.index / "CURRENT").read_text()
    index(data, full=True)
    after = (data.index / "CURRENT").read_text()
    assert after != before
    assert sorted(p.name for p in data.index.iterdir() if p.is_dir()) == [after]


def test_search_before_any_index_finds_nothing(tmp_path: Path) -> None:
    assert search(DataDir.at(tmp_path), SearchQuery(text="x")).total == 0


