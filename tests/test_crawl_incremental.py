"""A second (nightly) run over the same data directory: articles outside the recrawl window
are not fetched again, those inside it are asked for conditionally (304 when unchanged),
and a page that changed (a new comment) is read again."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sample_site.generate import build_site
from sample_site.model import Article, Comment, Site
from tests.crawl_support import Crawl, in_parallel, run_crawl, served

pytestmark = pytest.mark.slow


def with_new_comment(site: Site, article: Article) -> Site:
    """The same site, one reader later: `article` has one more comment."""
    newest = max(c.comment_id for a in site.all_articles for c in a.comments)
    comment = Comment(newest + 1, "Late Reader", article.published + timedelta(days=30),
                      ("Coming back to this one a month later.",))
    changed = dataclasses.replace(article, comments=(*article.comments, comment))
    return dataclasses.replace(
        site, articles=tuple(changed if a is article else a for a in site.articles))


def window(site: Site) -> tuple[int, list[Article], list[Article]]:
    """Recrawl days that split the site's articles in two: (days, inside, outside)."""
    ordered = sorted(site.articles, key=lambda a: a.published)
    cutoff = ordered[len(ordered) // 2].published_utc(site.timezone) - timedelta(hours=1)
    days = (datetime.now(UTC) - cutoff).days
    inside = [a for a in ordered if a.published_utc(site.timezone)
              >= datetime.now(UTC) - timedelta(days=days)]
    return days, inside, [a for a in ordered if a not in inside]


@dataclasses.dataclass
class Nights:
    """Crawls of one data directory on successive nights (the site's URLs stay the same)."""

    site: Site
    inside: list[Article]
    outside: list[Article]
    crawls: list[Crawl]


def nightly(data: Path, rest: bool, *, changed: bool) -> Nights:
    """Night 1 archives the site; night 2 finds it unchanged; night 3 (if `changed`) finds a
    new comment on the newest article inside the recrawl window."""
    site = build_site("classic", n_articles=4, rest_api=rest)
    days, inside, outside = window(site)
    discovery = ["rest", "sitemap", "links"] if rest else ["sitemap", "feed", "links"]
    options = {"discovery": discovery, "recrawl_days": days}
    with served(site) as (server, canary):
        crawls = [run_crawl(server, canary, data, run_id=f"night-{n}", **options)
                  for n in (1, 2)]
        port = server.port
    if changed:
        site = with_new_comment(site, inside[-1])
        with served(site, port=port) as (server, canary):
            crawls.append(run_crawl(server, canary, data, run_id="night-3", **options))
    assert len({c.base_url for c in crawls}) == 1  # same URLs, same article ids
    return Nights(site, inside, outside, crawls)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Nights]:
    dirs = {rest: tmp_path_factory.mktemp(f"nightly-{rest}") for rest in (False, True)}
    html, rest = in_parallel(lambda: nightly(dirs[False], False, changed=True),
                             lambda: nightly(dirs[True], True, changed=False))
    return {False: html, True: rest}


def test_the_first_run_archives_everything(runs: dict[bool, Nights]) -> None:
    for nights in runs.values():
        first = nights.crawls[0]
        assert first.error is None
        assert len(first.articles) == len(nights.site.required_articles)


def test_articles_outside_the_recrawl_window_are_not_fetched_again(
        runs: dict[bool, Nights]) -> None:
    nights = runs[False]
    second = nights.crawls[1]
    assert second.error is None
    assert nights.outside
    for article in nights.outside:
        assert second.requests_to(article.path) == []
    assert second.counts["skipped_unchanged"] == len(nights.outside)


def test_articles_inside_the_window_are_asked_for_conditionally(runs: dict[bool, Nights]) -> None:
    nights = runs[False]
    second = nights.crawls[1]
    for article in nights.inside:
        [request] = second.requests_to(article.path)
        assert request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since")
        assert request.status == 304
    assert second.counts["not_modified"] == len(nights.inside)
    assert second.articles == []


def test_a_changed_page_inside_the_window_is_read_again(runs: dict[bool, Nights]) -> None:
    nights = runs[False]
    third = nights.crawls[2]
    assert third.error is None
    changed = next(a for a in nights.site.articles if a.path == nights.inside[-1].path)
    assert [r.status for r in third.requests_to(changed.path)] == [200]
    authors = [c["author"] for c in third.comments_of(changed.path)]
    assert "Late Reader" in authors and len(authors) == len(changed.comments)
    for article in nights.outside:
        assert third.requests_to(article.path) == []


def test_rest_posts_outside_the_window_get_no_comment_requests(runs: dict[bool, Nights]) -> None:
    nights = runs[True]
    second = nights.crawls[1]
    assert second.error is None
    comment_requests = [p for p in second.paths() if "/wp/v2/comments" in p]
    for article in nights.outside:
        assert not any(f"post={article.post_id}&" in p for p in comment_requests)
    assert len(comment_requests) == len(nights.inside)
    assert second.counts["skipped_unchanged"] == len(nights.outside)
