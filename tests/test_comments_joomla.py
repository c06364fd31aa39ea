"""Joomla's comment extensions: JComments (`crawler/extraction/comments/jcomments.py`) and
JomComment (`crawler/extraction/comments/jomcomment.py`), as their default templates print
them."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://solar.example/home-solar-power-systems"


def jcomments(*comments: tuple[int, str, str, str]) -> str:
    items = "".join(
        f'<div class="{"odd" if n % 2 else "even"}" id="comment-item-{cid}"><div class="rbox">'
        f'<div class="comment-box usertype-guest"><span class="comments-vote">'
        f'<a href="#" class="vote-good" title="Good comment!"></a>'
        f'<span class="vote-good">+4</span></span>'
        f'<a class="comment-anchor" href="{URL}#comment-{cid}" id="comment-{cid}">#{n + 1}</a>'
        f'<span class="comment-author">{author}</span><span class="comment-date">{day}</span>'
        f'<div class="comment-body" id="comment-body-{cid}">{text}</div>'
        f'<span class="comments-buttons"><a href="#">Quote</a></span></div></div></div>'
        for n, (cid, author, day, text) in enumerate(comments))
    return (f'<div id="jc"><div id="comments"><h4>Comments</h4>'
            f'<div id="comments-list" class="comments-list">{items}</div></div></div>')


def jomcomment(*comments: tuple[int, str, str, str, str]) -> str:
    items = "".join(
        f'<div class="jomentry{n % 2 + 1}" id="pc_{cid}"><a name="comment-{cid}" '
        f'id="comment-{cid}"></a><div class="avatarImg"><img src="g.gif" alt="0" /></div>'
        f'<span class="jc_comment_title">{title}</span><br />'
        f'<span class="small">written by {author},\n\t{day}\t</span><br />'
        f'<div class="comment-text" id="comment-text-container-{cid}">{text}</div>'
        f'<ul class="jc_comment_panel"><li class="jc_comment_panel_total">+0</li></ul></div>'
        for n, (cid, title, author, day, text) in enumerate(comments))
    return (f'<div class="contentheading" id="written_comments_title">Comments (2)</div>'
            f'<div id="jc_commentsDiv">{items}</div>')


def test_jcomments_items_give_author_time_and_text_without_the_buttons() -> None:
    page = extract_page(article_with(jcomments(
        (3, "munya", "2011-06-02 13:28", "I need a solar system for my house."),
        (6, "Andre", "2011-07-14 13:14", "How long will it take to pay itself off?"))), URL)

    assert [(c.source_id, c.author, c.published.iso, c.text) for c in page.comments] == [
        ("3", "munya", "2011-06-02T13:28:00Z", "I need a solar system for my house."),
        ("6", "Andre", "2011-07-14T13:14:00Z", "How long will it take to pay itself off?")]
    assert {c.layout for c in page.comments} == {"jcomments"}


def test_jomcomment_reads_the_written_by_line_and_keeps_the_title_as_the_first_line() -> None:
    page = extract_page(article_with(jomcomment(
        (47492, "Energy first", "Tony Hamilton", "October 24, 2012", "Efficiency is the issue."),
        (47493, "Tech", "Belfor", "October 25, 2012", "Impressive how fast it advances."))),
        URL)

    assert [(c.source_id, c.author, c.published.iso[:10], c.text) for c in page.comments] == [
        ("47492", "Tony Hamilton", "2012-10-24", "Energy first\n\nEfficiency is the issue."),
        ("47493", "Belfor", "2012-10-25", "Tech\n\nImpressive how fast it advances.")]
    assert {c.layout for c in page.comments} == {"jomcomment"}

