"""WordPress classic comment lists (`crawler/extraction/comments/wordpress_classic.py`):
`wp_list_comments()` in its `ol`, `ul` and `div` styles, threaded by nesting."""

from __future__ import annotations

from datetime import datetime

import pytest

from crawler.extraction import extract_page
from crawler.extraction.comments import wordpress_classic
from crawler.extraction.document import parse
from tests.wordpress_markup import SITE, Comment, classic_comments, classic_post, thread

URL = f"{SITE}/2021/03/03/harbour-plan/"
STYLES = ["ol", "ul", "div"]


def _page(style: str, comments: list[Comment] | None = None):
    return extract_page(classic_post(discussion=classic_comments(comments or thread(), style)),
                        URL)


@pytest.mark.parametrize("style", STYLES)
def test_every_comment_is_read_in_page_order(style: str) -> None:
    page = _page(style)

    assert [c.source_id for c in page.comments] == ["11", "12", "14", "13"]


@pytest.mark.parametrize("style", STYLES)
def test_authors_times_and_texts(style: str) -> None:
    page = _page(style)
    expected = {c.id: c for top in thread() for c in top.walk()}

    assert len(page.comments) == len(expected)
    for comment in page.comments:
        written = expected[int(comment.source_id or 0)]
        assert comment.author == written.author
        assert comment.published.value == datetime.fromisoformat(written.datetime)
        assert comment.text == written.text


@pytest.mark.parametrize("style", STYLES)
def test_replies_point_to_the_comment_they_answer(style: str) -> None:
    page = _page(style)
    by_source = {c.source_id: c for c in page.comments}

    assert by_source["11"].parent_id is None
    assert by_source["12"].parent_id == by_source["11"].comment_id
    assert by_source["14"].parent_id == by_source["12"].comment_id
    assert by_source["13"].parent_id is None


def test_the_reply_link_and_says_are_not_part_of_the_text() -> None:
    page = _page("ol")

    assert not any("Reply" in c.text or "says" in c.text for c in page.comments)


def test_a_reply_is_not_part_of_its_parents_text() -> None:
    page = _page("div")

    assert page.comments[0].text == "Moving the terminal will empty the high street within a year."


def test_the_layout_is_named_on_every_comment() -> None:
    page = _page("ol")

    assert {c.layout for c in page.comments} == {"wordpress-classic"}


def test_the_layout_reads_a_comment_list_of_the_div_style() -> None:
    found = wordpress_classic.read_page(parse(classic_comments(thread(), "div")))

    assert [c.author for c in found.comments] == ["Mary Oakes", "Tom Reyes", "Mary Oakes",
                                                  "Ann Lee"]
    assert [c.parent_index for c in found.comments] == [None, 0, 1, None]


def test_a_comment_awaiting_moderation_keeps_only_its_text() -> None:
    html = classic_comments(thread()[1:]).replace(
        '<div class="comment-content">',
        '<em class="comment-awaiting-moderation">Your comment is awaiting moderation.</em>'
        '<div class="comment-content">')
    page = extract_page(classic_post(discussion=html), URL)

    assert [c.text for c in page.comments] == ["Will the study be published before the vote?"]


def test_older_and_newer_comments_links_are_comment_pages() -> None:
    navigation = (
        '<nav class="navigation comment-navigation"><div class="nav-links">'
        f'<div class="nav-previous"><a href="{URL}comment-page-1/#comments">Older comments</a>'
        f'</div><div class="nav-next"><a href="{URL}comment-page-3/#comments">Newer comments'
        '</a></div></div></nav>')
    html = classic_comments(thread()).replace('<div id="respond"', navigation + '<div id="respond"')
    page = extract_page(classic_post(discussion=html), f"{URL}comment-page-2/")

    assert sorted(page.comment_pages) == [f"{URL}comment-page-1/", f"{URL}comment-page-3/"]
    assert {c.page for c in page.comments} == {2}


def test_pingbacks_and_trackbacks_in_the_list_are_not_comments() -> None:
    """As Twenty Twenty-One's `wp_list_comments()` prints them, ids like a comment's."""
    notices = "".join(
        f'<li id="comment-{90 + n}" class="{kind} even thread-even depth-1">'
        f'<div class="comment-body">{kind.title()}: <a href="https://other.example/{n}" '
        'rel="external nofollow ugc" class="url">Another blog links here</a> '
        '<span class="edit-link"></span></div></li>'
        for n, kind in enumerate(("pingback", "trackback", "pingback")))
    discussion = ('<div id="comments" class="comments-area"><h2 class="comments-title">'
                  f'3 thoughts</h2><ol class="comment-list">{notices}</ol></div>')
    page = extract_page(classic_post(discussion=discussion), URL)

    assert page.comments == []
