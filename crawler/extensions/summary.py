"""The crawl's section of the run report: counts by outcome and durations, from the stats.

A run may take several sessions (a crawl stopped and resumed with the same run id): each
session that closes adds its own entry under `sessions`, `counts` adds them up, and the
stored articles and comments are counted in the raw zone itself (distinct ids), so a
session that was killed before it could report still counts there. Sessions with items
in the raw zone but no entry are listed as `killed_sessions`.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.layout import DataDir
from archive.reports import read_report, update_report
from crawler.extensions import hosted_comments
from crawler.rawzone import (
    COMPLETE_REASONS,
    SUCCESS_MARKER,
    item_files,
    read_items,
    session_of,
    site_run_dir,
)

# Report name -> the Scrapy stats that add up to it (a key ending in "/" or "*" is a prefix).
OUTCOMES: dict[str, tuple[str, ...]] = {
    "fetched": ("downloader/response_count",),
    "skipped_robots": ("robotstxt/forbidden",),
    "robots_unavailable": ("robotstxt/unavailable",),
    "refused_off_domain": ("refused/off_domain", "offsite/filtered"),
    "refused_private_address": ("refused/private_address",),
    "refused_scheme": ("refused/scheme", "refused/no_host"),
    "trap_capped": ("trap/",),
    "retried": ("retry/count",),
    "retry_after_honoured": ("retry/retry_after_honoured",),
    "failed": ("failed/", "httperror/response_ignored_status_count/5*"),
    "http_errors": ("httperror/response_ignored_count",),
    "not_modified": ("incremental/not_modified",),
    "skipped_unchanged": ("incremental/outside_recrawl_window",),
    "too_large": ("too_large/",),
    "articles": ("items/stored/article",),
    "comments": ("items/stored/comment",),
    "duplicates_dropped": ("items/duplicate/",),
    "dates_unparsed": ("dates/unparsed",),
    "not_articles": ("pages/not_article/",),
    "articles_comments_hosted": ("comments/hosted/",),
    "articles_comments_not_archived": ("comments/not_archived/",),
}
NOT_ARTICLE = "pages/not_article/"
STORED = {"article": "articles", "comment": "comments", "done": "articles_done"}


def summarise(stats: dict[str, Any]) -> dict[str, int]:
    """The report's counts from one session's Scrapy stats."""
    counts = {}
    for name, keys in OUTCOMES.items():
        total = 0
        for key in keys:
            if key.endswith(("/", "*")):
                prefix = key.rstrip("*")
                total += sum(v for k, v in stats.items()
                             if k.startswith(prefix) and isinstance(v, int | float))
            else:
                total += int(stats.get(key, 0) or 0)
        counts[name] = int(total)
    return counts


def by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """`prefix/<reason>` stats as {reason: count}: why pages were passed over."""
    return {k.removeprefix(prefix): int(v) for k, v in sorted(stats.items())
            if k.startswith(prefix) and isinstance(v, int | float)}


def stored_counts(run_dir: Path) -> dict[str, int]:
    """Distinct records of each kind in a run's raw zone (all sessions)."""
    ids: dict[str, set[str]] = {kind: set() for kind in STORED}
    for record in read_items(run_dir):
        kind = record.get("type", "")
        if kind in ids:
            ids[kind].add(record.get("comment_id") or record.get("article_id") or "")
    return {STORED[kind]: len(found) for kind, found in ids.items()}


def combine(sessions: list[dict[str, Any]], stored: dict[str, int]) -> dict[str, int]:
    """Counts of a run: the sessions' counts added up, stored records from the raw zone."""
    total: Counter[str] = Counter()
    for session in sessions:
        total.update(session.get("counts", {}))
    counts = {name: total.get(name, 0) for name in OUTCOMES}
    counts.update(stored)
    return counts


class RunSummaryExtension:
    def __init__(self, crawler: Crawler, data: DataDir, run_id: str, site: str, run_dir: Path,
                 session: str) -> None:
        self.crawler = crawler
        self.data = data
        self.run_id = run_id
        self.site = site
        self.run_dir = run_dir
        self.session = session

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummaryExtension:
        settings = crawler.settings
        run_dir = site_run_dir(settings)
        if run_dir is None:
            raise NotConfigured
        extension = cls(crawler, DataDir.at(settings["PRESSARCHIVE_DATA"]),
                        settings["PRESSARCHIVE_RUN_ID"], settings["PRESSARCHIVE_SITE_NAME"],
                        run_dir, settings.get("PRESSARCHIVE_SESSION") or "")
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def section(self) -> str:
        return f"crawl:{self.site}"

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        started = stats.get("start_time")
        finished = datetime.now(UTC)
        this = {
            "session": self.session,
            "finish_reason": reason,
            "started_at": started.isoformat() if started else None,
            "finished_at": finished.isoformat(),
            "seconds": round((finished - started).total_seconds(), 3) if started else None,
            "counts": summarise(stats),
            "not_articles": by_reason(stats, NOT_ARTICLE),
            "comment_systems": hosted_comments.hosted_comments(stats),
        }
        previous = read_report(self.data, self.run_id).get(self.section, {})
        sessions = [s for s in previous.get("sessions", []) if s.get("session") != self.session]
        sessions.append(this)
        reported = {s["session"] for s in sessions}
        systems = hosted_comments.combine(s.get("comment_systems", {}) for s in sessions)
        figures = {
            "site": self.site,
            "timezone": getattr(spider, "timezone", None),
            "timezone_source": getattr(getattr(spider, "book", None), "timezone_source", None),
            "finish_reason": reason,
            "started_at": sessions[0]["started_at"],
            "finished_at": this["finished_at"],
            "seconds": round(sum(s["seconds"] or 0 for s in sessions), 3),
            "counts": combine(sessions, stored_counts(self.run_dir)),
            "not_articles": dict(sum((Counter(s.get("not_articles", {})) for s in sessions),
                                     Counter())),
            "comment_systems": systems,
            "notes": hosted_comments.notes(systems),
            "sessions": sessions,
            "killed_sessions": sorted(session_of(p) for p in item_files(self.run_dir)
                                      if session_of(p) not in reported),
            "stats": {k: v for k, v in stats.items() if isinstance(v, int | float)},
        }
        update_report(self.data, self.run_id, self.section, figures)
        if reason in COMPLETE_REASONS:
            self.run_dir.mkdir(parents=True, exist_ok=True)
            (self.run_dir / SUCCESS_MARKER).write_text(finished.isoformat())
