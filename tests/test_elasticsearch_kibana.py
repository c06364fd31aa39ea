"""`infra/kibana/saved_objects.ndjson`: importable, consistent, and only naming fields that
the index templates define. Regenerate with `python -m archive.search.es_kibana`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from archive.search.es_kibana import NDJSON_PATH, saved_objects, to_ndjson
from schemas.elasticsearch import TIME_FIELD, TIME_SOURCE_FIELD, index_template
from schemas.records import ENTITIES
from tests.es_double import ElasticsearchDouble
from tests.es_support import SEEN, STACK_VERSION, article_row, backend_for, comment_row, tables

LINES = NDJSON_PATH.read_text().splitlines()
OBJECTS = [json.loads(line) for line in LINES]
BY_KEY = {(o["type"], o["id"]): o for o in OBJECTS}
DATA_VIEWS = {o["id"]: o for o in OBJECTS if o["type"] == "index-pattern"}
AGGREGATABLE = {"keyword", "date", "integer", "boolean"}


def template_fields(entity: str) -> dict[str, str]:
    """Every field path of the template (subfields too), with its type."""
    fields = {}
    properties = index_template(ENTITIES[entity])["template"]["mappings"]["properties"]
    for name, mapping in properties.items():
        fields[name] = mapping["type"]
        for sub, submapping in mapping.get("fields", {}).items():
            fields[f"{name}.{sub}"] = submapping["type"]
    return fields


def entity_of(data_view_id: str) -> str:
    return DATA_VIEWS[data_view_id]["attributes"]["title"].rsplit("-", 1)[1]


def test_committed_ndjson_equals_the_generated_objects() -> None:
    assert NDJSON_PATH.read_text() == to_ndjson(saved_objects()), \
        "regenerate with `python -m archive.search.es_kibana`"


def test_every_line_is_one_object_with_a_unique_id() -> None:
    assert all(line.startswith("{") and line.endswith("}") for line in LINES)
    assert len(BY_KEY) == len(OBJECTS) == len({o["id"] for o in OBJECTS})
    assert {o["type"] for o in OBJECTS} == {"index-pattern", "search", "dashboard"}


def test_references_resolve() -> None:
    for obj in OBJECTS:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in BY_KEY, (obj["id"], ref)
        names = [ref["name"] for ref in obj["references"]]
        assert len(names) == len(set(names)), obj["id"]


def test_searches_point_at_their_data_view() -> None:
    for obj in (o for o in OBJECTS if o["type"] == "search"):
        source = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
        names = {ref["name"]: ref for ref in obj["references"]}
        assert names[source["indexRefName"]]["type"] == "index-pattern"


def test_dashboard_panels_resolve_to_references() -> None:
    [board] = [o for o in OBJECTS if o["type"] == "dashboard"]
    names = {ref["name"] for ref in board["references"]}
    panels = json.loads(board["attributes"]["panelsJSON"])
    assert len({p["panelIndex"] for p in panels}) == len(panels)
    for panel in panels:
        assert panel["gridData"]["i"] == panel["panelIndex"]
        if "panelRefName" in panel:
            assert f"{panel['panelIndex']}:{panel['panelRefName']}" in names
        else:
            for ref in panel["embeddableConfig"]["attributes"]["references"]:
                assert f"{panel['panelIndex']}:{ref['name']}" in names
    titles = {p.get("title") for p in panels}
    assert {"Articles per day by site", "Comments per day by site",
            "Most active commenters"} <= titles


def test_data_views_are_the_aliases_with_the_fallback_time_field() -> None:
    assert set(DATA_VIEWS) == {"pressarchive-articles", "pressarchive-comments"}
    for view in DATA_VIEWS.values():
        attributes = view["attributes"]
        assert attributes["title"] == view["id"] and "*" not in attributes["title"]
        assert attributes["timeFieldName"] == TIME_FIELD == "@timestamp"
        assert template_fields(entity_of(view["id"]))[TIME_FIELD] == "date"


def test_a_comment_without_publication_time_is_in_kibanas_time_range(tmp_path: Path) -> None:
    """What Discover asks for a time range (a range filter on the data view's time field)
    finds a comment whose date could not be read, at the time it was first archived."""
    from elasticsearch import Elasticsearch

    article = article_row("a1")
    undated = comment_row("a1-1", article, published_at=None)
    dated = comment_row("a1-2", article, position=2)
    with ElasticsearchDouble(STACK_VERSION) as double:
        backend = backend_for(double.url, tmp_path)
        backend.setup()
        version = backend.new_version()
        backend.upsert(version, "comments", iter([tables([], [undated, dated])["comments"]]))
        backend.upsert(version, "articles", iter([]))
        backend.publish(version)
        discover = {"range": {TIME_FIELD: {"gte": f"{SEEN:%Y-%m-%d}T00:00:00.000Z",
                                           "lte": f"{SEEN:%Y-%m-%d}T23:59:59.999Z",
                                           "format": "strict_date_optional_time"}}}
        hits = Elasticsearch(double.url).search(index="pressarchive-comments",
                                                query={"bool": {"filter": [discover]}})
        [hit] = hits.body["hits"]["hits"]
    assert hit["_id"] == "a1-1" and "published_at" not in hit["_source"]
    assert hit["_source"][TIME_FIELD] == SEEN.isoformat().replace("+00:00", "Z")
    assert hit["_source"][TIME_SOURCE_FIELD] == "first_seen"


def test_no_formatter_renders_crawled_text_as_links_or_html() -> None:
    for view in DATA_VIEWS.values():
        formats = json.loads(view["attributes"]["fieldFormatMap"])
        assert formats, "crawled fields get an explicit plain-text formatter"
        for field, spec in formats.items():
            assert spec == {"id": "string"}, field
    text = NDJSON_PATH.read_text()
    assert "urlTemplate" not in text and "labelTemplate" not in text


def _lens_fields(panel: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    attributes = panel["embeddableConfig"]["attributes"]
    [ref] = attributes["references"]
    layers = attributes["state"]["datasourceStates"]["formBased"]["layers"]
    used = [(c["sourceField"], c["operationType"]) for layer in layers.values()
            for c in layer["columns"].values() if c["sourceField"] != "___records___"]
    return ref["id"], used


def test_every_named_field_exists_in_the_templates() -> None:
    for view in DATA_VIEWS.values():
        fields = template_fields(entity_of(view["id"]))
        assert set(json.loads(view["attributes"]["fieldFormatMap"])) <= set(fields)
    for search in (o for o in OBJECTS if o["type"] == "search"):
        fields = template_fields(entity_of(search["references"][0]["id"]))
        named = search["attributes"]["columns"] + [s[0] for s in search["attributes"]["sort"]]
        assert set(named) <= set(fields), search["id"]
        sorted_on = [fields[s[0]] for s in search["attributes"]["sort"]]
        assert set(sorted_on) <= AGGREGATABLE, search["id"]
    [board] = [o for o in OBJECTS if o["type"] == "dashboard"]
    for panel in json.loads(board["attributes"]["panelsJSON"]):
        if panel["type"] == "lens":
            view, used = _lens_fields(panel)
            fields = template_fields(entity_of(view))
            for field, _operation in used:
                assert fields.get(field) in AGGREGATABLE, (panel["title"], field)


@pytest.mark.parametrize("prefix", ["team-a"])
def test_objects_follow_a_custom_prefix(prefix: str) -> None:
    text = to_ndjson(saved_objects(prefix))
    assert "pressarchive-" not in text
    assert f'"title": "{prefix}-articles"' in text
