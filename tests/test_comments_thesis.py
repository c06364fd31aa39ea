"""Thesis theme comments (`crawler/extraction/comments/thesis.py`): `dl#comment_list`, a
`dt` with author and time, then a `dd` with the text."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://harbour.example/2012/06/25/harbour-plan/"


def _pair(cid: str, author: str, time: str, text: str, replies: str = "") -> str:
    children = f'<dl class="children">{replies}</dl>' if replies else ""
    return (f'<dt class="comment even thread-even depth-1" id="comment-{cid}">'
            f'<span class="avatar"><img src="a.png" class="avatar" /></span>'
            f'<span class="comment_author">{author}</span> '
            f'<span class="comment_time">{time}</span></dt>'
            f'<dd class="comment even thread-even depth-1"><div class="format_text" '
            f'id="comment-body-{cid}"><p>{text}</p><p class="reply"><a class="comment-reply-link" '
            f'href="?replytocom={cid}#respond">Reply</a></p></div>{children}</dd>')


def thesis(comments: list[tuple[str, str, str, str]],
           replies: dict[str, list[tuple[str, str, str, str]]] | None = None) -> str:
    """Each comment a `dt` and a `dd`; a comment's replies in a `dl.children` inside its
    `dd`."""
    replies = replies or {}
    items = "".join(_pair(*c, "".join(_pair(*r) for r in replies.get(c[0], [])))
                    for c in comments)
    return (f'<div id="comments"><div class="comments_intro"><p><span>{len(comments)}</span> '
            f'comments&#8230; read them below or add one</p></div>'
            f'<dl id="comment_list">{items}</dl></div>')


COMMENTS = [("849926", "jackienoriega", "July 7, 2012 at 12:27 am", "A clear example."),
            ("849909", "Alita", "July 6, 2012 at 10:47 pm", "Thank you for this.")]


def test_every_dt_and_its_dd_are_one_comment() -> None:
    page = extract_page(article_with(thesis(COMMENTS)), URL)

    assert [(c.source_id, c.author) for c in page.comments] == [
        ("849926", "jackienoriega"), ("849909", "Alita")]
    assert {c.layout for c in page.comments} == {"thesis"}


def test_the_time_is_read_from_the_dt() -> None:
    page = extract_page(article_with(thesis(COMMENTS)), URL)

    assert [c.published.iso for c in page.comments] == ["2012-07-07T00:27:00Z",
                                                        "2012-07-06T22:47:00Z"]


def test_the_text_is_the_dd_without_its_reply_link() -> None:
    page = extract_page(article_with(thesis(COMMENTS)), URL)

    assert [c.text for c in page.comments] == ["A clear example.", "Thank you for this."]


def test_replies_in_the_parents_dd_keep_their_parent() -> None:
    reply = ("849930", "Chris", "July 7, 2012 at 9:00 am", "It will show up within a day.")
    page = extract_page(article_with(thesis(COMMENTS, {"849926": [reply]})), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert [c.source_id for c in page.comments] == ["849926", "849930", "849909"]
    assert by_source["849930"].parent_id == by_source["849926"].comment_id
    assert by_source["849909"].parent_id is None
    assert by_source["849926"].text == "A clear example."
    assert by_source["849930"].published.iso == "2012-07-07T09:00:00Z"
