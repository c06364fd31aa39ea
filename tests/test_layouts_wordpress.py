"""WordPress article layouts (`crawler/extraction/layouts/wordpress.py`): the post's own
title, date, byline and terms, on block and classic themes, never the site's or a comment's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extraction import extract_page
from crawler.extraction.document import parse
from crawler.extraction.layouts import read_layout
from tests.wordpress_markup import (
    SITE,
    SITE_TITLE,
    block_post,
    classic_post,
    thread,
)

URL = f"{SITE}/2021/03/03/harbour-plan/"


def test_a_block_theme_post_is_an_article() -> None:
    page = extract_page(block_post(), URL)

    assert page.article.is_article
    assert page.article.layout == "wordpress-block"


def test_a_block_theme_title_is_the_posts_heading_not_the_site_title() -> None:
    page = extract_page(block_post("Harbour plan splits the council"), URL)

    assert page.article.title == "Harbour plan splits the council"
    assert SITE_TITLE not in (page.article.title or "")


def test_a_block_theme_date_is_the_post_date_block() -> None:
    page = extract_page(block_post(published="2021-03-03T08:00:00+00:00"), URL)

    assert page.article.published.value == datetime(2021, 3, 3, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("legacy", [True, False], ids=["post-comments", "comment-template"])
def test_a_block_theme_date_is_never_a_comments_time(legacy: bool) -> None:
    """The post date block sits below the content, with no `<time>` in the header; the
    comments' `<time>`s come after it and must not be taken instead."""
    page = extract_page(block_post(published="2021-03-03T08:00:00+00:00",
                                   comments=thread(), legacy_comments=legacy), URL)

    assert page.article.published.value == datetime(2021, 3, 3, 8, 0, tzinfo=UTC)


def test_a_block_theme_author_section_and_tags() -> None:
    page = extract_page(block_post(author="Jane Doe", category="Local",
                                   tags=("Harbour", "Housing")), URL)

    assert page.article.authors == ["Jane Doe"]
    assert page.article.section == "Local"
    assert page.article.tags == ["Harbour", "Housing"]


def test_a_block_theme_body_is_the_post_content_block() -> None:
    page = extract_page(block_post(comments=thread()), URL)

    assert page.article.text.startswith("The council met on Tuesday")
    assert "A final vote is expected next month" in page.article.text
    assert "About us" not in page.article.text


def test_a_classic_theme_post_is_read_by_the_classic_layout() -> None:
    page = extract_page(classic_post(), URL)

    assert page.article.is_article
    assert page.article.layout == "wordpress-classic"


def test_a_classic_theme_title_date_section_and_tags() -> None:
    page = extract_page(classic_post(categories=("Local",), tags=("Harbour", "Housing")), URL)

    assert page.article.title == "Harbour plan splits the council"
    assert page.article.published.value == datetime(2021, 3, 3, 8, 0, tzinfo=UTC)
    assert page.article.section == "Local"
    assert page.article.tags == ["Harbour", "Housing"]


def test_a_classic_theme_author_is_the_byline_not_the_author_box_link() -> None:
    page = extract_page(classic_post(byline="Jane Doe", box="Jane Doe"), URL)

    assert page.article.authors == ["Jane Doe"]


@pytest.mark.parametrize("byline", ["Jane Doe", None], ids=["with-byline", "without-byline"])
def test_the_author_box_link_is_never_an_author(byline: str | None) -> None:
    page = extract_page(classic_post(byline=byline, box="Jane Doe"), URL)

    assert not any("View all" in a or "posts" in a for a in page.article.authors)


def test_the_author_box_heading_names_the_author_when_there_is_no_byline() -> None:
    """Twenty Twenty-One prints no byline on a single-author site; its author box heading
    "By Jane Doe" is then the only place the name is written."""
    page = extract_page(classic_post(byline=None, box="Jane Doe"), URL)

    assert page.article.authors == ["Jane Doe"]


def test_the_author_box_is_not_read_when_a_byline_names_someone_else() -> None:
    tree = parse(classic_post(byline="Jane Doe", box="Harry Kazianis"))

    assert read_layout(tree).metadata.authors == ["Jane Doe"]


def test_a_classic_theme_date_is_never_a_comments_time() -> None:
    page = extract_page(classic_post(published="2021-03-03T08:00:00+00:00",
                                     comments=thread()), URL)

    assert page.article.published.value == datetime(2021, 3, 3, 8, 0, tzinfo=UTC)


def test_a_post_with_several_categories_takes_the_first_as_its_section() -> None:
    page = extract_page(classic_post(categories=("Local", "Politics")), URL)

    assert page.article.section == "Local"
