"""What earlier crawls of a site know about its articles, for incremental nightly runs.

One SQLite file per site (`DIR/state/crawl/<site>.sqlite`): per article URL, when it was
last fetched completely, its publication time, and the validators (ETag, Last-Modified)
the site gave. A new run fetches an article again only if it is new, changed according to
its sitemap `lastmod`, or young enough (the recrawl window) to be collecting comments; a
refetch is conditional, so an unchanged page costs a 304; its other comment pages (kept
here) are read again all the same, since a comment added or edited there need not change
the article page.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from archive.times import to_utc

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    published_at TEXT,
    fetched_at TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    comment_pages TEXT
)
"""
_FACTS = "CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL)"
"""What a crawl learnt about the site once for all runs (e.g. `date_order`)."""


@dataclass(frozen=True)
class Known:
    url: str
    published_at: datetime | None
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    comment_pages: tuple[str, ...] = ()
    """The article's other comment pages last time it was read (HTML)."""


@dataclass(frozen=True)
class Decision:
    fetch: bool
    reason: str
    headers: dict[str, str]
    known: Known | None = None


class CrawlState:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(_SCHEMA)
        self.db.execute(_FACTS)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        if "comment_pages" not in columns:  # a state file from before comment pages were kept
            self.db.execute("ALTER TABLE articles ADD COLUMN comment_pages TEXT")

    def known(self, key: str) -> Known | None:
        row = self.db.execute(
            "SELECT url, published_at, fetched_at, etag, last_modified, comment_pages "
            "FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        pages = tuple(json.loads(row[5])) if row[5] else ()
        return Known(row[0], _dt(row[1]), _dt(row[2]) or datetime.min, row[3], row[4], pages)

    def decide(self, key: str, started: datetime, recrawl: timedelta,
               lastmod: datetime | None = None) -> Decision:
        """Whether to fetch an article again, and with which conditional headers.

        Comments do not change a post's `lastmod`, so an article inside the recrawl window
        is fetched again (conditionally) whatever its `lastmod`; outside it, only a newer
        `lastmod` brings it back.
        """
        known = self.known(key)
        if known is None:
            return Decision(True, "new", {})
        if lastmod is not None and lastmod > known.fetched_at:
            return Decision(True, "changed_lastmod", {})
        if known.published_at is None or known.published_at >= started - recrawl:
            headers = {}
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            return Decision(True, "recrawl_window", headers, known)
        return Decision(False, "outside_recrawl_window", {})

    def record(self, key: str, url: str, published_at: str | None, fetched_at: str,
               etag: str | None, last_modified: str | None,
               comment_pages: list[str] | None = None) -> None:
        self.db.execute(
            "INSERT INTO articles (key, url, published_at, fetched_at, etag, last_modified, "
            "comment_pages) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "url=excluded.url, published_at=COALESCE(excluded.published_at, published_at), "
            "fetched_at=excluded.fetched_at, etag=excluded.etag, "
            "last_modified=excluded.last_modified, comment_pages=excluded.comment_pages",
            (key, url, published_at, fetched_at, etag, last_modified,
             json.dumps(comment_pages) if comment_pages else None))

    def fact(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM facts WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def learn(self, name: str, value: str) -> str:
        """Keep `value` for `name` unless one is already kept; the kept value."""
        self.db.execute("INSERT OR IGNORE INTO facts VALUES (?, ?)", (name, value))
        return self.fact(name) or value

    def close(self) -> None:
        self.db.close()


def _dt(value: str | None) -> datetime | None:
    return to_utc(value)
