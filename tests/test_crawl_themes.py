"""A full crawl of a fixture site, per theme, with the REST API on and off: every article
once, every comment once with its author, UTC time and thread, and no request it must not
make. The sites carry the traps every crawl meets (calendar, off-site redirect, duplicate
URLs, session ids, a robots-disallowed section)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sample_site.generate import build_site
from tests.crawl_support import (
    Crawl,
    crawl_fixture,
    duplicates,
    in_parallel,
    iso_utc,
    match_comments,
)

pytestmark = pytest.mark.slow

CONFIGS = [(theme, rest) for theme in ("classic", "print", "structured") for rest in (True, False)]
IDS = [f"{theme}-{'rest' if rest else 'html'}" for theme, rest in CONFIGS]
PATTERN_CAP = 5
TRAPS = ("calendar_trap", "redirect_offsite", "duplicate_urls", "session_ids")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, bool], Crawl]:
    """One crawl per configuration, run side by side."""

    def job(theme: str, rest: bool, data: Path) -> Crawl:
        site = build_site(theme, n_articles=4, comments_per_page=3, rest_api=rest, faults=TRAPS)
        discovery = ["rest", "sitemap", "feed", "links"] if rest else ["sitemap", "feed", "links"]
        return crawl_fixture(site, data, discovery=discovery, pattern_cap=PATTERN_CAP)

    dirs = [tmp_path_factory.mktemp(name) for name in IDS]
    results = in_parallel(*(lambda t=t, r=r, d=d: job(t, r, d)
                            for (t, r), d in zip(CONFIGS, dirs, strict=True)))
    return dict(zip(CONFIGS, results, strict=True))


@pytest.fixture(params=CONFIGS, ids=IDS)
def crawled(request: pytest.FixtureRequest, crawls: dict[tuple[str, bool], Crawl]) -> Crawl:
    result = crawls[request.param]
    assert result.error is None, result.error
    return result


def test_every_required_article_is_archived_once(crawled: Crawl) -> None:
    paths = [crawled.path_of(a["url"]) for a in crawled.articles]
    assert duplicates(paths) == {}
    assert sorted(paths) == sorted(a.path for a in crawled.site.required_articles)


def test_articles_have_their_title_authors_and_utc_time(crawled: Crawl) -> None:
    tz = crawled.site.timezone
    for article in crawled.site.required_articles:
        record = crawled.article_at(article.path)
        assert record["title"] == article.title
        assert record["authors"] == list(article.authors)
        assert record["published_at"] == iso_utc(article.published_utc(tz))


def test_every_comment_is_archived_once_with_author_time_and_text(crawled: Crawl) -> None:
    tz = crawled.site.timezone
    assert duplicates([c["comment_id"] for c in crawled.comments]) == {}
    for article in crawled.site.required_articles:
        records = crawled.comments_of(article.path)
        matched = match_comments(article, records, tz)
        assert len(records) == len(article.comments), article.path
        assert set(matched) == {c.comment_id for c in article.comments}, article.path
        for comment in article.comments:
            assert matched[comment.comment_id]["text"].split() == comment.text.split()


def test_replies_point_to_their_ground_truth_parents(crawled: Crawl) -> None:
    tz = crawled.site.timezone
    replies = 0
    for article in crawled.site.required_articles:
        matched = match_comments(article, crawled.comments_of(article.path), tz)
        for comment in article.comments:
            parent = matched[comment.parent_id]["comment_id"] if comment.parent_id else None
            assert matched[comment.comment_id]["parent_id"] == parent
            replies += comment.parent_id is not None
    assert replies > 0 or crawled.site.theme == "print"


def test_every_article_is_marked_done(crawled: Crawl) -> None:
    done = {crawled.path_of(r["url"]) for r in crawled.of_type("done")}
    assert done == {a.path for a in crawled.site.required_articles}


def test_no_request_goes_off_site_or_to_the_canary(crawled: Crawl) -> None:
    assert crawled.canary_requests == []
    assert crawled.counts["refused_off_domain"] >= 1


def test_no_robots_disallowed_request(crawled: Crawl) -> None:
    assert [p for p in crawled.paths() if p.startswith(("/private", "/wp-admin"))] == []
    if crawled.site.theme != "print":  # the print theme has no link to its members area
        assert crawled.counts["skipped_robots"] >= 1


def test_calendar_trap_requests_stay_within_the_pattern_cap(crawled: Crawl) -> None:
    calendar = [p for p in crawled.paths() if p.startswith("/calendar/")]
    assert 1 <= len(calendar) <= PATTERN_CAP
    assert crawled.counts["trap_capped"] >= 1


def test_each_page_is_fetched_once(crawled: Crawl) -> None:
    pages = [p for p in crawled.paths() if p != "/robots.txt"]
    assert duplicates(pages) == {}


def test_an_identifying_user_agent_is_sent(crawled: Crawl) -> None:
    agents = {r.headers.get("User-Agent") for r in crawled.requests}
    assert agents == {crawled.config.user_agent}
    assert "pressarchive" in crawled.config.user_agent and "+http" in crawled.config.user_agent


def test_run_report_counts_what_the_raw_zone_holds(crawled: Crawl) -> None:
    counts = crawled.counts
    assert crawled.report["finish_reason"] == "finished"
    assert counts["articles"] == len(crawled.site.required_articles)
    assert counts["comments"] == sum(len(a.comments) for a in crawled.site.required_articles)
    assert counts["fetched"] == len(crawled.requests)
    assert counts["failed"] == 0
