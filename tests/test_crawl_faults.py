"""One crawl of a classic fixture site (HTML path: no REST API) serving every fault of the
catalogue at once; each test checks how the crawler met one of them, against what the
server saw and what the raw zone and the run report hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from sample_site import faults
from sample_site.generate import CP1252_PARAGRAPH, CP1252_TITLE, build_site
from sample_site.model import Article
from tests.crawl_support import Crawl, crawl_fixture, duplicates

pytestmark = pytest.mark.slow

PATTERN_CAP = 5
RETRY_TIMES = 2  # crawler.settings: three tries in all
FAULTS = sorted(faults.FAULTS - {"crawl_delay"})


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    site = build_site("classic", comments_per_page=3, rest_api=False, faults=FAULTS)
    data: Path = tmp_path_factory.mktemp("faults")
    result = crawl_fixture(site, data, discovery=["sitemap", "feed", "links"],
                           pattern_cap=PATTERN_CAP, server_options={"slow_seconds": 1.0},
                           via_runner=True)
    assert result.error is None, result.error
    return result


def fault_article(crawled: Crawl, fault: str) -> Article:
    return crawled.site.article_with_fault(fault)


def test_every_fetchable_article_is_archived_once(crawled: Crawl) -> None:
    paths = [crawled.path_of(a["url"]) for a in crawled.articles]
    assert duplicates(paths) == {}
    assert sorted(paths) == sorted(a.path for a in crawled.site.required_articles)


@pytest.mark.parametrize("fault", ["retry_after", "retry_after_429"])
def test_retry_after_is_waited_for_then_the_page_is_archived(crawled: Crawl, fault: str) -> None:
    article = fault_article(crawled, fault)
    tries = crawled.requests_to(article.path)
    assert [r.status for r in tries] == [429 if fault.endswith("429") else 503, 200]
    assert tries[1].timestamp - tries[0].timestamp >= faults.RETRY_AFTER_SECONDS
    assert len(crawled.comments_of(article.path)) == len(article.comments)


def test_retry_after_pauses_the_whole_host(crawled: Crawl) -> None:
    for refused in (r for r in crawled.requests if r.status in (429, 503)):
        during = [r.path for r in crawled.requests
                  if refused.timestamp + 0.5 < r.timestamp < refused.timestamp + 1.9]
        assert during == [], f"requests while {refused.path} asked to wait"


@pytest.mark.parametrize("path", [faults.NOT_FOUND_PATH, faults.GONE_PATH])
def test_404_and_410_are_not_retried(crawled: Crawl, path: str) -> None:
    assert [r.status for r in crawled.requests_to(path)] in ([404], [410])


def test_redirect_chain_is_followed_to_the_article_archived_once(crawled: Crawl) -> None:
    for step in faults.REDIRECT_CHAIN:
        assert [r.status for r in crawled.requests_to(step)] in ([301], [302])
    target = faults.target_article(crawled.site)
    assert crawled.article_at(target.path)["title"] == target.title


def test_offsite_redirect_is_refused_and_counted(crawled: Crawl) -> None:
    assert [r.status for r in crawled.requests_to(faults.OFFSITE_PATH)] == [302]
    assert crawled.canary_requests == []
    assert crawled.counts["refused_off_domain"] == 1


def test_cp1252_page_is_decoded(crawled: Crawl) -> None:
    article = fault_article(crawled, "cp1252")
    record = crawled.article_at(article.path)
    assert record["title"] == CP1252_TITLE
    assert CP1252_PARAGRAPH in record["text"]
    texts = {c["text"] for c in crawled.comments_of(article.path)}
    assert "Très bien — but €5 for a café crème is too much." in texts


def test_truncated_page_keeps_the_comments_it_has(crawled: Crawl) -> None:
    article = fault_article(crawled, "truncated")
    records = crawled.comments_of(article.path)
    complete = faults.complete_comments(article)
    by_author = {c["author"]: c for c in records}
    for comment in complete:
        assert by_author[comment.author]["text"].split() == comment.text.split()
    assert len(complete) <= len(records) <= len(complete) + 1
    assert crawled.article_at(article.path)["text"].split() == article.text.split()


def test_truncated_transfer_is_retried_and_never_stored(crawled: Crawl) -> None:
    article = fault_article(crawled, "truncated_transfer")
    assert len(crawled.requests_to(article.path)) == RETRY_TIMES + 1
    assert [a for a in crawled.articles if crawled.path_of(a["url"]) == article.path] == []
    assert crawled.stats["failed/ResponseDataLossError"] == 1


def test_slow_page_is_archived(crawled: Crawl) -> None:
    article = fault_article(crawled, "slow")
    assert len(crawled.requests_to(article.path)) == 1
    assert len(crawled.comments_of(article.path)) == len(article.comments)


def test_duplicate_urls_give_one_article_and_one_fetch(crawled: Crawl) -> None:
    target = faults.target_article(crawled.site)
    variants = {p.split("?")[0].rstrip("/") for p in faults.duplicate_paths(target)}
    fetched = [p for p in crawled.paths() if p.split("?")[0].rstrip("/") in variants]
    assert fetched == [target.path]
    assert len([a for a in crawled.articles if a["title"] == target.title]) == 1


def test_session_ids_are_stripped_one_fetch_per_page(crawled: Crawl) -> None:
    paths = crawled.paths()
    retried = {fault_article(crawled, f).path
               for f in ("retry_after", "retry_after_429", "truncated_transfer")}
    assert [p for p in paths if "sessionid" in p.lower() or "phpsessid" in p.lower()] == []
    assert duplicates([p for p in paths if p not in retried]) == {}


def test_robots_disallowed_section_is_skipped_and_counted(crawled: Crawl) -> None:
    assert [p for p in crawled.paths() if p.startswith("/private")] == []
    assert crawled.counts["skipped_robots"] >= 1


def test_calendar_trap_stays_within_the_pattern_cap(crawled: Crawl) -> None:
    calendar = [p for p in crawled.paths() if p.startswith("/calendar/")]
    assert len(calendar) == PATTERN_CAP
    assert crawled.counts["trap_capped"] >= 1


def test_run_report_counts_each_outcome(crawled: Crawl) -> None:
    counts = crawled.counts
    transfer = fault_article(crawled, "truncated_transfer")
    client_errors = [r for r in crawled.requests if 400 <= r.status < 500 and r.status != 429]
    assert counts["fetched"] == len(crawled.requests) - (RETRY_TIMES + 1)
    assert counts["retried"] == 2 + RETRY_TIMES  # 503, 429, and the lost transfers
    assert counts["retry_after_honoured"] == 2
    assert counts["failed"] == 1
    assert counts["http_errors"] == len(client_errors)
    assert counts["refused_off_domain"] == 1
    assert counts["skipped_robots"] >= 1
    assert counts["trap_capped"] >= 1
    assert counts["articles"] == len(crawled.site.required_articles)
    assert transfer.path not in {crawled.path_of(r["url"]) for r in crawled.of_type("done")}


def test_run_report_has_durations(crawled: Crawl) -> None:
    report = crawled.report
    assert report["finish_reason"] == "finished"
    assert report["seconds"] >= faults.RETRY_AFTER_SECONDS
    assert report["started_at"] < report["finished_at"]
    assert [s["finish_reason"] for s in report["sessions"]] == ["finished"]
