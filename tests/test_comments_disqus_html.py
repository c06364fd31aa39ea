"""Disqus's crawlable copy (`crawler/extraction/comments/disqus_html.py`): the Disqus
WordPress plugin prints `ul#dsq-comments` for readers without JavaScript."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://battellemedia.example/2012/09/book-news.php"


def _item(cid: str, author: str, text: str) -> str:
    return (f'<li class="comment even thread-even depth-1" id="dsq-comment-{cid}">'
            f'<div id="dsq-comment-header-{cid}" class="dsq-comment-header">'
            f'<cite id="dsq-cite-{cid}"><span id="dsq-author-user-{cid}">{author}</span></cite>'
            f'</div><div id="dsq-comment-body-{cid}" class="dsq-comment-body">'
            f'<div id="dsq-comment-message-{cid}" class="dsq-comment-message"><p>{text}</p>'
            '</div></div></li>')


def disqus(comments: list[tuple[str, str, str]],
           replies: dict[str, list[tuple[str, str, str]]] | None = None) -> str:
    """The plugin's template closes a comment's `li` before WordPress opens the replies'
    `ul.children`: the replies follow their parent instead of nesting in it."""
    replies = replies or {}
    items = "".join(
        _item(*c) + (f"<ul class='children'>{''.join(_item(*r) for r in replies[c[0]])}</ul>"
                     if c[0] in replies else "") for c in comments)
    return (f'<div id="disqus_thread"><div id="dsq-content"><ul id="dsq-comments">{items}'
            '</ul></div></div>')


COMMENTS = [("31345", "artsyphotos", "Is this the same book?"),
            ("31346", "datron", "Thanks for the invitation.")]


def test_authors_texts_and_ids_are_read() -> None:
    page = extract_page(article_with(disqus(COMMENTS)), URL)

    assert [(c.source_id, c.author, c.text) for c in page.comments] == [
        ("31345", "artsyphotos", "Is this the same book?"),
        ("31346", "datron", "Thanks for the invitation.")]
    assert {c.layout for c in page.comments} == {"disqus-html"}


def test_the_copy_is_not_part_of_the_article_text() -> None:
    page = extract_page(article_with(disqus(COMMENTS)), URL)

    assert "same book" not in page.article.text


def test_replies_printed_after_their_parents_item_keep_their_parent() -> None:
    html = disqus(COMMENTS, {"31345": [("31348", "johnbattelle", "Simon &amp; Schuster.")]})
    page = extract_page(article_with(html), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert [c.source_id for c in page.comments] == ["31345", "31348", "31346"]
    assert by_source["31348"].parent_id == by_source["31345"].comment_id
    assert by_source["31346"].parent_id is None
