"""What the Elasticsearch tests share: the backend on a given URL, archive rows built by
code, the archive written to Parquet, dead letters read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from archive.layout import DataDir
from archive.process import Archive
from archive.search.elasticsearch_backend import ElasticsearchBackend, dead_letter_dir
from archive.search.es_bulk import BulkOptions
from archive.search.es_config import ElasticsearchSettings, connect
from schemas.arrow import ARTICLE_SCHEMA, COMMENT_SCHEMA
from tests.es_double import compose_stack_version

STACK_VERSION = compose_stack_version()
FAST = BulkOptions(chunk_size=3, max_retries=3, initial_backoff=0.01, max_backoff=0.02)
WHEN = datetime(2019, 2, 11, 13, 26, tzinfo=UTC)
SEEN = datetime(2019, 3, 2, 6, 0, tzinfo=UTC)


def backend_for(url: str, directory: Path, bulk: BulkOptions = FAST,
                environ: dict[str, str] | None = None) -> ElasticsearchBackend:
    settings = ElasticsearchSettings.from_env(url, environ or {})
    return ElasticsearchBackend(connect(settings), url=settings.url,
                                dead_letters=directory / "dead-letter",
                                prefix=settings.index_prefix, bulk=bulk)


def article_row(article_id: str, *, site: str = "example.org", text: str | None = None,
                published_at: datetime | None = WHEN) -> dict[str, Any]:
    return {"article_id": article_id, "url": f"https://{site}/{article_id}", "site": site,
            "title": f"Title {article_id}", "authors": ["Jane Doe"],
            "published_at": published_at, "text": text or f"Body {article_id}",
            "word_count": 2, "comment_count": 0, "content_hash": f"h-{article_id}",
            "first_seen_at": SEEN, "last_seen_at": SEEN, "fetched_at": SEEN,
            "crawl_run_id": "run-1",
            "month": f"{published_at:%Y-%m}" if published_at else "unknown"}


def comment_row(comment_id: str, article: dict[str, Any], *, position: int = 1,
                published_at: datetime | None = WHEN, text: str | None = None
                ) -> dict[str, Any]:
    return {"comment_id": comment_id, "article_id": article["article_id"], "author": "SteveM",
            "published_at": published_at, "text": text or f"Comment {comment_id}",
            "position": position, "word_count": 2, "content_hash": f"h-{comment_id}",
            "edited": False, "edit_count": 0, "site": article["site"],
            "article_title": article["title"],
            "article_url": article["url"], "first_seen_at": SEEN, "last_seen_at": SEEN,
            "fetched_at": SEEN, "crawl_run_id": "run-1", "month": article["month"]}


def articles(n: int) -> pa.Table:
    return pa.Table.from_pylist([article_row(f"a{i}") for i in range(n)], schema=ARTICLE_SCHEMA)


def tables(article_rows: list[dict[str, Any]], comment_rows: list[dict[str, Any]]
           ) -> dict[str, pa.Table]:
    return {"articles": pa.Table.from_pylist(article_rows, schema=ARTICLE_SCHEMA),
            "comments": pa.Table.from_pylist(comment_rows, schema=COMMENT_SCHEMA)}


def write_archive(data: DataDir, entity_tables: dict[str, pa.Table]) -> None:
    """Each table into its partitions of the Parquet archive."""
    archive = Archive.open(data)
    for entity, table in entity_tables.items():
        store = getattr(archive, entity)
        for site, month in sorted({(r["site"], r["month"]) for r in
                                   table.select(["site", "month"]).to_pylist()}):
            rows = table.filter(pc.and_(pc.equal(table["site"], site),
                                        pc.equal(table["month"], month)))
            store.write((site, month), rows)


def dead_letters(directory: Path) -> list[dict[str, Any]]:
    """Pending dead-letter records under `directory` (a data dir's or a backend's)."""
    root = dead_letter_dir(DataDir.at(directory)) if (directory / "state").exists() else \
        directory / "dead-letter"
    return [json.loads(line) for path in sorted(root.glob("*.jsonl"))
            for line in path.read_text().splitlines()]
