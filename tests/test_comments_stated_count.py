"""The page's own comment count (`crawler/extraction/comments/stated_count.py`)."""

from __future__ import annotations

import pytest

from crawler.extraction.comments.stated_count import stated_count
from crawler.extraction.document import parse


@pytest.mark.parametrize(("heading", "count"), [
    ('<h2 class="comments-title">11 thoughts on &ldquo;Harbour plan&rdquo;</h2>', 11),
    ('<h2 class="comments-title">One response to &ldquo;Harbour plan&rdquo;</h2>', 1),
    ('<h3 id="comments" class="wp-block-comments-title">4 responses to &#8220;Harbour&#8221;'
     '</h3>', 4),
    ('<div id="comments"><h3>1,204 Comments</h3></div>', 1204),
    ('<h2 class="comments-title">12 Kommentare</h2>', 12),
    ('<div id="comments-block"><h4>3 comments:</h4></div>', 3),
])
def test_the_comment_sections_heading_states_the_count(heading: str, count: int) -> None:
    assert stated_count(parse(f"<html><body>{heading}</body></html>")) == count


def test_a_page_without_a_count_states_none() -> None:
    assert stated_count(parse('<html><body><h2 class="comments-title">Leave a reply</h2>'
                              '</body></html>')) is None


def test_a_long_paragraph_under_the_heading_name_is_not_a_count() -> None:
    text = "In 2012 there were 40 comments on the plan. " * 10
    assert stated_count(parse(f'<html><body><div class="comment-count">{text}</div>'
                              '</body></html>')) is None
