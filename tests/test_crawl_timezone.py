"""The zone a crawl reads local times in: decided once per run, before any article page is
read, by the site file, else WordPress's own setting, else the start pages' evidence; and
stored with every record beside where it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sample_site.generate import build_site
from tests.crawl_support import Crawl, crawl_fixture, in_parallel, iso_utc, match_comments

pytestmark = pytest.mark.slow

ZONE = "Europe/London"  # the sample pages say lang="en-US": the locale hint does not fit
CASES: dict[str, tuple[bool, dict[str, Any]]] = {
    "wordpress": (True, {"discovery": ["sitemap"]}),
    "evidence": (False, {"discovery": ["sitemap"]}),
    "site_file": (True, {"discovery": ["sitemap"], "timezone": "Asia/Tokyo"}),
}


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    def job(name: str, data: Path) -> Crawl:
        rest, options = CASES[name]
        site = build_site("classic", n_articles=3, timezone=ZONE, rest_api=rest)
        return crawl_fixture(site, data, **options)

    dirs = {name: tmp_path_factory.mktemp(name) for name in CASES}
    results = in_parallel(*(lambda n=n: job(n, dirs[n]) for n in CASES))
    return dict(zip(CASES, results, strict=True))


def zones(crawl: Crawl) -> set[tuple[str, str]]:
    return {(r["timezone"], r["timezone_source"]) for r in crawl.records if r["type"] != "done"}


def test_wordpress_settings_name_the_zone_without_the_rest_discovery_path(
        crawls: dict[str, Crawl]) -> None:
    crawl = crawls["wordpress"]
    assert crawl.error is None
    assert zones(crawl) == {(ZONE, "wordpress_settings")}
    assert [p for p in crawl.paths() if "wp-json" in p] == ["/wp-json/"]


def test_the_zone_is_decided_before_any_article_page_is_read(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["wordpress"]
    order = crawl.paths()
    articles = [order.index(a.path) for a in crawl.site.required_articles]
    assert order.index("/wp-json/") < min(articles)


def test_without_the_api_the_pages_offsets_name_the_zone(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["evidence"]
    assert crawl.error is None
    assert zones(crawl) == {(ZONE, "page_evidence")}


def test_local_comment_times_are_exact_in_the_decided_zone(crawls: dict[str, Crawl]) -> None:
    for name in ("wordpress", "evidence"):
        crawl = crawls[name]
        for article in crawl.site.required_articles:
            matched = match_comments(article, crawl.comments_of(article.path), ZONE)
            assert set(matched) == {c.comment_id for c in article.comments}
            assert crawl.article_at(article.path)["published_at"] == iso_utc(
                article.published_utc(ZONE))


def test_the_site_file_wins_and_nothing_is_asked_for_it(crawls: dict[str, Crawl]) -> None:
    crawl = crawls["site_file"]
    assert crawl.error is None
    assert zones(crawl) == {("Asia/Tokyo", "site_file")}
    assert [p for p in crawl.paths() if "wp-json" in p] == []
    assert crawl.report["timezone_source"] == "site_file"
