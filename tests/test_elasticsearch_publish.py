"""Versions behind aliases, against the double of the compose stack's version with the
pinned client: the atomic swap, the state saved as soon as it succeeded, cleanup that never
leaves debris nor forces a rebuild, and schema changes that rebuild by themselves."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import schemas.elasticsearch
from archive.index import index
from archive.layout import DataDir
from archive.search.elasticsearch_backend import ElasticsearchBackend
from archive.search.es_errors import ElasticsearchError
from schemas.elasticsearch import schema_meta
from schemas.records import ARTICLE, COMMENT
from tests.es_double import ElasticsearchDouble
from tests.es_double.cluster import ApiFailure
from tests.es_double.routes import recorded_versions
from tests.es_support import (
    STACK_VERSION,
    article_row,
    articles,
    backend_for,
    comment_row,
    tables,
    write_archive,
)

FORBIDDEN = (403, {"error": {"type": "security_exception",
                             "reason": "action [indices:admin/delete] is unauthorized"},
                   "status": 403})


@pytest.fixture()
def double() -> Iterator[ElasticsearchDouble]:
    with ElasticsearchDouble(STACK_VERSION) as server:
        yield server


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataDir:
    monkeypatch.delenv("ELASTICSEARCH_INDEX_PREFIX", raising=False)
    data = DataDir.at(tmp_path / "data")
    first = article_row("a1")
    comments = [comment_row("a1-1", first), comment_row("a1-2", first, position=2)]
    write_archive(data, tables([first, article_row("a2", site="other.org")], comments))
    return data


def full_load(backend: ElasticsearchBackend, n: int) -> str:
    version = backend.new_version()
    backend.upsert(version, "articles", iter([articles(n)]))
    backend.upsert(version, "comments", iter([]))
    backend.publish(version)
    backend.cleanup(version)
    return version


def state(data: DataDir) -> dict:
    return json.loads((data.state / "index-elasticsearch.json").read_text())


def live_indices(double: ElasticsearchDouble) -> dict[str, list[str]]:
    return {alias: sorted(held) for alias, held in double.cluster.aliases.items()}


# --- the "Done when" scenario ------------------------------------------------------------------

def test_full_incremental_and_two_reindexes_leave_no_debris_and_save_the_state(
        double: ElasticsearchDouble, data: DataDir) -> None:
    first = index(data, elasticsearch=double.url)
    assert first["full"] is True and first["articles/indexed"] == 2
    assert first["comments/indexed"] == 2 and first["articles/missing"] == 0
    incremental = index(data, elasticsearch=double.url)
    assert incremental["full"] is False and incremental["articles/partitions"] == 0
    assert incremental["version"] == first["version"]
    reindexed = [index(data, elasticsearch=double.url, full=True) for _ in range(2)]
    last = reindexed[-1]["version"]
    assert len({first["version"], *(r["version"] for r in reindexed)}) == 3
    assert sorted(double.cluster.indices) == [f"pressarchive-articles-{last}",
                                              f"pressarchive-comments-{last}"]
    assert live_indices(double) == {"pressarchive-articles": [f"pressarchive-articles-{last}"],
                                    "pressarchive-comments": [f"pressarchive-comments-{last}"]}
    assert state(data)["version"] == last
    replaced = reindexed[0]["version"]
    assert reindexed[-1]["cleanup"]["removed"] == [f"pressarchive-articles-{replaced}",
                                                   f"pressarchive-comments-{replaced}"]
    assert [r.api for r in double.requests if r.api == "indices.resolve_index"] == []
    assert {r.method for r in double.requests if r.api is None} == set()  # nothing refused


@pytest.mark.parametrize("version", recorded_versions())
def test_old_versions_are_listed_with_a_method_every_9x_server_allows(
        version: str, data: DataDir) -> None:
    with ElasticsearchDouble(version) as double:
        index(data, elasticsearch=double.url)
        again = index(data, elasticsearch=double.url, full=True)
        assert len(double.cluster.indices) == 2 and again["cleanup"]["failed"] == []
        assert all(r.api is not None for r in double.requests)


def test_a_failed_cleanup_is_logged_and_retried_without_a_rebuild(
        double: ElasticsearchDouble, data: DataDir, caplog: pytest.LogCaptureFixture) -> None:
    first = index(data, elasticsearch=double.url)
    with double.faults(request=lambda api, n: FORBIDDEN if api == "indices.delete" else None):
        second = index(data, elasticsearch=double.url, full=True)
    assert second["cleanup"]["failed"] == [f"pressarchive-articles-{first['version']}",
                                           f"pressarchive-comments-{first['version']}"]
    assert "the next run retries" in caplog.text
    assert state(data)["version"] == second["version"]  # saved before the cleanup
    third = index(data, elasticsearch=double.url)
    assert third["full"] is False and third["version"] == second["version"]
    assert len(third["cleanup"]["removed"]) == 2
    assert sorted(double.cluster.indices) == [f"pressarchive-articles-{second['version']}",
                                              f"pressarchive-comments-{second['version']}"]


# --- schema changes ----------------------------------------------------------------------------

def test_the_mapping_meta_records_the_schema_version_and_template_hash(
        double: ElasticsearchDouble, data: DataDir) -> None:
    figures = index(data, elasticsearch=double.url)
    for entity in (ARTICLE, COMMENT):
        meta = double.cluster.indices[f"pressarchive-{entity.name}-{figures['version']}"] \
            .mappings["_meta"]
        assert meta == schema_meta(entity)
        assert meta["schema_version"] == entity.version and len(meta["template_hash"]) == 16


def test_a_template_change_makes_index_build_and_swap_a_new_version(
        double: ElasticsearchDouble, data: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    before = index(data, elasticsearch=double.url)
    monkeypatch.setattr(schemas.elasticsearch, "KEYWORD_IGNORE_ABOVE", 2048)
    after = index(data, elasticsearch=double.url)
    assert after["full"] is True and after["version"] != before["version"]
    assert after["rebuild_reason"].startswith("schema changed: articles: template_hash")
    assert "comments: template_hash" in after["rebuild_reason"]
    live = double.cluster.indices[f"pressarchive-articles-{after['version']}"]
    assert live.mappings["properties"]["site"]["ignore_above"] == 2048
    assert sorted(double.cluster.indices) == [f"pressarchive-articles-{after['version']}",
                                              f"pressarchive-comments-{after['version']}"]
    assert index(data, elasticsearch=double.url)["full"] is False


def test_a_live_index_without_meta_is_rebuilt(double: ElasticsearchDouble,
                                              data: DataDir) -> None:
    before = index(data, elasticsearch=double.url)
    for name in list(double.cluster.indices):
        double.cluster.indices[name].mappings.pop("_meta")  # built by an older pressarchive
    after = index(data, elasticsearch=double.url)
    assert after["full"] is True and after["version"] != before["version"]
    assert "schema_version None -> 1" in after["rebuild_reason"]


# --- the swap ------------------------------------------------------------------------------

def test_alias_swap_is_one_atomic_call_and_old_indices_go_after(double: ElasticsearchDouble,
                                                                tmp_path: Path) -> None:
    backend = backend_for(double.url, tmp_path)
    first = full_load(backend, 2)
    assert backend.current() == first
    assert double.cluster.indices[f"pressarchive-articles-{first}"].settings[
        "refresh_interval"] == "1s"
    double.requests.clear()
    second = full_load(backend, 3)
    assert second > first and backend.current() == second
    [swap] = double.calls("indices.update_aliases")
    assert swap.body == {"actions": [
        {"remove": {"index": f"pressarchive-articles-{first}", "alias": "pressarchive-articles"}},
        {"add": {"index": f"pressarchive-articles-{second}", "alias": "pressarchive-articles"}},
        {"remove": {"index": f"pressarchive-comments-{first}", "alias": "pressarchive-comments"}},
        {"add": {"index": f"pressarchive-comments-{second}", "alias": "pressarchive-comments"}},
    ]}
    deletes = double.calls("indices.delete")
    assert {d.path for d in deletes} == {f"/pressarchive-articles-{first}",
                                         f"/pressarchive-comments-{first}"}
    assert double.requests.index(swap) < min(double.requests.index(d) for d in deletes)
    assert backend.count("articles") == 3


def test_full_load_turns_refresh_off_then_restores_it(double: ElasticsearchDouble,
                                                      tmp_path: Path) -> None:
    backend = backend_for(double.url, tmp_path)
    version = backend.new_version()
    built = double.cluster.indices[f"pressarchive-articles-{version}"]
    assert {k: built.settings[k] for k in ("refresh_interval", "number_of_replicas",
                                           "auto_expand_replicas")} == {
        "refresh_interval": "-1", "number_of_replicas": 0, "auto_expand_replicas": "false"}
    backend.upsert(version, "articles", iter([articles(1)]))
    assert built.searchable() == {}  # nothing visible before the refresh
    backend.upsert(version, "comments", iter([]))
    backend.publish(version)
    assert built.settings["refresh_interval"] == "1s"
    assert built.settings["auto_expand_replicas"] == "0-1"
    assert list(built.searchable()) == ["a0"]


def test_count_mismatch_keeps_the_old_version_live(double: ElasticsearchDouble,
                                                   tmp_path: Path) -> None:
    backend = backend_for(double.url, tmp_path)
    first = full_load(backend, 2)
    version = backend.new_version()
    backend.upsert(version, "articles", iter([articles(3)]))
    backend.upsert(version, "comments", iter([]))
    double.documents(f"pressarchive-articles-{version}").pop("a0")  # a document went missing
    with pytest.raises(ElasticsearchError, match="holds 2 documents but 3 were written"):
        backend.publish(version)
    assert backend.current() == first
    assert f"pressarchive-articles-{first}" in double.cluster.indices
    assert len(double.calls("indices.update_aliases")) == 1  # only the first publish


def test_a_retried_bulk_reporting_updated_does_not_trip_the_count_check(
        double: ElasticsearchDouble, tmp_path: Path) -> None:
    backend = backend_for(double.url, tmp_path)
    version = backend.new_version()
    original = double.api_bulk

    def written_then_lost(path: dict, params: dict, body: list) -> dict:
        answer = original(path, params, body)  # the cluster wrote the documents...
        if len(double.calls("bulk")) == 1:
            raise ApiFailure(504, "gateway_timeout", "no answer in time")  # ...never told
        return answer

    double.api_bulk = written_then_lost  # type: ignore[method-assign]
    backend.upsert(version, "articles", iter([articles(3)]))
    backend.upsert(version, "comments", iter([]))
    assert backend.figures()["articles/updated"] == 3  # the retry saw them as updates
    backend.publish(version)
    assert backend.current() == version


def test_failed_build_is_cleaned_up_by_the_next_publish(double: ElasticsearchDouble,
                                                        tmp_path: Path) -> None:
    backend = backend_for(double.url, tmp_path)
    abandoned = backend.new_version()  # a full load that died before publish
    live = full_load(backend, 1)
    assert sorted(double.cluster.indices) == [f"pressarchive-articles-{live}",
                                              f"pressarchive-comments-{live}"]
    assert abandoned < live
