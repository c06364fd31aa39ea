"""Extraction on the pages that are not plain: comment pages, encodings, truncation,
URL variants, the REST API, structured-data comments, broken markup."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from crawler.extraction import PageContext, extract_page
from crawler.extraction.dates import DateResolver
from crawler.extraction.wordpress_api import article_from_post, comments_from_api
from sample_site.faults import DUPLICATE_SUFFIXES, complete_comments, target_article
from sample_site.generate import build_site
from sample_site.rest import RestApi
from tests.pages import BASE_URL, FETCHED_AT, article_page, render, words

CONTEXT = PageContext(fetched_at=FETCHED_AT)


def _extract(page, context: PageContext = CONTEXT):
    return extract_page(page.body, page.url, context, content_type=page.content_type)


@pytest.mark.parametrize("theme", ["classic", "structured"])
def test_paginated_comments_are_read_page_by_page(theme: str) -> None:
    site = build_site(theme, n_articles=6, seed=5, comments_per_page=2)
    article = max(site.articles, key=lambda a: len(a.top_level_comments()))
    pages, seen, queue = {}, [], [article_page(site, article).url]
    while queue:
        url = queue.pop(0)
        if url in pages:
            continue
        page = _extract(render(site, url.removeprefix(BASE_URL)))
        pages[url] = page
        seen.extend(page.comments)
        queue.extend(page.comment_pages)
    assert len(pages) > 2
    assert {c.source_id for c in seen} == {str(c.comment_id) for c in article.comments}
    assert {c.comment_id.split("-")[0] for c in seen} == {pages[article_page(
        site, article).url].article.article_id}


def test_comment_page_maps_back_to_its_article() -> None:
    site = build_site("classic", n_articles=6, seed=5, comments_per_page=2)
    article = max(site.articles, key=lambda a: len(a.top_level_comments()))
    first = _extract(article_page(site, article))
    second = _extract(article_page(site, article, page=2))
    assert second.article.url == first.article.url
    assert {c.page for c in second.comments} == {2}


def test_windows_1252_declared_only_in_meta_is_decoded() -> None:
    site = build_site("classic", n_articles=2, seed=1, faults=["cp1252"])
    article = site.article_with_fault("cp1252")
    page = article_page(site, article)
    assert b"charset=windows-1252" in page.body and "charset" not in (page.content_type or "")
    extracted = _extract(page)
    assert extracted.article.title == article.title
    assert words(extracted.article.text) == words(article.text)
    assert "\ufffd" not in extracted.article.text


def test_truncated_page_keeps_what_it_has() -> None:
    site = build_site("classic", n_articles=2, seed=1, faults=["truncated"])
    article = site.article_with_fault("truncated")
    extracted = _extract(article_page(site, article))
    assert words(extracted.article.text) == words(article.text)
    complete = [c.author for c in complete_comments(article)]
    assert [c.author for c in extracted.comments][:len(complete)] == complete


@pytest.mark.parametrize("suffix", [*DUPLICATE_SUFFIXES, "no-slash"])
def test_url_variants_name_the_same_article(suffix: str) -> None:
    site = build_site("classic", n_articles=3, seed=2, faults=["duplicate_urls"])
    article = target_article(site)
    path = article.path.rstrip("/") if suffix == "no-slash" else article.path + suffix
    extracted = _extract(render(site, path)).article
    assert extracted.url == BASE_URL + article.path
    assert extracted.title == article.title


@pytest.mark.parametrize("theme", ["classic", "print", "structured"])
def test_rest_api_and_page_give_the_same_article(theme: str) -> None:
    site = build_site(theme, n_articles=3, seed=4)
    api = RestApi(site, BASE_URL)
    posts = json.loads(api.handle("/wp/v2/posts", {"_embed": "1", "per_page": "100"}).body)
    resolver = DateResolver(site.timezone, FETCHED_AT)
    for post in posts:
        from_api = article_from_post(post, resolver)
        article = next(a for a in site.articles + site.fault_articles
                       if BASE_URL + a.path == from_api.url)
        from_page = _extract(article_page(site, article)).article
        assert (from_api.article_id, from_api.title, from_api.authors) == (
            from_page.article_id, from_page.title, from_page.authors)
        assert from_api.published.value == from_page.published.value
        assert words(from_api.text) == words(from_page.text)


def test_rest_api_comments_carry_ids_parents_and_utc_times() -> None:
    site = build_site("classic", n_articles=4, seed=8)
    article = max(site.articles, key=lambda a: len(a.comments) - len(a.top_level_comments()))
    api = RestApi(site, BASE_URL)
    items = json.loads(api.handle("/wp/v2/comments", {"post": str(article.post_id),
                                                      "per_page": "100", "order": "asc"}).body)
    found = comments_from_api(items, "aid", DateResolver(site.timezone, FETCHED_AT), 1)
    truth = {str(c.comment_id): c for c in article.comments}
    for comment in found:
        expected = truth[comment.source_id]
        assert comment.author == expected.author
        assert comment.published.value == expected.published_utc(site.timezone)
        assert comment.parent_id == (f"aid-{expected.parent_id}" if expected.parent_id else None)


def test_json_ld_comments_win_and_nest() -> None:
    html = """<html><head><script type="application/ld+json">{"@context":"https://schema.org",
    "@type":"BlogPosting","headline":"Hello","author":{"@type":"Person","name":"Ann Lee"},
    "datePublished":"2024-03-01T10:00:00+01:00","comment":[{"@type":"Comment","@id":"#c-7",
    "author":{"name":"Bo"},"dateCreated":"2024-03-01T12:00:00+01:00","text":"First.",
    "comment":[{"@type":"Comment","@id":"#c-8","author":{"name":"Cy"},
    "dateCreated":"2024-03-02T09:30:00+01:00","text":"Reply."}]}]}</script></head>
    <body><article><p>Body.</p></article></body></html>"""
    context = PageContext(fetched_at=datetime(2024, 6, 1, tzinfo=UTC))
    page = extract_page(html, "https://blog.example/hello/", context)
    assert page.article.title == "Hello" and page.article.authors == ["Ann Lee"]
    assert [(c.source_id, c.author, c.text) for c in page.comments] == [
        ("7", "Bo", "First."), ("8", "Cy", "Reply.")]
    assert page.comments[1].parent_id == page.comments[0].comment_id
    assert page.comments[1].published.value == datetime(2024, 3, 2, 8, 30, tzinfo=UTC)


def test_unclosed_markup_is_recovered() -> None:
    html = ("<html><head><title>T</title><meta property='og:type' content='article'>"
            "<body><article><h1 class=entry-title>Broken <b>page</h1><div class=entry-content>"
            "<p>First paragraph of a page whose tags never close " + "word " * 60 +
            "<p>Second paragraph")
    page = extract_page(html, "https://x.example/a/", CONTEXT)
    assert page.article.title == "Broken page"
    assert page.article.text.startswith("First paragraph")
    assert page.article.text.endswith("Second paragraph")


def test_a_page_with_no_article_says_so() -> None:
    site = build_site("classic", n_articles=2, seed=1)
    assert not _extract(render(site, "/about/")).article.is_article


def test_relative_comment_times_resolve_against_the_fetch_time() -> None:
    html = """<html><body><article><div class="entry-content"><p>""" + "text " * 60 + """</p>
    </div></article><ol class="comment-list"><li id="comment-3" class="comment">
    <div class="comment-author"><b class="fn">Di</b></div>
    <div class="comment-metadata"><a>2 hours ago</a></div>
    <div class="comment-content"><p>Hi</p></div></li></ol></body></html>"""
    context = PageContext(fetched_at=FETCHED_AT, timezone="Europe/Berlin")
    comment = extract_page(html, "https://x.example/a/", context).comments[0]
    assert comment.published.value == datetime(2021, 6, 1, 10, 0, tzinfo=UTC)
    assert "relative_date" in comment.published.flags
