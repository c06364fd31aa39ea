"""Kibana saved objects for analysts: data views, saved searches and one dashboard.

Written as NDJSON for `POST /api/saved_objects/_import` to `infra/kibana/saved_objects.ndjson`
by `python -m archive.search.es_kibana`; a test fails when the committed file differs
from what this module generates, and checks that every field the objects name exists in
the index templates. The setup (`archive.search.es_setup`) imports the same objects, built
for the configured index prefix.

- Data views on the aliases (never on versioned indices, which come and go), time field
  `@timestamp`: the publication time, or the time the record was first archived when the
  page stated none (`timestamp_source` tells which), so that a comment without a readable
  date is still inside the time range where it was collected. `published_at` stays as it
  is, for filters on the publication time itself.
- Crawled strings are shown with the plain `string` formatter: no `url` formatter and no
  templates (label or URL) on crawled fields, so a hostile page cannot turn its text or
  its URL into a link or markup in Kibana (stored-XSS hygiene).
- Dashboard: articles and comments per day split by site, most active commenters (Lens,
  by value), and the most-commented articles and latest comments (saved searches).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

from schemas.elasticsearch import DEFAULT_PREFIX, TIME_FIELD, alias_name

NDJSON_PATH = Path(__file__).resolve().parents[2] / "infra" / "kibana" / "saved_objects.ndjson"
CORE_MIGRATION = "8.8.0"
# The shapes below are those of Kibana 8.11+ exports; older type versions make Kibana run
# its own migrations on import, as it does for its bundled sample data.
TYPE_MIGRATION = {"index-pattern": "7.11.0", "search": "7.9.3", "dashboard": "8.7.0"}
PANEL_VERSION = "8.11.0"
PLAIN_TEXT = {"id": "string"}
PLAIN_FIELDS: dict[str, tuple[str, ...]] = {
    "articles": ("url", "title", "text", "authors", "section", "tags", "published_raw"),
    "comments": ("article_url", "article_title", "text", "author", "published_raw"),
}
_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-4d0b-9c57-2b1e0f7a9d10")


def _uid(name: str) -> str:
    """A stable id that looks like the ones Kibana generates."""
    return str(uuid.uuid5(_NAMESPACE, name))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def data_view_id(entity: str, prefix: str = DEFAULT_PREFIX) -> str:
    return alias_name(entity, prefix)


def _data_view(entity: str, prefix: str) -> dict[str, Any]:
    return {
        "type": "index-pattern",
        "id": data_view_id(entity, prefix),
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION["index-pattern"],
        "managed": False,
        "references": [],
        "attributes": {
            "title": alias_name(entity, prefix),
            "name": f"pressarchive {entity}",
            "timeFieldName": TIME_FIELD,
            "fieldFormatMap": _json({f: PLAIN_TEXT for f in PLAIN_FIELDS[entity]}),
            "fieldAttrs": "{}",
            "fields": "[]",
            "runtimeFieldMap": "{}",
            "sourceFilters": "[]",
            "typeMeta": "{}",
        },
    }


def _search(key: str, title: str, entity: str, prefix: str, columns: list[str],
            sort: list[list[str]], description: str) -> dict[str, Any]:
    source = {"query": {"query": "", "language": "kuery"}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return {
        "type": "search",
        "id": f"{prefix}-{key}",
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION["search"],
        "managed": False,
        "references": [{"type": "index-pattern", "id": data_view_id(entity, prefix),
                        "name": "kibanaSavedObjectMeta.searchSourceJSON.index"}],
        "attributes": {
            "title": title,
            "description": description,
            "columns": columns,
            "sort": sort,
            "hits": 0,
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _json(source)},
        },
    }


def searches(prefix: str) -> list[dict[str, Any]]:
    return [
        _search("latest-comments", "Latest comments", "comments", prefix,
                ["author", "article_title", "site", "text"], [[TIME_FIELD, "desc"]],
                "Reader comments, newest first, with their article's title."),
        _search("articles-by-site", "Articles by site", "articles", prefix,
                ["site", "title", "authors", "comment_count"],
                [["site", "asc"], [TIME_FIELD, "desc"]],
                "Articles grouped by site, newest first within a site."),
        _search("most-commented-articles", "Most-commented articles", "articles", prefix,
                ["title", "site", "comment_count", "url"], [["comment_count", "desc"]],
                "Articles with the most archived comments first."),
    ]


# --- Lens panels (by value, inside the dashboard) --------------------------------------------

def _count_column() -> dict[str, Any]:
    return {"label": "Count of records", "dataType": "number", "operationType": "count",
            "isBucketed": False, "scale": "ratio", "sourceField": "___records___",
            "params": {"emptyAsNull": True}}


def _terms_column(field: str, label: str, size: int, order_by: str) -> dict[str, Any]:
    return {"label": label, "customLabel": True, "dataType": "string",
            "operationType": "terms", "scale": "ordinal", "sourceField": field,
            "isBucketed": True,
            "params": {"size": size, "orderBy": {"type": "column", "columnId": order_by},
                       "orderDirection": "desc", "otherBucket": True, "missingBucket": False,
                       "parentFormat": {"id": "terms"}}}


def _lens_panel(key: str, title: str, entity: str, prefix: str, grid: dict[str, int],
                columns: dict[str, dict[str, Any]], layer: dict[str, Any],
                series: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A Lens XY panel and the dashboard references its layer needs."""
    layer_id = _uid(f"{key}-layer")
    view = data_view_id(entity, prefix)
    reference_name = f"indexpattern-datasource-layer-{layer_id}"
    state = {
        "visualization": {
            "legend": {"isVisible": True, "position": "right"},
            "valueLabels": "hide",
            "fittingFunction": "None",
            "preferredSeriesType": series,
            "layers": [{"layerId": layer_id, "layerType": "data", "seriesType": series,
                        "position": "top", "showGridlines": False, **layer}],
        },
        "query": {"query": "", "language": "kuery"},
        "filters": [],
        "datasourceStates": {"formBased": {"layers": {layer_id: {
            "columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}}}},
        "internalReferences": [],
        "adHocDataViews": {},
    }
    panel = {
        "version": PANEL_VERSION,
        "type": "lens",
        "gridData": {**grid, "i": key},
        "panelIndex": key,
        "embeddableConfig": {"enhancements": {}, "attributes": {
            "title": title, "visualizationType": "lnsXY", "type": "lens",
            "references": [{"type": "index-pattern", "id": view, "name": reference_name}],
            "state": state}},
        "title": title,
    }
    return panel, [{"type": "index-pattern", "id": view, "name": f"{key}:{reference_name}"}]


def _per_day_by_site(key: str, title: str, entity: str, prefix: str,
                     grid: dict[str, int]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    site, day, count = _uid(f"{key}-site"), _uid(f"{key}-day"), _uid(f"{key}-count")
    columns = {
        site: _terms_column("site", "Site", 10, count),
        day: {"label": f"Day ({TIME_FIELD})", "customLabel": True, "dataType": "date",
              "operationType": "date_histogram", "sourceField": TIME_FIELD,
              "isBucketed": True, "scale": "interval",
              "params": {"interval": "1d", "includeEmptyRows": True, "dropPartials": False}},
        count: _count_column(),
    }
    layer = {"xAccessor": day, "splitAccessor": site, "accessors": [count]}
    return _lens_panel(key, title, entity, prefix, grid, columns, layer, "bar_stacked")


def _top_commenters(prefix: str, grid: dict[str, int]
                    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    key = "commenters"
    author, count = _uid(f"{key}-author"), _uid(f"{key}-count")
    columns = {author: _terms_column("author.keyword", "Commenter", 15, count),
               count: {**_count_column(), "label": "Comments", "customLabel": True}}
    layer = {"xAccessor": author, "accessors": [count]}
    return _lens_panel(key, "Most active commenters", "comments", prefix, grid, columns, layer,
                       "bar_horizontal")


def _search_panel(key: str, search_id: str, grid: dict[str, int]
                  ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    panel = {"version": PANEL_VERSION, "type": "search", "gridData": {**grid, "i": key},
             "panelIndex": key, "embeddableConfig": {"enhancements": {}},
             "panelRefName": f"panel_{key}"}
    return panel, [{"type": "search", "id": search_id, "name": f"{key}:panel_{key}"}]


def dashboard(prefix: str) -> dict[str, Any]:
    parts = [
        _per_day_by_site("articles-per-day", "Articles per day by site", "articles", prefix,
                         {"x": 0, "y": 0, "w": 24, "h": 14}),
        _per_day_by_site("comments-per-day", "Comments per day by site", "comments", prefix,
                         {"x": 24, "y": 0, "w": 24, "h": 14}),
        _search_panel("most-commented", f"{prefix}-most-commented-articles",
                      {"x": 0, "y": 14, "w": 24, "h": 16}),
        _top_commenters(prefix, {"x": 24, "y": 14, "w": 24, "h": 16}),
        _search_panel("latest-comments", f"{prefix}-latest-comments",
                      {"x": 0, "y": 30, "w": 48, "h": 16}),
    ]
    return {
        "type": "dashboard",
        "id": f"{prefix}-overview",
        "coreMigrationVersion": CORE_MIGRATION,
        "typeMigrationVersion": TYPE_MIGRATION["dashboard"],
        "managed": False,
        "references": [ref for _, refs in parts for ref in refs],
        "attributes": {
            "title": "pressarchive: articles and comments",
            "description": "What was archived, per day and site; the most-commented articles "
                           "and the most active commenters. Times are UTC.",
            "panelsJSON": _json([panel for panel, _ in parts]),
            "optionsJSON": _json({"useMargins": True, "syncColors": False, "syncCursor": True,
                                  "syncTooltips": False, "hidePanelTitles": False}),
            "timeRestore": False,
            "version": 1,
            "kibanaSavedObjectMeta": {"searchSourceJSON": _json(
                {"query": {"query": "", "language": "kuery"}, "filter": []})},
        },
    }


def saved_objects(prefix: str = DEFAULT_PREFIX) -> list[dict[str, Any]]:
    """Every object, referenced ones before the objects that reference them."""
    return [_data_view("articles", prefix), _data_view("comments", prefix),
            *searches(prefix), dashboard(prefix)]


def to_ndjson(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, sort_keys=True, ensure_ascii=False) + "\n" for o in objects)


def write_ndjson(path: Path = NDJSON_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_ndjson(saved_objects()))
    return path


if __name__ == "__main__":
    sys.stdout.write(f"wrote {write_ndjson()}\n")
