"""No green run over an incomplete index: after every `index` the live documents are
counted per partition against the Parquet rows; a shortfall fails the step with the
numbers and the dead letters by reason, and `--replay-dead-letters` heals it after a fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import tantivy

from archive.cli import main
from archive.index import IndexIncomplete, index
from archive.layout import DataDir
from archive.reports import read_report
from archive.search import SearchQuery
from tests.es_double import ElasticsearchDouble
from tests.es_support import (
    STACK_VERSION,
    article_row,
    backend_for,
    comment_row,
    dead_letters,
    tables,
    write_archive,
)

LONG_ID = "a1-" + "c" * 597  # 600 bytes: a site id that does not end in digits, kept whole
REJECTED = (400, {"type": "document_parsing_exception",
                  "reason": "[1:40] failed to parse field [text] of type [text] in document "
                            "with id 'a2-2'"})


@pytest.fixture()
def double() -> Iterator[ElasticsearchDouble]:
    with ElasticsearchDouble(STACK_VERSION) as server:
        yield server


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    """A 2,000,000-character article with a 600-byte comment id, and a second article."""
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX", raising=False)
    data = DataDir.at(tmp_path / "data")
    long = article_row("a1", site="long.example", text=("needle " + "hay " * 499_998)[:2_000_000])
    other = article_row("a2")
    write_archive(data, tables([long, other], [
        comment_row(LONG_ID, long), comment_row("a2-1", other),
        comment_row("a2-2", other, position=2)]))
    return data


def cli(data: DataDir, url: str, *extra: str) -> int:
    return main(["index", "--data", str(data.root), "--elasticsearch", url, *extra])


def test_a_rejected_document_fails_the_step_and_a_replay_after_the_fix_indexes_it(
        double: ElasticsearchDouble, data: DataDir, capsys: pytest.CaptureFixture[str]) -> None:
    with double.faults(item=lambda doc_id, attempt: REJECTED if doc_id == "a2-2" else None):
        assert cli(data, double.url) == 1
    failure = capsys.readouterr().err
    assert "the elasticsearch index is incomplete: 1 of 3 comments missing" in failure
    assert "(in example.org/2019-02)" in failure and "1 document_parsing_exception" in failure
    assert "pressarchive index --replay-dead-letters" in failure
    [letter] = dead_letters(data.root)
    assert letter["key"] == "a2-2" and letter["error_type"] == "document_parsing_exception"
    live = double.cluster.aliases["pressarchive-comments"]
    assert len(double.documents(next(iter(live)))) == 2  # the 600-byte id went in

    assert cli(data, double.url) == 1  # still incomplete: the watermark alone is no proof
    assert cli(data, double.url, "--replay-dead-letters") == 0  # the fault is gone
    assert "replayed 1 dead letters" in capsys.readouterr().err
    assert "a2-2" in double.documents(next(iter(live)))
    assert dead_letters(data.root) == []
    assert cli(data, double.url) == 0


def test_the_run_report_shows_indexed_updated_dead_lettered_and_missing(
        double: ElasticsearchDouble, data: DataDir) -> None:
    with double.faults(item=lambda doc_id, attempt: REJECTED if doc_id == "a2-2" else None), \
            pytest.raises(IndexIncomplete):
        index(data, elasticsearch=double.url, run_id="r1")
    figures = read_report(data, "r1")["index:elasticsearch"]
    assert {k: figures[k] for k in ("articles/indexed", "articles/updated",
                                    "articles/dead_lettered", "articles/missing")} == {
        "articles/indexed": 2, "articles/updated": 0, "articles/dead_lettered": 0,
        "articles/missing": 0}
    assert {k: figures[k] for k in ("comments/indexed", "comments/dead_lettered",
                                    "comments/missing", "comments/rows")} == {
        "comments/indexed": 2, "comments/dead_lettered": 1, "comments/missing": 1,
        "comments/rows": 3}
    assert figures["dead_letters/pending/document_parsing_exception"] == 1


def test_the_long_article_is_found_with_a_bounded_snippet(double: ElasticsearchDouble,
                                                          data: DataDir) -> None:
    index(data, elasticsearch=double.url)
    backend = backend_for(double.url, data.root)
    [hit] = backend.search(SearchQuery(site="long.example")).hits
    assert hit.id == "a1" and hit.snippet.startswith("needle hay") and len(hit.snippet) == 240


def test_missing_documents_without_a_dead_letter_say_to_reindex(
        double: ElasticsearchDouble, data: DataDir) -> None:
    figures = index(data, elasticsearch=double.url)
    double.documents(f"pressarchive-articles-{figures['version']}").pop("a2")
    with pytest.raises(IndexIncomplete, match=r"1 of 2 articles missing .* run `pressarchive "
                                              r"reindex`"):
        index(data, elasticsearch=double.url)
    assert index(data, elasticsearch=double.url, full=True)["articles/missing"] == 0


def test_the_embedded_index_is_checked_the_same_way(data: DataDir) -> None:
    figures = index(data)
    assert (figures["articles/missing"], figures["comments/missing"]) == (0, 0)
    assert figures["comments/indexed"] == 3 and figures["dead_letters/pending"] == 0
    writer = tantivy.Index.open(str(data.index / figures["version"] / "comments")).writer()
    writer.delete_documents_by_term("comment_id", "a2-1")  # lost behind the step's back
    writer.commit()
    writer.wait_merging_threads()
    with pytest.raises(IndexIncomplete, match="1 of 3 comments missing"):
        index(data)
