"""Depth and comment pagination: link hops stop at the site's `max_depth`, an article's
comment pages are all read however deep their chain (Scrapy's DEPTH_LIMIT used to cut it)
up to the per-article cap, which stops an endless comment pagination."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sample_site.generate import build_site
from tests.crawl_support import Crawl, crawl_fixture, in_parallel

pytestmark = pytest.mark.slow

COMMENT_PAGE_CAP = 3


def shallow(data: Path) -> Crawl:
    site = build_site("classic", n_articles=12, rest_api=False)
    return crawl_fixture(site, data, discovery=["links"], max_depth=1)


def paginated(data: Path, **settings: Any) -> Crawl:
    site = build_site("classic", n_articles=3, comments_per_page=1, rest_api=False)
    return crawl_fixture(site, data, discovery=["sitemap"], settings=settings)


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    dirs = [tmp_path_factory.mktemp(name) for name in ("shallow", "paginated", "capped")]
    found = in_parallel(
        lambda: shallow(dirs[0]), lambda: paginated(dirs[1]),
        lambda: paginated(dirs[2], PRESSARCHIVE_MAX_COMMENT_PAGES=COMMENT_PAGE_CAP))
    return dict(zip(("shallow", "paginated", "capped"), found, strict=True))


def test_links_are_followed_no_deeper_than_max_depth(crawls: dict[str, Crawl]) -> None:
    crawled = crawls["shallow"]
    on_home = crawled.site.newest_first[:10]  # the home page lists the ten newest
    fetched = {crawled.path_of(a["url"]) for a in crawled.articles}
    assert fetched == {a.path for a in on_home}
    assert "/page/2/" in crawled.paths()  # one hop away: fetched, its links not followed


def test_every_comment_page_of_a_long_chain_is_read(crawls: dict[str, Crawl]) -> None:
    crawled = crawls["paginated"]
    assert crawled.error is None
    deepest = max(crawled.site.required_articles, key=lambda a: len(a.top_level_comments()))
    assert len(deepest.top_level_comments()) >= 10
    assert f"{deepest.path}comment-page-{len(deepest.top_level_comments())}/" in crawled.paths()
    for article in crawled.site.required_articles:
        assert len(crawled.comments_of(article.path)) == len(article.comments), article.path
    assert len(crawled.of_type("done")) == len(crawled.site.required_articles)


def test_comment_pages_beyond_the_cap_are_not_fetched_and_the_article_is_not_done(
        crawls: dict[str, Crawl]) -> None:
    crawled = crawls["capped"]
    assert crawled.error is None
    for article in crawled.site.required_articles:
        pages = [p for p in crawled.paths() if p.startswith(f"{article.path}comment-page-")]
        assert len(pages) <= COMMENT_PAGE_CAP - 1  # the article page is the first
    assert crawled.counts["trap_capped"] >= 1
    capped = [a for a in crawled.site.required_articles
              if len(a.top_level_comments()) > COMMENT_PAGE_CAP]
    done = {crawled.path_of(d["url"]) for d in crawled.of_type("done")}
    assert capped and done.isdisjoint(a.path for a in capped)
