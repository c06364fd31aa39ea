"""The record schemas are the single source of truth: derived artefacts never drift."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from schemas.docs import section
from schemas.records import ARTICLE, COMMENT, ENTITIES

README = Path(__file__).resolve().parent.parent / "schemas" / "README.md"
DESIGN_ARTICLE = {"article_id", "url", "site", "title", "authors", "published_at",
                  "modified_at", "language", "section", "tags", "text", "comment_count",
                  "content_hash", "duplicate_of", "first_seen_at", "last_seen_at",
                  "crawl_run_id"}
DESIGN_COMMENT = {"comment_id", "article_id", "parent_id", "author", "published_at", "text",
                  "position", "content_hash", "edited", "first_seen_at", "last_seen_at",
                  "site", "article_title", "article_url"}


def test_readme_column_tables_match_the_schemas() -> None:
    text = README.read_text(encoding="utf-8")
    for entity in ENTITIES.values():
        assert section(entity) in text, f"run `python -m schemas.docs` for {entity.name}"


def test_arrow_schemas_have_every_field_in_order() -> None:
    assert ARTICLE_SCHEMA.names == ARTICLE.names
    assert COMMENT_SCHEMA.names == COMMENT.names


def test_design_minimum_fields_are_present() -> None:
    assert set(ARTICLE.names) >= DESIGN_ARTICLE
    assert set(COMMENT.names) >= DESIGN_COMMENT


def test_every_timestamp_is_utc() -> None:
    for schema in (ARTICLE_SCHEMA, COMMENT_SCHEMA):
        for field in schema:
            if pa.types.is_timestamp(field.type):
                assert field.type.tz == "UTC", field.name


def test_keys_are_not_nullable() -> None:
    for entity in ENTITIES.values():
        assert not entity.field(entity.primary_key).nullable
        for key in entity.partition_by:
            assert not entity.field(key).nullable


def test_schema_version_travels_in_the_metadata() -> None:
    assert ARTICLE_SCHEMA.metadata[b"pressarchive.version"] == b"1"


def test_the_raw_items_are_built_from_the_raw_contract() -> None:
    from crawler.items import ArticleDoneItem, ArticleItem, CommentItem
    from schemas.records import RAW_ARTICLE, RAW_COMMENT, RAW_DONE

    for item, record in ((ArticleItem, RAW_ARTICLE), (CommentItem, RAW_COMMENT),
                         (ArticleDoneItem, RAW_DONE)):
        assert sorted(item.fields) == sorted(record.names)


def test_every_column_taken_from_the_raw_record_is_in_the_raw_contract() -> None:
    from schemas.arrow import RAW_SCHEMA
    from schemas.records import RAW_ARTICLE, RAW_COMMENT

    for entity, record in ((ARTICLE, RAW_ARTICLE), (COMMENT, RAW_COMMENT)):
        assert {f.name for f in entity.from_raw} <= set(record.names)
        assert set(record.names) <= set(RAW_SCHEMA.names)


def test_every_curated_row_carries_its_provenance() -> None:
    provenance = {"extractor_version", "layout", "timezone", "timezone_source", "fetched_at"}
    assert set(ARTICLE.names) >= provenance | {"comment_system", "comment_count_stated"}
    assert set(COMMENT.names) >= provenance | {"removed_at", "edit_count"}


def test_readme_documents_the_raw_records() -> None:
    from schemas.records import RAW_RECORDS

    text = README.read_text(encoding="utf-8")
    for record in RAW_RECORDS.values():
        assert section(record) in text, "run `python -m schemas.docs`"
