"""Comment identity (`crawler/extraction/comments/identity.py`): an id that survives the
next crawl whatever the page's times look like, and two comments never share one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from crawler.extraction import PageContext, extract_page
from crawler.extraction.comments import comment_id
from tests.wordpress_markup import PARAGRAPHS, paragraphs

URL = "https://blog.example/2021/05/30/harbour-plan/"
FIRST_CRAWL = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Shown:
    """A comment as a site without comment ids prints it."""

    author: str
    time: str
    text: str


def _page(comments: list[Shown]) -> str:
    """A blog page whose theme's comment callback prints no comment ids: author, time as
    the reader sees it, text."""
    items = "".join(
        '<li class="comment"><div class="comment-author vcard">'
        f'<cite class="fn">{escape(c.author)}</cite> <span class="says">says:</span></div>'
        f'<div class="comment-meta commentmetadata">{escape(c.time)}</div>'
        f'<div class="comment-content"><p>{escape(c.text)}</p></div></li>' for c in comments)
    return (f"<html><head><title>Harbour plan</title></head><body><article class='post'>"
            f"<h1>Harbour plan</h1><time datetime='2021-05-30T08:00:00Z'>30 May</time>"
            f"<div class='entry-content'>{paragraphs(PARAGRAPHS * 2)}</div></article>"
            f"<div id='comments'><h3>Reader comments</h3><ol class='commentlist'>{items}</ol>"
            "</div></body></html>")


def _ids(comments: list[Shown], fetched_at: datetime = FIRST_CRAWL,
         url: str = URL) -> list[str]:
    page = extract_page(_page(comments), url, PageContext(fetched_at=fetched_at))
    assert len(page.comments) == len(comments)
    return [c.comment_id for c in page.comments]


def test_relative_times_give_the_same_ids_on_two_crawls_a_day_apart() -> None:
    today = [Shown("Ann Lee", "2 hours ago", "Will the study be published first?"),
             Shown("Tom Reyes", "35 minutes ago", "It was promised for May.")]
    tomorrow = [Shown("Ann Lee", "1 day ago", "Will the study be published first?"),
                Shown("Tom Reyes", "1 day ago", "It was promised for May.")]

    assert _ids(today) == _ids(tomorrow, FIRST_CRAWL + timedelta(days=1))


def test_relative_times_resolve_against_the_fetch_time() -> None:
    page = extract_page(_page([Shown("Ann Lee", "2 hours ago", "First!")]), URL,
                        PageContext(fetched_at=FIRST_CRAWL))

    assert page.comments[0].published.value == FIRST_CRAWL - timedelta(hours=2)


def test_a_new_comment_above_does_not_change_the_others_ids() -> None:
    before = [Shown("Ann Lee", "June 1, 2021", "Will the study be published first?")]
    after = [Shown("Zoe Park", "June 2, 2021", "Newest first on this site."), *before]

    assert _ids(after)[1:] == _ids(before)


def test_one_author_in_the_same_minute_with_different_texts_gets_two_ids() -> None:
    comments = [Shown("Ann Lee", "June 1, 2021 at 10:04 am", "First half of my point."),
                Shown("Ann Lee", "June 1, 2021 at 10:04 am", "And the second half.")]

    first, second = _ids(comments)
    assert first != second


def test_one_author_in_the_same_minute_on_two_comment_pages_gets_two_ids() -> None:
    one = [Shown("Ann Lee", "June 1, 2021 at 10:04 am", "First half of my point.")]
    two = [Shown("Ann Lee", "June 1, 2021 at 10:04 am", "And the second half.")]

    assert _ids(one) != _ids(two, url=f"{URL}comment-page-2/")


def test_identical_twins_get_distinct_ids() -> None:
    """The same author posting the same text twice (a double submit) is two comments."""
    twins = [Shown("Ann Lee", "June 1, 2021 at 10:04 am", "+1"),
             Shown("Ann Lee", "June 1, 2021 at 10:05 am", "+1")]

    first, second = _ids(twins)
    assert first != second


def test_identical_twins_with_relative_times_keep_their_ids_a_day_later() -> None:
    today = [Shown("Ann Lee", "3 hours ago", "+1"), Shown("Ann Lee", "2 hours ago", "+1")]
    tomorrow = [Shown("Ann Lee", "1 day ago", "+1"), Shown("Ann Lee", "1 day ago", "+1")]

    ids = _ids(today)
    assert len(set(ids)) == 2
    assert _ids(tomorrow, FIRST_CRAWL + timedelta(days=1)) == ids


def test_no_comment_record_has_neither_author_nor_text() -> None:
    html = _page([Shown("Ann Lee", "June 1, 2021", "Kept."),
                  Shown("Tom Reyes", "June 1, 2021", "Kept too.")]).replace(
        "</ol>", '<li class="comment"><div class="comment-author vcard"><cite class="fn">'
        '</cite></div><div class="comment-meta">June 1, 2021</div>'
        '<div class="comment-content"></div></li></ol>')
    page = extract_page(html, URL, PageContext(fetched_at=FIRST_CRAWL))

    assert [c.text for c in page.comments] == ["Kept.", "Kept too."]


def test_the_sites_own_id_is_the_comments_id() -> None:
    assert comment_id("a1", "123", "Ann", "text") == "a1-123"


def test_the_hashed_id_ignores_how_the_text_is_spaced() -> None:
    assert comment_id("a1", None, "Ann  Lee", "One\n\ntwo ") == comment_id(
        "a1", None, "Ann Lee", "One two")


def test_the_hashed_id_depends_on_the_article() -> None:
    assert comment_id("a1", None, "Ann", "+1") != comment_id("a2", None, "Ann", "+1")
