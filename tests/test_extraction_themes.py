"""Extraction on every fixture theme, field by field, against the generator's ground truth."""

from __future__ import annotations

import pytest

from crawler.extraction import ExtractedPage, PageContext, extract_page
from crawler.extraction.urls import article_id
from sample_site.generate import build_site
from sample_site.model import Article, Site
from tests.pages import BASE_URL, FETCHED_AT, article_page, words

THEMES = ("classic", "print", "structured")


@pytest.fixture(scope="module", params=THEMES)
def site(request: pytest.FixtureRequest) -> Site:
    return build_site(request.param, n_articles=5, seed=11)


def extract(site: Site, article: Article, page: int = 1, timezone: str | None = None
            ) -> ExtractedPage:
    rendered = article_page(site, article, page)
    context = PageContext(fetched_at=FETCHED_AT, timezone=timezone)
    return extract_page(rendered.body, rendered.url, context, content_type=rendered.content_type)


def test_title(site: Site) -> None:
    for article in site.articles:
        assert extract(site, article).article.title == article.title


def test_authors_in_byline_order(site: Site) -> None:
    for article in site.articles:
        assert extract(site, article).article.authors == list(article.authors)


def test_published_time_is_utc(site: Site) -> None:
    for article in site.articles:
        assert extract(site, article).article.published.value == article.published_utc(
            site.timezone)


def test_canonical_url_and_id(site: Site) -> None:
    for article in site.articles:
        extracted = extract(site, article).article
        assert extracted.url == BASE_URL + article.path
        assert extracted.article_id == article_id(BASE_URL + article.path)


def test_text_is_the_body_without_boilerplate(site: Site) -> None:
    for article in site.articles:
        text = extract(site, article).article.text
        assert words(text) == words(article.text)
        for chrome in ("Share this", "Subscribe to our newsletter", "Recent Posts", "Related"):
            assert chrome not in text


def test_paragraph_breaks_survive(site: Site) -> None:
    article = site.articles[0]
    assert extract(site, article).article.text.count("\n\n") == len(article.paragraphs) - 1


def test_section_and_tags(site: Site) -> None:
    for article in site.articles:
        extracted = extract(site, article).article
        assert extracted.section == article.section
        assert set(article.tags) <= set(extracted.tags)


def test_timezone_is_inferred_from_the_pages_own_dates(site: Site) -> None:
    assert extract(site, site.articles[0]).timezone == site.timezone


def test_comment_authors_in_page_order(site: Site) -> None:
    for article in site.articles:
        found = extract(site, article).comments
        assert [c.author for c in found] == [c.author for c in article.threaded()]


def test_comment_times_are_utc(site: Site) -> None:
    for article in site.articles:
        found = extract(site, article).comments
        assert [c.published.value for c in found] == [
            c.published_utc(site.timezone) for c in article.threaded()]


def test_comment_texts(site: Site) -> None:
    for article in site.articles:
        found = extract(site, article).comments
        assert [words(c.text) for c in found] == [words(c.text) for c in article.threaded()]


def test_replies_point_to_their_parent(site: Site) -> None:
    for article in site.articles:
        found = extract(site, article).comments
        by_source = {c.source_id: c.comment_id for c in found}
        for extracted, truth in zip(found, article.threaded(), strict=True):
            if site.theme == "print" or truth.parent_id is None:
                assert extracted.parent_id is None
            else:
                assert extracted.parent_id == by_source[str(truth.parent_id)]


def test_comment_ids_are_the_sites_own_when_it_has_them(site: Site) -> None:
    article = next(a for a in site.articles if a.comments)
    found = extract(site, article).comments
    if site.theme == "print":
        assert all(c.source_id is None for c in found)
    else:
        assert [c.source_id for c in found] == [str(c.comment_id) for c in article.threaded()]


def test_comment_ids_are_stable_across_fetches(site: Site) -> None:
    article = next(a for a in site.articles if a.comments)
    first = [c.comment_id for c in extract(site, article).comments]
    again = [c.comment_id for c in extract(site, article).comments]
    assert first == again and len(set(first)) == len(first)
