"""The extraction entry point (`crawler/extraction/page.py`): comments are read first and
their sections taken out, so that nothing of a comment becomes the article's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from crawler.extraction import extract_page
from tests.test_comments_blogger import classic as blogger
from tests.test_comments_disqus_html import disqus
from tests.test_comments_generic import said
from tests.test_comments_microdata import genesis_comments
from tests.test_comments_thesis import thesis
from tests.test_comments_typepad import typepad
from tests.wordpress_markup import PARAGRAPHS, block_comments, classic_comments, paragraphs, thread

URL = "https://harbour.example/news/harbour-plan-splits-the-council"
SECRET = "Zanzibar"
"""A word only the comments use."""

SECTIONS: dict[str, Callable[[], str]] = {
    "wordpress-classic": lambda: classic_comments([_secret(thread())[0]]),
    "wordpress-block": lambda: block_comments(_secret(thread()), "Harbour plan"),
    "genesis-microdata": lambda: genesis_comments(_secret(thread())),
    "blogger": lambda: blogger([("24", "Ann", f"{SECRET} ferries.", "July 2, 2012 7:28 PM"),
                                ("25", "Tom", f"{SECRET} again.", "July 2, 2012 8:00 PM")]),
    "typepad": lambda: typepad([("6a9c", "Ann", f"{SECRET} ferries.", "July 2, 2012 at 09:48 PM"),
                                ("6a9d", "Tom", f"{SECRET} again.", "July 3, 2012 at 09:48 PM")]),
    "thesis": lambda: thesis([("84", "Ann", "July 7, 2012 at 12:27 am", f"{SECRET} ferries."),
                              ("85", "Tom", "July 7, 2012 at 1:27 am", f"{SECRET} again.")]),
    "disqus-html": lambda: disqus([("31", "Ann", f"{SECRET} ferries."),
                                   ("32", "Tom", f"{SECRET} again.")]),
    "generic": lambda: said([
        ("Kevin", "July 2, 2012 at 10:16 am", f"{SECRET} has ferries every hour."),
        ("Laura", "July 2, 2012 at 11:40 am", f"{SECRET} is not a harbour town."),
        ("Sam", "July 3, 2012 at 8:05 am", f"{SECRET} at last, someone said it.")]),
}


def _secret(comments):
    for top in comments:
        for comment in top.walk():
            comment.text = f"{SECRET} {comment.text}"
    return comments


def _story(comments: str, *, dated: bool = True) -> str:
    """A page whose body container no layout knows, its comments in the same column as
    its text, as many small sites print them."""
    date = "<p class='dateline'><time datetime='2012-07-01T09:00:00Z'>July 1, 2012</time></p>"
    return (f"<html><head><title>Harbour plan</title></head><body><div id='main'>"
            f"<h1>Harbour plan splits the council</h1>{date if dated else ''}"
            f"{paragraphs(PARAGRAPHS * 2)}{comments}</div></body></html>")


@pytest.mark.parametrize("markup", list(SECTIONS))
def test_a_comment_section_is_never_in_the_article_text(markup: str) -> None:
    page = extract_page(_story(SECTIONS[markup]()), URL)

    assert len(page.comments) >= 2
    assert SECRET not in page.article.text
    assert "The council met on Tuesday" in page.article.text


def test_a_page_whose_only_times_are_its_comments_has_no_published_time() -> None:
    page = extract_page(_story(SECTIONS["wordpress-classic"](), dated=False), URL)

    assert page.comments
    assert page.article.published.value is None


def test_an_article_with_comments_on_the_page_says_where_they_are() -> None:
    page = extract_page(_story(SECTIONS["wordpress-classic"]()), URL)

    assert page.article.comment_system == "page"


def test_an_article_without_comments_names_no_comment_system() -> None:
    page = extract_page(_story(""), URL)

    assert page.comments == [] and page.article.comment_system is None


def blogger_post() -> str:
    """A Blogger post page: the blog's name in the Header widget, the post in the Blog
    widget (hAtom: the time shown, the full date in `abbr.published`'s `title`)."""
    return ("<html><body><div class='header section'><div class='widget Header'>"
            "<h1 class='title'>Life as a Harbour Master</h1></div></div>"
            "<div class='main section'><div class='widget Blog' id='Blog1'>"
            "<h2 class='date-header'><span>Tuesday, October 23, 2012</span></h2>"
            "<div class='post hentry'><h3 class='post-title entry-title'>Harbour plan</h3>"
            f"<div class='post-body entry-content'>{paragraphs(PARAGRAPHS)}</div>"
            "<div class='post-footer'><span class='post-author vcard'>Posted by "
            "<span class='fn'>John Halamka</span></span> at "
            "<a class='timestamp-link' href='/p'><abbr class='published' "
            "title='2012-10-23T16:02:00-07:00'>4:02 PM</abbr></a></div></div></div></div>"
            "</body></html>")


def test_a_blogger_posts_date_is_its_published_abbrs_title() -> None:
    page = extract_page(blogger_post(), URL)

    assert page.article.published.iso == "2012-10-23T23:02:00Z"


def test_a_blogger_posts_title_is_the_posts_heading_not_the_blogs_name() -> None:
    assert extract_page(blogger_post(), URL).article.title == "Harbour plan"


def test_a_blogger_posts_author_is_its_footers_name() -> None:
    assert extract_page(blogger_post(), URL).article.authors == ["John Halamka"]


@pytest.mark.parametrize("title", ["Harbour plan splits the council | The Evening Ledger",
                                   "The Evening Ledger \u2013 Harbour plan splits the council"])
def test_a_page_with_no_heading_is_titled_by_its_title_without_the_sites_name(
        title: str) -> None:
    html = (f"<html><head><title>{title}</title></head><body><div class='story'>"
            f"{paragraphs(PARAGRAPHS)}</div></body></html>")

    assert extract_page(html, URL).article.title == "Harbour plan splits the council"


def test_a_title_with_a_colon_is_kept_whole() -> None:
    html = ("<html><head><title>Life as a CIO: In Shanghai this week</title></head><body>"
            f"<div class='story'>{paragraphs(PARAGRAPHS)}</div></body></html>")

    assert extract_page(html, URL).article.title == "Life as a CIO: In Shanghai this week"
