"""The double answers as the server version compose runs would: the routes of that
version's REST API and nothing else, its request limits and its error shapes. These tests
talk to it with the real client, the way the backend does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from elasticsearch import ApiError, BadRequestError, Elasticsearch

from tests.es_double import ElasticsearchDouble
from tests.es_double.routes import Routes, recorded_versions
from tests.es_support import STACK_VERSION

API_CALLS = {  # what the project calls: es_indices, es_bulk, es_query, es_setup
    "info", "cluster.health", "security.put_role", "security.put_user",
    "security.change_password", "indices.put_index_template", "indices.delete_index_template",
    "indices.create", "indices.get", "indices.delete", "indices.get_alias",
    "indices.update_aliases", "indices.put_settings", "indices.refresh", "indices.get_mapping",
    "bulk", "count", "search", "open_point_in_time", "close_point_in_time"}


@pytest.fixture()
def double() -> Iterator[ElasticsearchDouble]:
    with ElasticsearchDouble(STACK_VERSION) as server:
        yield server


@pytest.fixture()
def client(double: ElasticsearchDouble) -> Elasticsearch:
    return Elasticsearch(double.url)


def test_it_reports_the_compose_stacks_version(client: Elasticsearch) -> None:
    assert client.info().body["version"]["number"] == STACK_VERSION


def test_routes_are_recorded_for_every_api_the_project_calls() -> None:
    for version in recorded_versions():
        assert {route.api for route in Routes(version).routes} >= API_CALLS


def test_resolve_index_takes_post_from_9_3_only() -> None:
    for version, allowed in (("9.1.5", "[GET]"), ("9.3.0", None), (STACK_VERSION, None)):
        with ElasticsearchDouble(version) as double:
            client = Elasticsearch(double.url)
            client.indices.create(index="a-1")
            if allowed is None:
                assert client.indices.resolve_index(name="a-*").body["indices"][0]["name"] == "a-1"
                continue
            with pytest.raises(ApiError) as refused:
                client.indices.resolve_index(name="a-*")  # the 9.5 client sends POST
            assert refused.value.meta.status == 405
            assert f"and method [POST], allowed: {allowed}" in str(refused.value)


def test_a_path_no_api_has_is_400_no_handler(client: Elasticsearch) -> None:
    with pytest.raises(BadRequestError, match="no handler found for uri"):
        client.perform_request("GET", "/_nodes/hot_threads/extra")


def test_literal_segments_win_over_index_names(double: ElasticsearchDouble,
                                               client: Elasticsearch) -> None:
    client.indices.create(index="pressarchive-x")
    client.perform_request("POST", "/_aliases", headers={"content-type": "application/json"},
                           body={"actions": [{"add": {"index": "pressarchive-x",
                                                      "alias": "x"}}]})
    assert [r.api for r in double.requests] == ["indices.create", "indices.update_aliases"]


def test_a_newer_major_media_type_is_refused(client: Elasticsearch) -> None:
    with pytest.raises(BadRequestError, match="media_type_header_exception"):
        client.perform_request("GET", "/", headers={
            "accept": "application/vnd.elasticsearch+json; compatible-with=10"})


def test_a_body_over_http_max_content_length_is_413_with_no_body() -> None:
    with ElasticsearchDouble(STACK_VERSION, max_content_length=1024) as double:
        client = Elasticsearch(double.url)
        operations = [{"index": {"_index": "i", "_id": "1"}}, {"text": "x" * 2000}]
        with pytest.raises(ApiError) as refused:
            client.bulk(operations=operations)
    assert refused.value.meta.status == 413 and not refused.value.body
    assert "i" not in double.cluster.indices


def test_an_index_refuses_a_field_its_strict_mapping_lacks(client: Elasticsearch) -> None:
    client.indices.create(index="strict", mappings={"dynamic": "strict", "properties": {
        "title": {"type": "text"}}})
    answer = client.bulk(operations=[{"index": {"_index": "strict", "_id": "1"}},
                                     {"title": "ok", "surprise": 1},
                                     {"index": {"_index": "strict", "_id": "2"}},
                                     {"title": "fine"}]).body
    first, second = (item["index"] for item in answer["items"])
    assert answer["errors"] is True and first["status"] == 400
    assert first["error"]["type"] == "strict_dynamic_mapping_exception"
    assert second["status"] == 201 and second["result"] == "created"


def test_results_past_the_window_are_refused(client: Elasticsearch) -> None:
    client.indices.create(index="w")
    with pytest.raises(BadRequestError, match=r"Result window is too large.*\[10010\]"):
        client.search(index="w", from_=10_000, size=10)


def test_unbounded_highlighting_of_long_text_fails_the_search(client: Elasticsearch) -> None:
    client.indices.create(index="h", mappings={"properties": {"text": {"type": "text"}}})
    client.bulk(operations=[{"index": {"_index": "h", "_id": "1"}}, {"text": "word " * 250_000}])
    with pytest.raises(BadRequestError, match="search_phase_execution_exception"):
        client.search(index="h", highlight={"fields": {"text": {"no_match_size": 10}}})
    bounded = client.search(index="h", highlight={"max_analyzed_offset": 999_999,
                                                  "fields": {"text": {"no_match_size": 10}}})
    assert bounded.body["hits"]["hits"][0]["highlight"]["text"] == ["word word "]


def test_a_point_in_time_rejects_an_index_in_the_path_and_expires_when_deleted(
        client: Elasticsearch) -> None:
    client.indices.create(index="p")
    pit = client.open_point_in_time(index="p", keep_alive="1m").body["id"]
    with pytest.raises(BadRequestError, match=r"\[indices\] cannot be used with point in time"):
        client.search(index="p", pit={"id": pit, "keep_alive": "1m"})
    assert client.search(pit={"id": pit, "keep_alive": "1m"}).body["pit_id"] == pit
    client.indices.delete(index="p")
    with pytest.raises(ApiError, match="search_context_missing_exception"):
        client.search(pit={"id": pit, "keep_alive": "1m"})
