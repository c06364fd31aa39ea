"""`crawler.extensions.summary`: the crawl's section of the run report, across sessions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.utils.test import get_crawler

from archive.layout import DataDir
from archive.reports import read_report
from crawler.extensions.summary import RunSummaryExtension, summarise
from crawler.rawzone import SUCCESS_MARKER

RUN, SITE = "run-7", "ledger"


def session(data: DataDir, name: str, stats: dict[str, Any], reason: str,
            records: list[dict[str, Any]]) -> dict[str, Any]:
    """One crawl session: its items in the raw zone, its stats, its close."""
    run_dir = data.raw_site(RUN, SITE)
    run_dir.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(r) + "\n" for r in records)
    (run_dir / f"items-{name}.jsonl").write_text(lines, encoding="utf-8")
    crawler = get_crawler(Spider, {"PRESSARCHIVE_DATA": str(data.root),
                                   "PRESSARCHIVE_RUN_ID": RUN, "PRESSARCHIVE_SITE_NAME": SITE,
                                   "PRESSARCHIVE_SESSION": name})
    extension = RunSummaryExtension.from_crawler(crawler)
    crawler.stats.set_value("start_time", datetime.now(UTC) - timedelta(seconds=5))
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    extension.spider_closed(Spider(SITE), reason)
    return read_report(data, RUN)[f"crawl:{SITE}"]


def article(n: int) -> dict[str, Any]:
    return {"type": "article", "article_id": f"a{n}"}


def comment(n: int) -> dict[str, Any]:
    return {"type": "comment", "article_id": "a1", "comment_id": f"c{n}"}


def test_outcomes_add_up_their_stats() -> None:
    counts = summarise({
        "downloader/response_count": 30, "robotstxt/forbidden": 2, "refused/off_domain": 1,
        "offsite/filtered": 1, "refused/private_address": 3, "refused/scheme": 1,
        "trap/pattern_capped": 4, "trap/url_too_long": 1, "retry/count": 5,
        "failed/DownloadTimeoutError": 1, "httperror/response_ignored_status_count/503": 1,
        "httperror/response_ignored_status_count/404": 2, "httperror/response_ignored_count": 3,
        "incremental/not_modified": 6, "incremental/outside_recrawl_window": 8,
        "too_large/DownloadCancelledError": 1})
    assert counts["fetched"] == 30
    assert counts["skipped_robots"] == 2
    assert counts["refused_off_domain"] == 2
    assert counts["refused_private_address"] == 3
    assert counts["trap_capped"] == 5
    assert counts["retried"] == 5
    assert counts["failed"] == 2  # the timeout and the 503 that stayed a 503
    assert counts["http_errors"] == 3
    assert counts["not_modified"] == 6
    assert counts["skipped_unchanged"] == 8
    assert counts["too_large"] == 1


def test_a_finished_session_reports_durations_and_marks_the_run_complete(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    section = session(data, "s1", {"downloader/response_count": 12}, "finished",
                      [article(1), comment(1), comment(2)])
    assert section["finish_reason"] == "finished"
    assert section["seconds"] >= 5
    assert section["started_at"] < section["finished_at"]
    assert section["counts"]["articles"] == 1 and section["counts"]["comments"] == 2
    assert (data.raw_site(RUN, SITE) / SUCCESS_MARKER).exists()


def test_a_resumed_run_adds_up_its_sessions_and_lists_the_killed_one(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    run_dir = data.raw_site(RUN, SITE)
    run_dir.mkdir(parents=True)
    (run_dir / "items-s0.jsonl").write_text(json.dumps(article(1)) + "\n{\"type\": \"comm")
    first = session(data, "s1", {"downloader/response_count": 10}, "shutdown", [comment(1)])
    assert not (run_dir / SUCCESS_MARKER).exists()
    assert first["finish_reason"] == "shutdown"
    last = session(data, "s2", {"downloader/response_count": 7, "retry/count": 1}, "finished",
                   [comment(2), article(2)])
    assert [s["session"] for s in last["sessions"]] == ["s1", "s2"]
    assert last["killed_sessions"] == ["s0"]
    assert last["counts"]["fetched"] == 17 and last["counts"]["retried"] == 1
    assert last["counts"]["articles"] == 2 and last["counts"]["comments"] == 2
    assert (run_dir / SUCCESS_MARKER).exists()


def test_a_page_budget_is_a_complete_crawl(tmp_path: Path) -> None:
    data = DataDir.at(tmp_path)
    session(data, "s1", {}, "closespider_pagecount", [article(1)])
    assert (data.raw_site(RUN, SITE) / SUCCESS_MARKER).exists()
