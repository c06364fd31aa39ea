"""Livefyre's rendered comment stream (`crawler/extraction/comments/livefyre.py`), as a page
saved from a browser holds it."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://podcast.example/2012/10/episode-40/"


def stream(*comments: tuple[int, str, str]) -> str:
    items = "".join(
        f'<div class="lf_comment_container lf_level_1" id="lf_comment_{cid}" reply_parent="" '
        f'comment_id="{cid}"><div class="lf_comment_user"><a class="lf_user hastooltip" '
        f'title="Quick profile"><img src="a.jpg" class="lf_main_avatar" alt=""/></a></div>'
        f'<div class="lf_comment"><div class="lf_comment_body"><a rel="nofollow" '
        f'href="https://livefyre.example/profile/{cid}/" class="lf_comment_user_nick">{nick}</a>'
        f'<span class="lf_comment_user_rating">6 pts</span><div class="lf_body"><p>{text}</p>'
        f'</div></div><div class="lf_comment_footer"><label class="lf_comment_date"></label>'
        f'<a class="lf_share">share</a><a class="lf_flag"><label>flag</label></a>'
        f'<a class="lf_like lf_button">Like</a></div></div></div>'
        for cid, nick, text in comments)
    return f'<div id="livefyre"><div id="lf_comments">{items}</div></div>'


def test_each_container_is_a_comment_with_its_nick_and_text_without_the_buttons() -> None:
    page = extract_page(article_with(stream((33776880, "baroo", "A brilliant podcast."),
                                            (33776901, "diana", "Thanks, it was fun."))), URL)

    assert [(c.source_id, c.author, c.text) for c in page.comments] == [
        ("33776880", "baroo", "A brilliant podcast."), ("33776901", "diana", "Thanks, it was fun.")]
    assert {c.layout for c in page.comments} == {"livefyre"}
