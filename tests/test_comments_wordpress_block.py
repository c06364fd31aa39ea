"""WordPress block themes' comment template (`crawler/extraction/comments/wordpress_block.py`):
Twenty Twenty-Three's `ol.wp-block-comment-template`, one block per part of a comment."""

from __future__ import annotations

from datetime import datetime

from crawler.extraction import extract_page
from crawler.extraction.comments import wordpress_block
from crawler.extraction.document import parse
from tests.wordpress_markup import SITE, block_comments, block_pagination, block_post, thread

URL = f"{SITE}/2021/03/03/harbour-plan/"


def test_every_comment_of_the_template_is_read() -> None:
    page = extract_page(block_post(comments=thread()), URL)

    assert [c.source_id for c in page.comments] == ["11", "12", "14", "13"]
    assert {c.layout for c in page.comments} == {"wordpress-block"}


def test_author_time_and_text_come_from_their_blocks() -> None:
    page = extract_page(block_post(comments=thread()), URL)
    first = thread()[0]

    assert page.comments[0].author == first.author
    assert page.comments[0].published.value == datetime.fromisoformat(first.datetime)
    assert page.comments[0].text == first.text


def test_the_time_is_the_datetime_attribute_not_the_shown_date() -> None:
    """The block prints only the day ("March 4, 2021"); its `datetime` has the minute."""
    found = wordpress_block.read_page(parse(block_comments(thread(), "Harbour plan")))

    assert found.comments[0].date == "2021-03-04T09:15:00+00:00"


def test_nested_children_lists_are_replies() -> None:
    page = extract_page(block_post(comments=thread()), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert by_source["12"].parent_id == by_source["11"].comment_id
    assert by_source["14"].parent_id == by_source["12"].comment_id
    assert by_source["11"].parent_id is None and by_source["13"].parent_id is None


def test_a_reply_and_the_reply_link_are_not_in_the_text() -> None:
    page = extract_page(block_post(comments=thread()), URL)

    assert page.comments[0].text == "Moving the terminal will empty the high street within a year."


def test_the_pagination_block_links_the_other_comment_pages() -> None:
    html = block_post(comments=thread(), pagination=block_pagination(URL, 2, 3))
    page = extract_page(html, f"{URL}comment-page-2/")

    assert sorted(page.comment_pages) == [f"{URL}comment-page-1/", f"{URL}comment-page-3/"]


def test_the_comments_title_states_the_count() -> None:
    page = extract_page(block_post(comments=thread()), URL)

    assert page.article.comment_count_stated == 4


def test_the_comment_template_is_not_part_of_the_article_text() -> None:
    page = extract_page(block_post(comments=thread()), URL)

    assert "high street" not in page.article.text
    assert "Leave a Reply" not in page.article.text
