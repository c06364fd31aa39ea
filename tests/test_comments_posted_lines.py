"""Movable Type's and TypePad's classic templates (`crawler/extraction/comments/
posted_lines.py`): a comment's bare paragraphs, opened by its id, closed by "Posted by"."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import ARTICLE_TITLE, PARAGRAPHS, paragraphs

URL = "https://econ.example/archives/2012/10/another_report.html"


def page(comments: str) -> str:
    """A classic template: the post, its own posted line, trackbacks, then the comments, all
    siblings in one column."""
    return (f"<html><head><title>{ARTICLE_TITLE}</title></head><body><div id='content'>"
            f"<h2>{ARTICLE_TITLE}</h2>{paragraphs(PARAGRAPHS * 2)}"
            "<p class='posted'>Posted by James Hamilton at October 28, 2012 01:23 PM</p>"
            "<h2 id='trackbacks'>Trackback Pings</h2><p><a id='p43'></a>A linking post</p>"
            "<p class='posted'>Tracked on Apr 6, 2007 6:56:46 PM</p>"
            f"<h2><a id='comments'></a>Comments</h2>{comments}</div></body></html>")


ANCHORED = ("<a id='c65581830'></a><p>1. Hire me.</p><p>2. Write another book?</p>"
            "<p class='posted'>Posted by: <a href='http://reed.example'>Reed</a> | "
            "Apr 6, 2007 1:11:01 PM</p>")
WRAPPED = ("<div id='c115775'><p>Why leave out the drought?</p></div>"
           "<p class='posted'>Posted by: <a href='mailto:m@example.org'>matt</a> at "
           "October 28, 2012 02:30 PM</p>")


def test_paragraphs_from_the_anchor_to_the_posted_line_are_one_comment() -> None:
    [comment] = extract_page(page(ANCHORED), URL).comments

    assert (comment.source_id, comment.author, comment.text) == (
        "65581830", "Reed", "1. Hire me.\n\n2. Write another book?")
    assert comment.published.iso == "2007-04-06T13:11:01Z"


def test_a_wrapped_comment_reads_its_posted_line_after_the_wrapper() -> None:
    [comment] = extract_page(page(WRAPPED), URL).comments

    assert (comment.source_id, comment.author, comment.text) == (
        "115775", "matt", "Why leave out the drought?")
    assert comment.published.iso == "2012-10-28T14:30:00Z"


def test_the_posts_own_line_and_the_trackbacks_are_not_comments() -> None:
    extracted = extract_page(page(ANCHORED + WRAPPED), URL)

    assert [c.author for c in extracted.comments] == ["Reed", "matt"]
    assert "Why leave out the drought?" not in extracted.article.text
