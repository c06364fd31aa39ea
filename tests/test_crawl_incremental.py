"""A second (nightly) run over the same data directory: articles outside the recrawl window
are not fetched again, those inside it are asked for conditionally (304 when unchanged),
a page that changed (a new comment) is read again, and so are the other comment pages of
an unchanged one (a comment edited there does not change the article page); comments that
only say how old they are keep their ids from one night to the next."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from archive.layout import DataDir
from archive.process import Archive, process
from sample_site.generate import build_site
from sample_site.model import Article, Comment, Site
from sample_site.response import html_response
from sample_site.themes.base import comment_page_path, comment_pages
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


def with_comment_edited(site: Site, article: Article, comment: Comment, text: str) -> Site:
    """The same site, a reader later: `comment` of `article` says `text` instead."""
    edited = dataclasses.replace(comment, paragraphs=(text,))
    changed = dataclasses.replace(article, comments=tuple(
        edited if c is comment else c for c in article.comments))
    return dataclasses.replace(
        site, articles=tuple(changed if a is article else a for a in site.articles))


@dataclasses.dataclass
class Edited:
    site: Site
    article: Article
    comment: Comment
    crawls: list[Crawl]


EDITED_TEXT = "Edited the next morning: I misread the figures, the council is right."


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Edited:
    """Night 1 archives a site whose comments run over several pages; by night 2 a comment
    on the last comment page of an article inside the recrawl window was edited, which
    leaves the article page itself unchanged (a 304)."""
    site = build_site("classic", n_articles=4, comments_per_page=2, rest_api=False)
    days, inside, _ = window(site)
    article = next(a for a in reversed(inside) if len(comment_pages(site, a)) > 1)
    comment = comment_pages(site, article)[-1][0]
    options = {"discovery": ["sitemap"], "recrawl_days": days}
    data = tmp_path_factory.mktemp("edited")
    with served(site) as (server, canary):
        first = run_crawl(server, canary, data, run_id="night-1", **options)
        port = server.port
    later = with_comment_edited(site, article, comment, EDITED_TEXT)
    with served(later, port=port) as (server, canary):
        second = run_crawl(server, canary, data, run_id="night-2", **options)
    return Edited(later, article, comment, [first, second])


def test_an_unchanged_article_page_has_its_comment_pages_read_again(edited: Edited) -> None:
    first, second = edited.crawls
    assert first.error is None and second.error is None
    assert [r.status for r in second.requests_to(edited.article.path)] == [304]
    pages = [comment_page_path(edited.article, n)
             for n in range(2, len(comment_pages(edited.site, edited.article)) + 1)]
    assert [r.status for p in pages for r in second.requests_to(p)] == [200] * len(pages)


def test_a_comment_edited_on_a_later_page_is_archived_again_with_its_id(edited: Edited) -> None:
    first, second = edited.crawls
    before = next(c for c in first.comments if c["source_id"] == str(edited.comment.comment_id))
    after = [c for c in second.comments if c["source_id"] == str(edited.comment.comment_id)]
    assert [c["text"] for c in after] == [EDITED_TEXT]
    assert after[0]["comment_id"] == before["comment_id"]
    assert after[0]["article_id"] == before["article_id"]
    assert before["article_url"] in [d["url"] for d in second.of_type("done")]


RELATIVE_PATH = "/2026/11/29/water-rights-vote/"
READERS = (("Ann Lee", "I agree with the council."), ("Bo Park", "Not me, the plan is vague."),
           ("Ann Lee", "And the budget is not public."))


def relative_page(published: datetime, ages: tuple[str, ...]) -> str:
    """An article whose comments carry no site id and say only how old they are."""
    items = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">'
        f'says:</span></div><div class="comment-metadata"><time>{age}</time></div></footer>'
        f'<div class="comment-content"><p>{text}</p></div></article></li>'
        for (author, text), age in zip(READERS, ages, strict=True))
    body = "<p>The council met on Tuesday to vote on the water rights plan.</p>" * 12
    return (f'<html lang="en-US"><head><title>Water rights vote</title>'
            f'<meta property="og:type" content="article"><meta property="article:published_time"'
            f' content="{published.isoformat()}"></head><body class="single single-post">'
            f'<article class="post hentry"><h1 class="entry-title">Water rights vote</h1>'
            f'<div class="entry-content">{body}</div></article><div id="comments">'
            f'<ol class="comment-list">{items}</ol></div></body></html>')


def test_relative_comment_times_read_a_day_apart_give_the_same_rows(tmp_path: Path) -> None:
    site = build_site("classic", n_articles=1, include_seed_article=False)
    published = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=30)
    nights = {"night-1": ("3 hours ago", "5 hours ago", "5 hours ago"),
              "night-2": ("1 day ago", "1 day ago", "1 day ago")}
    port = None
    crawls = []
    for run_id, ages in nights.items():
        patches = {RELATIVE_PATH: html_response(relative_page(published, ages))}
        with served(site, patches, **({"port": port} if port else {})) as (server, canary):
            port = server.port
            crawls.append(run_crawl(server, canary, tmp_path, run_id=run_id, discovery=["links"],
                                    start_urls=[server.base_url + RELATIVE_PATH]))
            process(DataDir.at(tmp_path))
    assert all(c.error is None for c in crawls)
    first, second = ({c["comment_id"] for c in crawl.comments} for crawl in crawls)
    assert len(first) == len(READERS) and first == second
    rows = Archive.open(DataDir.at(tmp_path)).comments.dataset().to_table().to_pylist()
    assert sorted(r["comment_id"] for r in rows) == sorted(first)
