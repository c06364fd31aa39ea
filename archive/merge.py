"""Merging a run's rows into a partition: one row per id, the newest fetch wins.

The rules are order-independent, so processing runs again, or out of order, converges to
the same archive: `first_seen_at` is the earliest fetch, `last_seen_at` the latest, the
content is the newest version's (see `version_key`), and a comment whose text differs
between fetches is `edited`. Rows not seen again are kept as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

Row = dict[str, Any]
_NEVER = datetime.max
REPROCESS_PREFIX = "reprocess-"


def version_key(fetched_at: datetime, crawl_run_id: str | None,
                content_hash: str | None) -> tuple[Any, ...]:
    """Which of two versions of a record is the newer: the later fetch; for the same fetch
    (a response re-extracted offline by `pressarchive reprocess`), the re-extraction, the
    later one first; then, only to be deterministic, the run id and the content."""
    run = crawl_run_id or ""
    return (fetched_at, run.startswith(REPROCESS_PREFIX), run, content_hash or "")


def row_version(row: Row) -> tuple[Any, ...]:
    return version_key(row["fetched_at"], row.get("crawl_run_id"), row.get("content_hash"))


def merge_rows(current: Row | None, incoming: Row) -> Row:
    if current is None:
        return dict(incoming)
    newer, older = ((incoming, current) if row_version(incoming) >= row_version(current)
                    else (current, incoming))
    row = dict(newer)
    row["first_seen_at"] = min(current["first_seen_at"], incoming["first_seen_at"])
    row["last_seen_at"] = max(current["last_seen_at"], incoming["last_seen_at"])
    if "edited" in row:
        row["edited"] = bool(current["edited"] or incoming["edited"]
                             or current["content_hash"] != incoming["content_hash"])
    if row.get("published_at") is None and older.get("published_at") is not None:
        row["published_at"] = older["published_at"]
    return row


def upsert(existing: Iterable[Row], incoming: Iterable[Row], key: str) -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for row in existing:
        rows[row[key]] = merge_rows(rows.get(row[key]), row)
    for row in incoming:
        rows[row[key]] = merge_rows(rows.get(row[key]), row)
    return rows


def finish_partition(articles: dict[str, Row], comments: dict[str, Row]) -> None:
    """Derived fields of one partition: comment positions and counts, article fields on
    comments (title, URL, site, language). `comments` must hold every comment of each
    article in `articles`."""
    by_article: dict[str, list[Row]] = {}
    for comment in comments.values():
        by_article.setdefault(comment["article_id"], []).append(comment)
    for article_id, thread in by_article.items():
        article = articles.get(article_id)
        thread.sort(key=lambda c: (c["published_at"] or _NEVER.replace(
            tzinfo=c["fetched_at"].tzinfo), c["comment_id"]))
        for position, comment in enumerate(thread, start=1):
            comment["position"] = position
            if article is not None:
                comment["site"] = article["site"]
                comment["month"] = article["month"]
                comment["article_title"] = article["title"]
                comment["article_url"] = article["url"]
                comment["language"] = comment["language"] or article["language"]
    for article_id, article in articles.items():
        article["comment_count"] = len(by_article.get(article_id, ()))
