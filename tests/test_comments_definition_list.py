"""Comment lists as definition lists (`crawler/extraction/comments/definition_list.py`):
`dl.commentlist`, a `dt` with number, author and permalinked time, then a `dd` with the
text; replies are flat siblings marked by WordPress's `depth-N` class."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://gunners.example/2011/08/29/not-in-hiding/"


def _pair(number: int, cid: str, author: str, day: str, text: str, depth: int = 1) -> str:
    link = (f"<a href='https://fans.example/{author}' rel='external nofollow' class='url'>"
            f"{author}</a>" if author.istitle() else author)
    prefix = f"{number}.\t" if depth == 1 else ""
    return (f'<dt id="comment-{cid}" class="comment even depth-{depth} highlander-comment">'
            f'\n\t\t{prefix}{link} -\n\t<a href="{URL}#comment-{cid}">{day}</a>\n\t\t</dt>'
            f'<dd class="comment odd alt depth-{depth} highlander-comment">'
            f'<div class="comment" id="div-comment-{cid}"><p>{text}</p>'
            f'<div class="reply"><a class="comment-reply-link" href="?replytocom={cid}#respond">'
            f'Reply</a></div></div></dd>')


def definition_list(*pairs: str) -> str:
    return (f'<div id="comments"><h2>Comments</h2><dl class="commentlist">{"".join(pairs)}'
            f'</dl></div>')


LIST = definition_list(
    _pair(1, "51121", "Joel", "29 August, 2011", "First here."),
    _pair(2, "51122", "lettraggad", "29 August, 2011", "Proud of the away support."),
    _pair(0, "51123", "Peter", "30 August, 2011", "Agreed, loud all game.", depth=2),
    _pair(3, "51124", "robbo", "31 August, 2011", "They had better buy some players."))


def test_every_dt_and_its_dd_are_one_comment() -> None:
    page = extract_page(article_with(LIST), URL)

    assert [(c.source_id, c.author) for c in page.comments] == [
        ("51121", "Joel"), ("51122", "lettraggad"), ("51123", "Peter"), ("51124", "robbo")]
    assert {c.layout for c in page.comments} == {"definition-list"}


def test_the_time_is_the_permalinks_text() -> None:
    page = extract_page(article_with(LIST), URL)

    assert [c.published.iso[:10] for c in page.comments] == [
        "2011-08-29", "2011-08-29", "2011-08-30", "2011-08-31"]


def test_the_text_is_the_dd_without_its_reply_link() -> None:
    page = extract_page(article_with(LIST), URL)

    assert [c.text for c in page.comments] == [
        "First here.", "Proud of the away support.", "Agreed, loud all game.",
        "They had better buy some players."]


def test_a_flat_reply_takes_its_parent_from_its_depth() -> None:
    page = extract_page(article_with(LIST), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert by_source["51123"].parent_id == by_source["51122"].comment_id
    assert [by_source[s].parent_id for s in ("51121", "51122", "51124")] == [None] * 3


def test_a_plain_dt_gives_author_and_time_from_its_text() -> None:
    """A bare `dl` under `#comments`: "1. NAME - DATE" as text, the last dash before the
    date ends the author."""
    said = [(18, "James - Runcorn Trekkie UK", "Preferred the old one."),
            (20, "The Keeper", "A smoking lounge, then.")]
    pairs = "".join(f'<dt class=""><a href="#49310{n}">{n}.</a> {who} - October 26, 2012</dt>'
                    f'<dd class=""><p>{text}</p></dd>' for n, who, text in said)
    comments = f'<div id="comments"><h2>Comments</h2><dl>{pairs}</dl></div>'
    page = extract_page(article_with(comments), URL)

    assert [(c.author, c.published.iso[:10], c.text) for c in page.comments] == [
        ("James - Runcorn Trekkie UK", "2012-10-26", "Preferred the old one."),
        ("The Keeper", "2012-10-26", "A smoking lounge, then.")]


def test_a_list_without_times_is_not_comments() -> None:
    skip = ('<div id="comments"><h2>Have your say</h2><dl class="assistive"><dt>Skip to:</dt>'
            '<dd><a href="#comments-list">Read comments</a></dd></dl></div>')

    assert extract_page(article_with(skip), URL).comments == []


def test_a_date_element_in_the_dt_leaves_the_author_in_its_text() -> None:
    dt = ('<dt><div class="date">September 15, 2008 at 6:55 pm</div>(1)&nbsp;Mike&nbsp;says:'
          '</dt><dd><div><p>That inspired me to work on this.</p></div></dd>')
    comments = f'<div id="comments"><h3 class="hd">Comments</h3><dl>{dt}</dl></div>'
    [comment] = extract_page(article_with(comments), URL).comments

    assert (comment.author, comment.published.iso, comment.text) == (
        "Mike", "2008-09-15T18:55:00Z", "That inspired me to work on this.")
