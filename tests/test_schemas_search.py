"""The Elasticsearch templates follow the record schemas and the committed JSON follows the
code. Run `python -m schemas.elasticsearch` after changing either."""

from __future__ import annotations

import json

import pytest

import schemas.elasticsearch
from schemas.elasticsearch import (
    TEMPLATE_DIR,
    TIME_FIELD,
    derived_mappings,
    exact_field,
    field_mapping,
    index_template,
    render,
    schema_meta,
    template_hash,
    templates,
)
from schemas.fields import Field, Kind
from schemas.records import ARTICLE, COMMENT, ENTITIES

REGENERATE = "regenerate with `python -m schemas.elasticsearch`"


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=list(ENTITIES))
def test_committed_template_equals_the_generated_one(entity) -> None:
    committed = (TEMPLATE_DIR / f"{entity.name}.json").read_text()
    assert committed == render(index_template(entity)), REGENERATE


def test_no_stray_template_files() -> None:
    assert sorted(p.stem for p in TEMPLATE_DIR.glob("*.json")) == sorted(ENTITIES)


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=list(ENTITIES))
def test_every_record_field_is_mapped_and_nothing_else(entity) -> None:
    template = json.loads((TEMPLATE_DIR / f"{entity.name}.json").read_text())
    mappings = template["template"]["mappings"]
    assert mappings["dynamic"] == "strict"
    assert set(mappings["properties"]) == set(entity.names) | set(derived_mappings())


def test_each_kind_has_its_mapping() -> None:
    def mapped(kind: Kind, name: str = "x") -> dict:
        return field_mapping(Field(name, kind, ""))

    text = mapped(Kind.TEXT)
    assert text["type"] == "text" and text["analyzer"] == "english"
    assert text["index_options"] == "offsets"  # highlighting never re-analyses long text
    assert text["fields"] == {"std": {"type": "text", "analyzer": "standard",
                                      "index_options": "offsets"}}
    assert mapped(Kind.ID) == {"type": "keyword"}
    assert mapped(Kind.URL)["type"] == mapped(Kind.KEYWORD)["type"] == "keyword"
    assert mapped(Kind.KEYWORDS)["type"] == "keyword"
    assert mapped(Kind.TIMESTAMP) == {"type": "date",
                                      "format": "strict_date_optional_time||epoch_millis"}
    assert mapped(Kind.INT) == {"type": "integer"}
    assert mapped(Kind.BOOL) == {"type": "boolean"}


def test_analysts_filter_and_aggregate_on_exact_values() -> None:
    assert exact_field(ARTICLE, "site") == "site"
    assert exact_field(ARTICLE, "tags") == "tags"
    assert exact_field(ARTICLE, "language") == "language"
    assert exact_field(ARTICLE, "authors") == "authors.keyword"
    assert exact_field(COMMENT, "author") == "author.keyword"
    assert exact_field(ARTICLE, "title") == "title.keyword"
    assert exact_field(COMMENT, "article_title") == "article_title.keyword"
    assert field_mapping(COMMENT.field("author"))["analyzer"] == "standard"  # names: no stems
    with pytest.raises(ValueError):
        exact_field(ARTICLE, "text")


def test_comments_carry_their_article_for_search_and_kibana() -> None:
    properties = index_template(COMMENT)["template"]["mappings"]["properties"]
    assert properties["article_title"]["analyzer"] == "english"
    assert properties["article_url"]["type"] == "keyword"
    assert properties["published_at"]["type"] == "date"


def test_prefix_and_replicas_are_configurable() -> None:
    custom = templates(prefix="team-a", replicas=2)
    assert set(custom) == {"team-a-articles", "team-a-comments"}
    settings = custom["team-a-articles"]["template"]["settings"]
    assert custom["team-a-articles"]["index_patterns"] == ["team-a-articles-*"]
    assert settings["number_of_replicas"] == 2 and "auto_expand_replicas" not in settings
    default = index_template(ARTICLE)["template"]["settings"]
    assert default["auto_expand_replicas"] == "0-1" and default["refresh_interval"] == "1s"


def test_the_kibana_time_field_is_a_date_beside_its_source() -> None:
    assert derived_mappings() == {TIME_FIELD: {"type": "date", "format":
                                               "strict_date_optional_time||epoch_millis"},
                                  "timestamp_source": {"type": "keyword"}}


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=list(ENTITIES))
def test_mapping_meta_names_the_schema_version_and_template_hash(entity) -> None:
    meta = index_template(entity)["template"]["mappings"]["_meta"]
    assert meta == schema_meta(entity) == {"entity": entity.name,
                                           "schema_version": entity.version,
                                           "template_hash": template_hash(entity)}


def test_the_template_hash_follows_the_mappings_not_the_replicas(monkeypatch) -> None:
    before = template_hash(ARTICLE)
    assert templates(replicas=3)["pressarchive-articles"]["template"]["mappings"]["_meta"][
        "template_hash"] == before
    monkeypatch.setattr(schemas.elasticsearch, "URL_IGNORE_ABOVE", 8192)
    assert template_hash(ARTICLE) != before
