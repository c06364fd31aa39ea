"""The Elasticsearch backend against a stub cluster on 127.0.0.1: the fault catalogue rows
"ES down mid-bulk", "per-item 429", "mapping conflict", "flood-stage block", idempotent
reruns, the atomic alias swap and secrets kept out of logs.

`StubElasticsearch` is a real HTTP server speaking just enough of the REST API for the
official client (which insists on the `X-Elastic-Product` header) and records every
request, so the tests assert on what was sent as well as on what came back.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from fnmatch import fnmatch
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pytest

from archive.search.elasticsearch_backend import ElasticsearchBackend
from archive.search.es_bulk import BulkOptions
from archive.search.es_config import ElasticsearchSettings, connect
from archive.search.es_errors import BulkFailed, ElasticsearchError, ElasticsearchUnavailable
from archive.search.query import SearchQuery
from schemas.arrow import ARTICLE_SCHEMA

Fault = tuple[int, dict[str, Any]]
REJECTED = (429, {"type": "es_rejected_execution_exception",
                  "reason": "rejected execution of coordinating operation: write queue full"})
FLOOD = (429, {"type": "cluster_block_exception",
               "reason": "index [pressarchive-articles-x] blocked by: [TOO_MANY_REQUESTS/12/"
                         "disk usage exceeded flood-stage watermark, index has "
                         "read-only-allow-delete block];"})
MAPPING = (400, {"type": "mapper_parsing_exception",
                 "reason": "failed to parse field [word_count] of type [integer]"})
FAST = BulkOptions(chunk_size=3, max_retries=3, initial_backoff=0.01, max_backoff=0.02)


class StubElasticsearch:
    """Indices, aliases and documents in memory; faults injected per document id."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.indices: dict[str, dict[str, dict[str, Any]]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.templates: dict[str, Any] = {}
        self.settings: dict[str, dict[str, Any]] = {}
        self.security: dict[str, Any] = {}
        self.attempts: Counter[str] = Counter()
        self.item_fault: Callable[[str, int], Fault | None] = lambda doc_id, attempt: None
        self.bulk_down_after: int | None = None  # answer 503 to bulk requests after N
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> StubElasticsearch:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the tests look at ------------------------------------------------------

    def bulk_ids(self) -> list[list[str]]:
        """The `_id`s of every bulk request, in order."""
        return [[line["index"]["_id"] for line in body if "index" in line]
                for method, path, body in self.requests if path == "/_bulk"]

    def calls(self, method: str, prefix: str) -> list[tuple[str, str, Any]]:
        return [r for r in self.requests if r[0] == method and r[1].startswith(prefix)]

    # --- the REST API ----------------------------------------------------------------

    def resolve(self, expression: str) -> list[str]:
        names: list[str] = []
        for part in expression.split(","):
            if part in self.aliases:
                names += sorted(self.aliases[part])
            else:
                names += sorted(i for i in self.indices if fnmatch(i, part))
        return names

    def handle(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        if not parts:
            return 200, {"version": {"number": "9.1.0"}, "tagline": "You Know, for Search"}
        if parts[0] == "_cluster":
            return 200, {"status": "green", "number_of_nodes": 1}
        if parts[0] == "_security":
            self.security["/".join(parts[1:])] = body
            return 200, {"created": True}
        if parts[0] == "_index_template":
            self.templates[parts[1]] = body
            return 200, {"acknowledged": True}
        if parts[0] == "_bulk":
            if self.bulk_down_after is not None and len(self.bulk_ids()) > self.bulk_down_after:
                return 503, {"error": {"type": "unavailable_shards_exception",
                                       "reason": "primary shard is not active"}, "status": 503}
            return self.bulk(body)
        if parts[0] == "_aliases":
            return self.update_aliases(body)
        if parts[0] == "_alias":
            found = {i: {"aliases": {parts[1]: {}}} for i in self.aliases.get(parts[1], ())}
            return (200, found) if found else (404, {"error": "alias missing", "status": 404})
        if parts[0] == "_resolve":
            return 200, {"indices": [
                {"name": i, "aliases": sorted(a for a, held in self.aliases.items() if i in held)}
                for i in self.resolve(parts[2])]}
        if len(parts) == 1 and method == "PUT":
            if parts[0] in self.indices:
                return 400, {"error": {"type": "resource_already_exists_exception",
                                       "reason": "exists"}, "status": 400}
            self.indices[parts[0]] = {}
            self.settings[parts[0]] = dict((body or {}).get("settings", {}))
            return 200, {"acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            for name in parts[0].split(","):
                self.indices.pop(name, None)
            return 200, {"acknowledged": True}
        targets = self.resolve(parts[0])
        if not targets:
            return 404, {"error": {"type": "index_not_found_exception",
                                   "reason": f"no such index [{parts[0]}]"}, "status": 404}
        if parts[1] == "_settings":
            for name in targets:
                self.settings[name].update(body.get("settings", body))
            return 200, {"acknowledged": True}
        if parts[1] == "_refresh":
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if parts[1] == "_count":
            return 200, {"count": sum(len(self.indices[t]) for t in targets)}
        if parts[1] == "_search":
            docs = [(t, i, d) for t in targets for i, d in sorted(self.indices[t].items())]
            return 200, {"hits": {"total": {"value": len(docs), "relation": "eq"}, "hits": [
                {"_index": t, "_id": i, "_score": 1.0, "_source": d} for t, i, d in docs]}}
        return 400, {"error": {"type": "stub", "reason": f"unsupported {method} {path}"}}

    def update_aliases(self, body: dict[str, Any]) -> tuple[int, Any]:
        for action in body["actions"]:
            (verb, spec), = action.items()
            held = self.aliases.setdefault(spec["alias"], set())
            if verb == "add":
                held.add(spec["index"])
            elif spec["index"] in held:
                held.discard(spec["index"])
            else:
                return 404, {"error": {"type": "aliases_not_found_exception",
                                       "reason": "alias missing"}, "status": 404}
        return 200, {"acknowledged": True}

    def bulk(self, lines: list[dict[str, Any]]) -> tuple[int, Any]:
        items = []
        for header, source in zip(lines[::2], lines[1::2], strict=True):
            meta = header["index"]
            doc_id, index = meta["_id"], meta["_index"]
            self.attempts[doc_id] += 1
            fault = self.item_fault(doc_id, self.attempts[doc_id])
            if fault:
                status, error = fault
                items.append({"index": {"_index": index, "_id": doc_id, "status": status,
                                        "error": error}})
                continue
            docs = self.indices.setdefault(index, {})
            result = "updated" if doc_id in docs else "created"
            docs[doc_id] = source
            items.append({"index": {"_index": index, "_id": doc_id, "status":
                                    201 if result == "created" else 200, "result": result}})
        errors = any("error" in item["index"] for item in items)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                path = urlsplit(self.path).path
                body: Any = None
                if raw and path == "/_bulk":
                    body = [json.loads(line) for line in raw.splitlines() if line.strip()]
                elif raw:
                    body = json.loads(raw)
                stub.requests.append((self.command, path, body))
                status, payload = stub.handle(self.command, path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture()
def stub() -> Iterator[StubElasticsearch]:
    with StubElasticsearch() as server:
        yield server


def backend_for(url: str, tmp_path: Path, bulk: BulkOptions = FAST,
                environ: dict[str, str] | None = None) -> ElasticsearchBackend:
    settings = ElasticsearchSettings.from_env(url, environ or {})
    return ElasticsearchBackend(connect(settings), url=settings.url,
                                dead_letters=tmp_path / "dead-letter",
                                prefix=settings.index_prefix, bulk=bulk)


def articles(n: int) -> pa.Table:
    when = datetime(2019, 2, 11, 13, 26, tzinfo=UTC)
    rows = [{"article_id": f"a{i}", "url": f"https://example.org/{i}", "site": "example.org",
             "title": f"Title {i}", "authors": ["Jane Doe"], "published_at": when,
             "text": f"Body {i}", "word_count": 2, "comment_count": 0, "content_hash": f"h{i}",
             "first_seen_at": when, "last_seen_at": when, "fetched_at": when,
             "crawl_run_id": "run-1", "month": "2019-02"} for i in range(n)]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


def dead_letters(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for path in sorted((tmp_path / "dead-letter").glob("*.jsonl"))
            for line in path.read_text().splitlines()]


# --- bulk faults -------------------------------------------------------------------------

def test_per_item_429_resends_only_the_rejected_items(stub: StubElasticsearch,
                                                      tmp_path: Path) -> None:
    stub.item_fault = lambda doc_id, attempt: REJECTED if doc_id == "a1" and attempt == 1 else None
    backend = backend_for(stub.url, tmp_path)
    assert backend.upsert("v1", "articles", iter([articles(3)])) == 3
    assert stub.bulk_ids() == [["a0", "a1", "a2"], ["a1"]]
    assert sorted(stub.indices["pressarchive-articles-v1"]) == ["a0", "a1", "a2"]
    assert dead_letters(tmp_path) == []


def test_persistent_429_fails_after_capped_retries(stub: StubElasticsearch,
                                                   tmp_path: Path) -> None:
    stub.item_fault = lambda doc_id, attempt: REJECTED if doc_id == "a1" else None
    backend = backend_for(stub.url, tmp_path)
    with pytest.raises(BulkFailed) as failure:
        backend.upsert("v1", "articles", iter([articles(3)]))
    message = str(failure.value)
    assert "\n" not in message and "429" in message and "after 3 retries" in message
    assert stub.attempts["a1"] == 1 + FAST.max_retries
    assert [r["id"] for r in dead_letters(tmp_path)] == ["a1"]


def test_flood_stage_block_fails_with_a_clear_reason(stub: StubElasticsearch,
                                                     tmp_path: Path) -> None:
    stub.item_fault = lambda doc_id, attempt: FLOOD
    backend = backend_for(stub.url, tmp_path)
    with pytest.raises(BulkFailed, match="flood-stage watermark: free disk space"):
        backend.upsert("v1", "articles", iter([articles(5)]))
    assert max(stub.attempts.values()) == 1 + FAST.max_retries
    assert len(stub.bulk_ids()) == 1 + FAST.max_retries  # stopped after the first chunk


def test_mapping_error_is_dead_lettered_not_retried(stub: StubElasticsearch,
                                                    tmp_path: Path) -> None:
    stub.item_fault = lambda doc_id, attempt: MAPPING if doc_id == "a2" else None
    backend = backend_for(stub.url, tmp_path)
    assert backend.upsert("v1", "articles", iter([articles(4)])) == 3
    assert stub.attempts["a2"] == 1
    [letter] = dead_letters(tmp_path)
    assert letter["id"] == "a2" and letter["status"] == 400
    assert letter["index"] == "pressarchive-articles-v1"
    assert letter["error_type"] == "mapper_parsing_exception"
    assert "word_count" in letter["error_reason"]
    assert letter["action"]["_id"] == "a2" and letter["action"]["_source"]["title"] == "Title 2"
    assert backend.stats["articles/failed/mapper_parsing_exception"] == 1
    assert backend.stats["articles/ok"] == 3


def test_cluster_down_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = backend_for(f"http://127.0.0.1:{port}", tmp_path)
    with pytest.raises(ElasticsearchUnavailable) as failure:
        backend.upsert("v1", "articles", iter([articles(2)]))
    message = str(failure.value)
    assert "\n" not in message
    assert f"Elasticsearch at http://127.0.0.1:{port} is unreachable" in message


def test_cluster_failing_mid_bulk_stops_after_capped_retries_and_a_rerun_heals(
        stub: StubElasticsearch, tmp_path: Path) -> None:
    stub.bulk_down_after = 1
    backend = backend_for(stub.url, tmp_path)
    with pytest.raises(ElasticsearchError) as failure:
        backend.upsert("v1", "articles", iter([articles(7)]))
    message = str(failure.value)
    assert "\n" not in message and "HTTP 503 unavailable_shards_exception" in message
    sent = len(stub.bulk_ids())
    assert sent == 1 + (1 + FAST.max_retries) * 4  # helper retries x transport retries, capped
    stub.bulk_down_after = None
    assert backend_for(stub.url, tmp_path).upsert("v1", "articles", iter([articles(7)])) == 7
    assert sorted(stub.indices["pressarchive-articles-v1"]) == [f"a{i}" for i in range(7)]
    assert stub.bulk_ids()[sent:] == [["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"]]


def test_rerunning_an_upsert_sends_the_same_ids(stub: StubElasticsearch,
                                                tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    backend.upsert("v1", "articles", iter([articles(4)]))
    backend.upsert("v1", "articles", iter([articles(4)]))
    first, second = stub.bulk_ids()[:2], stub.bulk_ids()[2:]
    assert first == second == [["a0", "a1", "a2"], ["a3"]]
    assert len(stub.indices["pressarchive-articles-v1"]) == 4


# --- versions and the alias swap -----------------------------------------------------------

def full_load(backend: ElasticsearchBackend, n: int) -> str:
    version = backend.new_version()
    backend.upsert(version, "articles", iter([articles(n)]))
    backend.upsert(version, "comments", iter([]))
    backend.publish(version)
    return version


def test_alias_swap_is_one_atomic_call_and_old_indices_go_after(stub: StubElasticsearch,
                                                                tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    first = full_load(backend, 2)
    assert backend.current() == first
    assert stub.settings[f"pressarchive-articles-{first}"]["refresh_interval"] == "1s"
    stub.requests.clear()
    second = full_load(backend, 3)
    assert second > first and backend.current() == second

    [swap] = stub.calls("POST", "/_aliases")
    assert swap[2] == {"actions": [
        {"remove": {"index": f"pressarchive-articles-{first}", "alias": "pressarchive-articles"}},
        {"add": {"index": f"pressarchive-articles-{second}", "alias": "pressarchive-articles"}},
        {"remove": {"index": f"pressarchive-comments-{first}", "alias": "pressarchive-comments"}},
        {"add": {"index": f"pressarchive-comments-{second}", "alias": "pressarchive-comments"}},
    ]}
    deletes = stub.calls("DELETE", "/")
    assert {d[1] for d in deletes} == {f"/pressarchive-articles-{first}",
                                       f"/pressarchive-comments-{first}"}
    assert stub.requests.index(swap) < min(stub.requests.index(d) for d in deletes)
    assert backend.count("articles") == 3


def test_full_load_turns_refresh_off_then_restores_it(stub: StubElasticsearch,
                                                      tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    version = backend.new_version()
    index = f"pressarchive-articles-{version}"
    assert stub.settings[index] == {"refresh_interval": "-1", "number_of_replicas": 0,
                                    "auto_expand_replicas": "false"}
    assert set(stub.templates) == {"pressarchive-articles", "pressarchive-comments"}
    backend.upsert(version, "articles", iter([articles(1)]))
    backend.upsert(version, "comments", iter([]))
    backend.publish(version)
    assert stub.settings[index]["refresh_interval"] == "1s"
    assert stub.settings[index]["auto_expand_replicas"] == "0-1"
    assert stub.calls("POST", f"/pressarchive-articles-{version},")  # the refresh


def test_count_mismatch_keeps_the_old_version_live(stub: StubElasticsearch,
                                                   tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    first = full_load(backend, 2)
    version = backend.new_version()
    backend.upsert(version, "articles", iter([articles(3)]))
    backend.upsert(version, "comments", iter([]))
    stub.indices[f"pressarchive-articles-{version}"].pop("a0")  # a document went missing
    with pytest.raises(ElasticsearchError, match="holds 2 documents but 3 were loaded"):
        backend.publish(version)
    assert backend.current() == first
    assert f"pressarchive-articles-{first}" in stub.indices
    assert not stub.calls("POST", "/_aliases")[1:]


def test_failed_build_is_cleaned_up_by_the_next_publish(stub: StubElasticsearch,
                                                        tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    abandoned = backend.new_version()  # a full load that died before publish
    live = full_load(backend, 1)
    assert set(stub.indices) == {f"pressarchive-articles-{live}",
                                 f"pressarchive-comments-{live}"}
    assert abandoned < live


def test_search_translates_the_hits(stub: StubElasticsearch, tmp_path: Path) -> None:
    backend = backend_for(stub.url, tmp_path)
    assert backend.search(SearchQuery("anything")).total == 0  # no alias yet
    full_load(backend, 2)
    result = backend.search(SearchQuery("title"))
    assert result.total == 2
    assert [h.id for h in result.hits] == ["a0", "a1"]
    assert result.hits[0].published_at == datetime(2019, 2, 11, 13, 26, tzinfo=UTC)
    assert result.hits[0].authors == ["Jane Doe"] and result.hits[0].url.endswith("/0")


# --- secrets ---------------------------------------------------------------------------------

API_KEY = "c2VjcmV0LWFwaS1rZXk6bm90LWZvci1sb2dz"
PASSWORD = "pa55-never-logged-9f3"


@pytest.mark.parametrize("environ", [
    {"ELASTICSEARCH_API_KEY": API_KEY},
    {"ELASTICSEARCH_USERNAME": "pressarchive_writer", "ELASTICSEARCH_PASSWORD": PASSWORD},
])
def test_secrets_never_reach_logs_or_errors(environ: dict[str, str], stub: StubElasticsearch,
                                            tmp_path: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    settings = ElasticsearchSettings.from_env(stub.url, environ)
    assert API_KEY not in repr(settings) and PASSWORD not in repr(settings)
    messages = []
    stub.item_fault = lambda doc_id, attempt: MAPPING if doc_id == "a0" else REJECTED
    backend = backend_for(stub.url, tmp_path, environ=environ)
    with pytest.raises(BulkFailed) as failure:
        backend.upsert("v1", "articles", iter([articles(2)]))
    messages.append(str(failure.value))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = backend_for(f"http://127.0.0.1:{port}", tmp_path, environ=environ)
    with pytest.raises(ElasticsearchUnavailable) as failure:
        down.count("articles")
    messages.append(str(failure.value))
    everything = caplog.text + "\n".join(messages) + "".join(
        p.read_text() for p in (tmp_path / "dead-letter").glob("*.jsonl"))
    assert "127.0.0.1" in caplog.text  # the transport did log its requests
    assert API_KEY not in everything and PASSWORD not in everything


def test_credentials_in_the_url_are_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError) as failure:
        ElasticsearchSettings.from_env(f"https://elastic:{PASSWORD}@localhost:9200", {})
    assert PASSWORD not in str(failure.value)


# --- the index step end to end ---------------------------------------------------------------

def test_index_step_reports_rejections_and_reruns_without_duplicates(
        stub: StubElasticsearch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from archive.index import index
    from archive.layout import DataDir
    from tests.test_elasticsearch_search import write_archive

    data = DataDir.at(tmp_path / "data")
    write_archive(data)
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX", raising=False)
    stub.item_fault = lambda doc_id, attempt: MAPPING if doc_id == "a3-1" else None
    first = index(data, elasticsearch=stub.url, full=True)
    assert first["backend"] == "elasticsearch" and first["articles/documents"] == 5
    assert first["comments/documents"] == 3 and first["comments/failed"] == 1
    assert first["comments/failed/mapper_parsing_exception"] == 1
    [letter] = [json.loads(line) for path in (data.state / "elasticsearch" / "dead-letter")
                .glob("*.jsonl") for line in path.read_text().splitlines()]
    assert letter["id"] == "a3-1"
    again = index(data, elasticsearch=stub.url, full=True)
    live = {alias: sorted(held) for alias, held in stub.aliases.items()}
    assert live == {"pressarchive-articles": [f"pressarchive-articles-{again['version']}"],
                    "pressarchive-comments": [f"pressarchive-comments-{again['version']}"]}
    assert len(stub.indices[f"pressarchive-articles-{again['version']}"]) == 5
    assert len(stub.indices) == 2  # the first version is gone
    incremental = index(data, elasticsearch=stub.url)
    assert incremental["full"] is False and incremental["articles/partitions"] == 0
