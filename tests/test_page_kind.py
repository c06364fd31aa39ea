"""Page understanding (`crawler/extraction/page_kind.py`): only articles become articles,
and a page that is not one says why and what said so."""

from __future__ import annotations

import re

import pytest

from crawler.extraction import PageContext, extract_page
from crawler.extraction.page import Overrides
from crawler.extraction.page_kind import ArticleUrls, PageKind
from tests.wordpress_markup import (
    PARAGRAPHS,
    SITE,
    classic_listing,
    classic_not_found,
    classic_post,
    paragraphs,
    password_form,
)

POST = f"{SITE}/2021/03/03/harbour-plan/"
LISTING_URLS = {
    "home": f"{SITE}/",
    "paged": f"{SITE}/page/2/",
    "month": f"{SITE}/2021/03/",
    "category": f"{SITE}/category/local/",
    "tag": f"{SITE}/tag/harbour/",
    "author": f"{SITE}/author/jane/",
    "search": f"{SITE}/?s=harbour",
}
# The same listings on a site with plain permalinks: the URL says nothing, the page must.
PLAIN_LISTING_URLS = {
    "home": f"{SITE}/?paged=1&lang=en",
    "paged": f"{SITE}/?paged=2",
    "month": f"{SITE}/?m=202103",
    "category": f"{SITE}/?cat=2",
    "tag": f"{SITE}/?tag=harbour",
    "author": f"{SITE}/?author=2",
    "search": f"{SITE}/?lang=en&q=harbour",
}
LONG_BODY = paragraphs(PARAGRAPHS * 3)


@pytest.mark.parametrize("kind", list(LISTING_URLS))
def test_a_wordpress_listing_is_not_an_article(kind: str) -> None:
    page = extract_page(classic_listing(kind), LISTING_URLS[kind])

    assert not page.article.is_article


@pytest.mark.parametrize("kind", list(PLAIN_LISTING_URLS))
def test_a_wordpress_listing_is_known_by_its_body_classes_whatever_its_url(kind: str) -> None:
    page = extract_page(classic_listing(kind), PLAIN_LISTING_URLS[kind])

    expected = "search" if kind == "search" else "listing"
    assert (page.kind.reason, page.kind.signal) == (expected, "wordpress")


def test_a_listing_of_one_post_is_still_a_listing() -> None:
    """A category with a single post lists one `article`: the body classes decide."""
    page = extract_page(classic_listing("category", posts=1), f"{SITE}/?cat=7")

    assert page.kind.reason == "listing"


def _wordpress_page() -> str:
    return classic_post("About us", post_type="page", body_classes="page-template-default page "
                        "page-id-2", content=f'<div class="entry-content">{LONG_BODY}</div>')


def _attachment() -> str:
    return classic_post("harbour-map.jpg", post_type="attachment",
                        body_classes="attachment attachment-template-default single "
                        "single-attachment postid-120 attachmentid-120 attachment-jpeg")


def _protected() -> str:
    return classic_post("Protected: Harbour plan", extra_classes="post-password-required",
                        body_classes="post-template-default single single-post postid-104 "
                        "post-password-required", body=password_form())


# Pages of a WordPress site that are not posts: (page, its URL, reason, signal).
NOT_POSTS = {
    "page": (_wordpress_page, f"{SITE}/about-us/", "cms_page", "wordpress"),
    "attachment": (_attachment, f"{SITE}/2021/03/03/harbour-plan/harbour-map/", "attachment",
                   "wordpress"),
    "404": (classic_not_found, f"{SITE}/2021/03/03/no-such-post/", "not_found", "wordpress"),
    "password-protected": (_protected, POST, "password_protected", "password_form"),
}


@pytest.mark.parametrize("kind", list(NOT_POSTS))
def test_a_wordpress_page_that_is_not_a_post_is_not_an_article(kind: str) -> None:
    html, url, _, _ = NOT_POSTS[kind]

    assert not extract_page(html(), url).article.is_article


@pytest.mark.parametrize("kind", list(NOT_POSTS))
def test_a_page_that_is_not_a_post_says_why(kind: str) -> None:
    html, url, reason, signal = NOT_POSTS[kind]
    page = extract_page(html(), url)

    assert (page.kind.reason, page.kind.signal) == (reason, signal)


def test_a_password_form_alone_marks_a_protected_post() -> None:
    """Themes that leave out the body classes still print WordPress's own form."""
    html = (f"<html><body><article><h1>Protected: Harbour plan</h1>{password_form()}"
            f"{LONG_BODY}</article></body></html>")
    page = extract_page(html, POST)

    assert (page.kind.reason, page.kind.signal) == ("password_protected", "password_form")


def test_a_single_post_is_an_article_by_its_body_classes() -> None:
    page = extract_page(classic_post(), f"{SITE}/?p=104")

    assert (page.kind.reason, page.kind.signal) == ("article", "wordpress")


def test_body_classes_count_only_on_a_wordpress_page() -> None:
    """Other systems use `archive` or `page` for other things: a news site's story in its
    archive section, with a dated byline and a long text, is an article."""
    html = ('<html><head><title>Harbour plan splits the council</title></head>'
            '<body class="archive page"><article><h1>Harbour plan splits the council</h1>'
            '<time class="published" datetime="2021-03-03T08:00:00Z">3 March 2021</time>'
            f'<div class="article-body">{LONG_BODY}</div></article></body></html>')
    page = extract_page(html, "https://news.example/stories/harbour-plan-splits-the-council")

    assert page.article.is_article


def test_the_site_files_exclude_pattern_wins_over_the_page() -> None:
    context = PageContext(overrides=Overrides(article_urls=ArticleUrls(
        exclude=(re.compile(r"/2021/03/03/"),))))
    page = extract_page(classic_post(), POST, context)

    assert (page.kind.reason, page.kind.signal) == ("excluded_by_site_file", "site_file")


def test_the_site_files_include_pattern_makes_an_article_of_a_url_shaped_like_a_listing(
) -> None:
    context = PageContext(overrides=Overrides(article_urls=ArticleUrls(
        include=(re.compile(r"/archives/\d+$"),))))
    html = f"<html><body><h1>Minutes of 3 March</h1><div>{LONG_BODY}</div></body></html>"
    page = extract_page(html, f"{SITE}/archives/2021", context)

    assert (page.kind.reason, page.kind.signal) == ("article", "site_file")


def test_a_page_too_short_for_an_article_says_so() -> None:
    page = extract_page("<html><body><div><p>Coming soon.</p></div></body></html>",
                        "https://news.example/stories/coming-soon")

    assert (page.kind.reason, page.kind.signal) == ("too_little_text", "text")


SHORT_UNDATED = ("<html><body><div class='story'><p>The ferry timetable changes on Monday: "
                 "the first boat leaves at six, the last at eleven, and the Sunday service "
                 "runs every hour from nine until the evening, as it did before the works on "
                 "the old quay began in the spring. Tickets bought before Monday stay "
                 "valid.</p></div></body></html>")


@pytest.mark.parametrize("path", ["/2012/10/ferry-timetable-changes.html",
                                  "/2021/03/03/ferry-timetable-changes/"])
def test_a_short_undated_post_at_a_dated_permalink_is_an_article(path: str) -> None:
    assert extract_page(SHORT_UNDATED, f"https://news.example{path}").kind.is_article


@pytest.mark.parametrize("path", ["/about/ferry-timetable-changes/", "/2021/03/"])
def test_the_same_text_elsewhere_is_too_short_for_an_article(path: str) -> None:
    page = extract_page(SHORT_UNDATED, f"https://news.example{path}")

    assert not page.kind.is_article


def _kind(html: str) -> PageKind:
    return extract_page(html, f"{SITE}/2021/03/03/a-story/").kind


def _body(classes: str, head: str = "") -> str:
    return (f"<html><head>{head}</head><body class='{classes}'><article><h1>T</h1>"
            f"<p>{'Words of the story. ' * 30}</p></article></body></html>")


@pytest.mark.parametrize(("classes", "generator", "reason"), [
    ("post-template tag-news", "Ghost 5.2", "article"),
    ("tag-template tag-news", "Ghost 5.2", "listing"),
    ("home-template paged", "Ghost 5.2", "listing"),
    ("page-template page-about", "Ghost 5.2", "cms_page"),
    ("path-node page-node-type-article", "Drupal 10", "article"),
    ("path-frontpage", "Drupal 10", "listing"),
    ("path-taxonomy", "Drupal 10", "listing"),
    ("path-node page-node-type-page", "Drupal 10", "cms_page"),
    ("site com_content view-article", "Joomla! - Open Source Content Management", "article"),
    ("site com_content view-category layout-blog", "Joomla! - Open Source Content Management",
     "listing"),
])
def test_other_systems_body_classes_name_the_template(classes: str, generator: str,
                                                      reason: str) -> None:
    head = f"<meta name='generator' content='{generator}'>"
    assert _kind(_body(classes, head)).reason == reason


def test_a_systems_classes_do_not_count_without_its_marks() -> None:
    assert _kind(_body("home-template")).signal != "ghost"
