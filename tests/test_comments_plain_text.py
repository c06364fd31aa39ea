"""Comments in plain-text layouts (`crawler/extraction/comments/plain_text.py`): print
views where a heading line starts each comment and it runs to the next one."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://harbour.example/2012/07/01/harbour-plan/print/"


def print_view(comments: list[tuple[str, str, list[str]]]) -> str:
    items = "".join(
        f"<p>#{n} Comment By {author} On {date}</p>" + "".join(f"<p>{p}</p>" for p in paras)
        for n, (author, date, paras) in enumerate(comments, start=1))
    heading = f"<h2>{len(comments)} Comments To This Article</h2>"
    return f"<div id='comments-print'>{heading}{items}</div>"


COMMENTS = [("Kevin", "July 2, 2012 @ 10:16 am", ["The ferry is the lifeline.", "Keep it."]),
            ("Laura", "July 2, 2012 @ 11:40 am", ["Housing first."])]


def test_each_heading_starts_a_comment_with_its_author_and_time() -> None:
    page = extract_page(article_with(print_view(COMMENTS)), URL)

    assert [(c.author, c.published.iso) for c in page.comments] == [
        ("Kevin", "2012-07-02T10:16:00Z"), ("Laura", "2012-07-02T11:40:00Z")]
    assert {c.layout for c in page.comments} == {"plain-text"}


def test_a_comment_runs_to_the_next_heading() -> None:
    page = extract_page(article_with(print_view(COMMENTS)), URL)

    assert [c.text for c in page.comments] == ["The ferry is the lifeline.\n\nKeep it.",
                                               "Housing first."]
