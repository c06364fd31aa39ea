"""TypePad and Movable Type comments (`crawler/extraction/comments/typepad.py`): the text
in `.comment-content`, author and time in one footer line ("Posted by: A | <date>")."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://harbour.typepad.com/blog/2012/10/harbour-plan.html"


def typepad(comments: list[tuple[str, str, str, str]], *, preview: bool = True) -> str:
    """(id, author, text, date); TypePad also prints an empty comment as the preview's
    template, which is not a comment."""
    items = "".join(
        f'<a id="c{cid}"></a><div class="comment comment-odd comment-has-avatar" '
        f'id="comment-{cid}"><div class="comment-avatar"><img src="a.gif" alt="{author}" />'
        f'</div><div class="comment-content" id="comment-{cid}-content"><span><p>{text}</p>'
        f'</span></div><p class="comment-footer">Posted by: {author} | <a rel="nofollow" '
        f'href="{URL}?cid={cid}#comment-{cid}">{date}</a></p></div>'
        for cid, author, text, date in comments)
    template = ('<div id="comment-preview" style="display:none"><div class="comments-content">'
                '<div class="comment comment-has-avatar"><div id="comment-preview-content" '
                'class="comment-content"></div><p class="comment-footer">Posted by: '
                '<span id="comment-preview-author"></span>&nbsp;|&nbsp;'
                '<span id="comment-preview-datetime"></span></p></div></div></div>'
                ) if preview else ""
    return ('<div class="comments" id="comments"><h3 class="comments-header">Comments</h3>'
            f'<div class="comments-content" id="comments-content">{items}</div>'
            f'{template}</div>')


COMMENTS = [("6a00d834c970c", "Jonathan Weinberg", "Wicked cool!",
             "Sunday, October 28, 2012 at 09:48 PM"),
            ("6a00d835b970b", "Bob Barnard", "Nice!", "Monday, October 29, 2012 at 11:25 AM")]


def test_author_and_time_are_read_from_the_footer_line() -> None:
    page = extract_page(article_with(typepad(COMMENTS)), URL)

    assert [c.author for c in page.comments] == ["Jonathan Weinberg", "Bob Barnard"]
    assert [c.published.iso for c in page.comments] == ["2012-10-28T21:48:00Z",
                                                        "2012-10-29T11:25:00Z"]


def test_the_text_is_the_comment_content_only() -> None:
    page = extract_page(article_with(typepad(COMMENTS)), URL)

    assert [c.text for c in page.comments] == ["Wicked cool!", "Nice!"]
    assert {c.layout for c in page.comments} == {"typepad"}


def test_the_ids_are_typepads_own_hex_ids() -> None:
    page = extract_page(article_with(typepad(COMMENTS)), URL)

    assert [cid in (c.source_id or "") for c, (cid, *_) in zip(page.comments, COMMENTS,
                                                               strict=True)] == [True, True]


def test_the_preview_template_is_not_a_comment() -> None:
    page = extract_page(article_with(typepad(COMMENTS[:1], preview=True)), URL)

    assert [c.author for c in page.comments] == ["Jonathan Weinberg"]


def movable_type(comments: list[tuple[str, str, str, str]]) -> str:
    """Movable Type's templates: the same list, the footer line a `p.posted`."""
    items = "".join(
        f'<a id="c{cid}"></a><div class="comment" id="comment-{cid}"><div class="comment-inner">'
        f'<div class="comment-header"></div><div class="comment-content"><p>{text}</p></div>'
        f'<p class="posted">Posted by {author} | <a href="#comment-{cid}">{date}</a></p>'
        '</div></div>' for cid, author, text, date in comments)
    return (f'<div id="comments" class="module comments comments-content"><a name="cmts"></a>'
            f'{items}</div>')


def test_movable_types_posted_line_gives_author_and_time() -> None:
    page = extract_page(article_with(movable_type([
        ("979764", "jenn", "The town is strong and unified.", "November  6, 2012  1:04 PM"),
        ("982231", "Anonymous", "I love Nedelle", "November 12, 2012  6:50 PM")])), URL)

    assert [(c.author, c.published.iso, c.text) for c in page.comments] == [
        ("jenn", "2012-11-06T13:04:00Z", "The town is strong and unified."),
        ("Anonymous", "2012-11-12T18:50:00Z", "I love Nedelle")]
