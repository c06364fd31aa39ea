"""Bulk loading against the double of the compose stack's version: the fault catalogue rows
"ES down mid-bulk", "per-item 429", "mapping conflict", "flood-stage block", 5xx retried
with backoff, documents no cluster would take (ids over 512 bytes, bodies over
`http.max_content_length`), idempotent reruns and secrets kept out of logs."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from archive.search.es_bulk import BulkOptions
from archive.search.es_config import ElasticsearchSettings
from archive.search.es_errors import BulkFailed, ElasticsearchError, ElasticsearchUnavailable
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from schemas.elasticsearch import mappings
from schemas.records import ARTICLE
from tests.es_double import ElasticsearchDouble
from tests.es_support import (
    FAST,
    STACK_VERSION,
    article_row,
    articles,
    backend_for,
    comment_row,
    dead_letters,
)

REJECTED = (429, {"type": "es_rejected_execution_exception",
                  "reason": "rejected execution of coordinating operation: write queue full"})
FLOOD = (429, {"type": "cluster_block_exception",
               "reason": "index [pressarchive-articles-x] blocked by: [TOO_MANY_REQUESTS/12/"
                         "disk usage exceeded flood-stage watermark, index has "
                         "read-only-allow-delete block];"})
UNAVAILABLE = (503, {"error": {"type": "unavailable_shards_exception",
                               "reason": "primary shard is not active"}, "status": 503})
INTERNAL = (500, {"error": {"type": "null_pointer_exception", "reason": "boom"}, "status": 500})
INDEX = "pressarchive-articles-v1"


@pytest.fixture()
def double() -> Iterator[ElasticsearchDouble]:
    with ElasticsearchDouble(STACK_VERSION) as server:
        yield server


def load(double: ElasticsearchDouble, tmp_path: Path, table: pa.Table,
         entity: str = "articles", bulk: BulkOptions = FAST) -> int:
    return backend_for(double.url, tmp_path, bulk).upsert("v1", entity, iter([table]))


# --- retries --------------------------------------------------------------------------------

def test_per_item_429_resends_only_the_rejected_items(double: ElasticsearchDouble,
                                                      tmp_path: Path) -> None:
    with double.faults(item=lambda i, attempt: REJECTED if i == "a1" and attempt == 1 else None):
        assert load(double, tmp_path, articles(3)) == 3
    assert double.bulk_ids() == [["a0", "a1", "a2"], ["a1"]]
    assert sorted(double.documents(INDEX)) == ["a0", "a1", "a2"]
    assert dead_letters(tmp_path) == []


def test_a_500_answer_to_a_bulk_request_is_retried_with_backoff(double: ElasticsearchDouble,
                                                                tmp_path: Path) -> None:
    with double.faults(request=lambda api, n: INTERNAL if api == "bulk" and n == 1 else None):
        assert load(double, tmp_path, articles(2)) == 2
    assert [r.api for r in double.requests if r.api == "bulk"] == ["bulk", "bulk"]
    assert sorted(double.documents(INDEX)) == ["a0", "a1"]


def test_a_per_item_500_is_retried(double: ElasticsearchDouble, tmp_path: Path) -> None:
    failing = (500, {"type": "exception", "reason": "shard failure"})
    with double.faults(item=lambda i, attempt: failing if attempt == 1 else None):
        assert load(double, tmp_path, articles(2)) == 2
    assert double.bulk_ids() == [["a0", "a1"], ["a0", "a1"]]


def test_persistent_429_fails_after_capped_retries(double: ElasticsearchDouble,
                                                   tmp_path: Path) -> None:
    with double.faults(item=lambda i, attempt: REJECTED if i == "a1" else None), \
            pytest.raises(BulkFailed) as failure:
        load(double, tmp_path, articles(3))
    message = str(failure.value)
    assert "\n" not in message and "429" in message and "after 3 retries" in message
    assert double.attempts["a1"] == 1 + FAST.max_retries
    assert [r["key"] for r in dead_letters(tmp_path)] == ["a1"]


def test_flood_stage_block_fails_with_a_clear_reason(double: ElasticsearchDouble,
                                                     tmp_path: Path) -> None:
    with double.faults(item=lambda i, attempt: FLOOD), \
            pytest.raises(BulkFailed, match="flood-stage watermark: free disk space"):
        load(double, tmp_path, articles(5))
    assert max(double.attempts.values()) == 1 + FAST.max_retries
    assert len(double.bulk_ids()) == 1 + FAST.max_retries  # stopped after the first chunk


def test_cluster_failing_mid_bulk_stops_after_capped_retries_and_a_rerun_heals(
        double: ElasticsearchDouble, tmp_path: Path) -> None:
    with double.faults(request=lambda api, n: UNAVAILABLE if api == "bulk" and n > 1 else None), \
            pytest.raises(ElasticsearchError) as failure:
        load(double, tmp_path, articles(7))
    message = str(failure.value)
    assert "\n" not in message and "503" in message and "unavailable_shards_exception" in message
    sent = len(double.calls("bulk"))
    assert sent == 1 + (1 + FAST.max_retries) * 4  # helper retries x transport retries, capped
    assert load(double, tmp_path, articles(7)) == 7
    assert sorted(double.documents(INDEX)) == [f"a{i}" for i in range(7)]
    assert double.bulk_ids()[sent:] == [["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"]]


def test_cluster_down_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ElasticsearchUnavailable) as failure:
        backend_for(f"http://127.0.0.1:{port}", tmp_path).upsert("v1", "articles",
                                                                  iter([articles(2)]))
    message = str(failure.value)
    assert "\n" not in message
    assert f"Elasticsearch at http://127.0.0.1:{port} is unreachable" in message


# --- documents no cluster takes ---------------------------------------------------------------

def test_a_document_the_mapping_refuses_is_dead_lettered_not_retried(
        double: ElasticsearchDouble, tmp_path: Path) -> None:
    from elasticsearch import Elasticsearch

    older = mappings(ARTICLE)  # an index built before `duplicate_of` existed
    del older["properties"]["duplicate_of"]
    Elasticsearch(double.url).indices.create(index=INDEX, mappings=older)
    rows = articles(3).to_pylist()
    rows[2]["duplicate_of"] = "a0"
    backend = backend_for(double.url, tmp_path)
    assert backend.upsert("v1", "articles",
                          iter([pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)])) == 2
    assert double.attempts["a2"] == 1
    [letter] = dead_letters(tmp_path)
    assert (letter["key"], letter["id"], letter["status"]) == ("a2", "a2", 400)
    assert letter["entity"] == "articles" and letter["version"] == "v1"
    assert letter["partition"] == ["example.org", "2019-02"] and letter["index"] == INDEX
    assert letter["error_type"] == "strict_dynamic_mapping_exception"
    assert "duplicate_of" in letter["error_reason"] and letter["source"]["title"] == "Title a2"
    assert backend.figures()["articles/dead_lettered/strict_dynamic_mapping_exception"] == 1
    assert backend.figures()["articles/indexed"] == 2


def test_a_comment_id_over_512_bytes_is_indexed_under_a_stable_hash(
        double: ElasticsearchDouble, tmp_path: Path) -> None:
    article = article_row("a1")
    long_id = "a1-" + "x" * 597
    rows = [comment_row(long_id, article), comment_row("a1-2", article, position=2)]
    comments = pa.Table.from_pylist(rows, schema=COMMENT_SCHEMA)
    backend = backend_for(double.url, tmp_path)
    backend.setup()
    assert backend.upsert("v1", "comments", iter([comments])) == 2
    assert backend.upsert("v1", "comments", iter([comments])) == 2  # the same _id again
    stored = double.documents("pressarchive-comments-v1")
    [hashed] = [doc_id for doc_id in stored if doc_id != "a1-2"]
    assert hashed.startswith("sha256-") and len(hashed.encode()) <= 512
    assert stored[hashed]["comment_id"] == long_id and len(stored) == 2
    assert dead_letters(tmp_path) == []


def test_the_double_refuses_the_whole_bulk_request_for_one_long_id(
        double: ElasticsearchDouble) -> None:
    from elasticsearch import BadRequestError, Elasticsearch

    client = Elasticsearch(double.url)
    operations = [{"index": {"_index": "i", "_id": "x" * 600}}, {"a": 1},
                  {"index": {"_index": "i", "_id": "ok"}}, {"a": 2}]
    with pytest.raises(BadRequestError) as failure:
        client.bulk(operations=operations)
    assert failure.value.body["error"]["type"] == "action_request_validation_exception"
    assert "must be no longer than 512 bytes but was: 600" in str(failure.value)
    assert "i" not in double.cluster.indices


def test_a_document_larger_than_a_request_may_be_is_dead_lettered_unsent(
        tmp_path: Path) -> None:
    with ElasticsearchDouble(STACK_VERSION, max_content_length=64 * 1024) as double:
        rows = articles(3).to_pylist()
        rows[1]["text"] = "word " * 20_000  # 100 KB of source
        table = pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
        bulk = BulkOptions(chunk_size=10, max_request_bytes=64 * 1024, max_retries=0)
        assert load(double, tmp_path, table, bulk=bulk) == 2
        assert double.bulk_ids() == [["a0", "a2"]]
    [letter] = dead_letters(tmp_path)
    assert letter["key"] == "a1" and letter["error_type"] == "document_too_large"
    assert letter["source_bytes"] > 64 * 1024 and "source" not in letter


def test_a_request_over_the_clusters_limit_is_dead_lettered_and_the_load_goes_on(
        tmp_path: Path) -> None:
    with ElasticsearchDouble(STACK_VERSION, max_content_length=8 * 1024) as double:
        rows = articles(4).to_pylist()
        for row in rows[:2]:
            row["text"] = "word " * 1_000  # two 5 KB documents: together over 8 KB
        table = pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
        bulk = BulkOptions(chunk_size=2, max_retries=2, initial_backoff=0.01)
        assert load(double, tmp_path, table, bulk=bulk) == 2
        assert sorted(double.documents(INDEX)) == ["a2", "a3"]
        assert [r.api for r in double.requests].count(None) == 1  # the 413, not retried
    letters = dead_letters(tmp_path)
    assert [r["key"] for r in letters] == ["a0", "a1"]
    assert {(r["status"], r["error_type"]) for r in letters} == {
        (413, "request_entity_too_large")}


def test_rerunning_an_upsert_sends_the_same_ids(double: ElasticsearchDouble,
                                                tmp_path: Path) -> None:
    load(double, tmp_path, articles(4))
    load(double, tmp_path, articles(4))
    first, second = double.bulk_ids()[:2], double.bulk_ids()[2:]
    assert first == second == [["a0", "a1", "a2"], ["a3"]]
    assert len(double.documents(INDEX)) == 4


# --- secrets ---------------------------------------------------------------------------------

API_KEY = "c2VjcmV0LWFwaS1rZXk6bm90LWZvci1sb2dz"
PASSWORD = "pa55-never-logged-9f3"


@pytest.mark.parametrize("environ", [
    {"ELASTICSEARCH_API_KEY": API_KEY},
    {"ELASTICSEARCH_USERNAME": "pressarchive_writer", "ELASTICSEARCH_PASSWORD": PASSWORD},
])
def test_secrets_never_reach_logs_or_errors(environ: dict[str, str],
                                            double: ElasticsearchDouble, tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = ElasticsearchSettings.from_env(double.url, environ)
    assert API_KEY not in repr(settings) and PASSWORD not in repr(settings)
    messages: list[Any] = []
    mapping = (400, {"type": "document_parsing_exception", "reason": "bad"})
    with double.faults(item=lambda i, attempt: mapping if i == "a0" else REJECTED), \
            pytest.raises(BulkFailed) as failure:
        backend_for(double.url, tmp_path, environ=environ).upsert(
            "v1", "articles", iter([articles(2)]))
    messages.append(str(failure.value))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ElasticsearchUnavailable) as failure:
        backend_for(f"http://127.0.0.1:{port}", tmp_path, environ=environ).count("articles")
    messages.append(str(failure.value))
    everything = caplog.text + "\n".join(messages) + "".join(
        p.read_text() for p in (tmp_path / "dead-letter").glob("*.jsonl"))
    assert "127.0.0.1" in caplog.text  # the transport did log its requests
    assert API_KEY not in everything and PASSWORD not in everything


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as failure:
        ElasticsearchSettings.from_env(f"https://elastic:{PASSWORD}@localhost:9200", {})
    assert PASSWORD not in str(failure.value)
