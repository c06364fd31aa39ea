"""schema.org Comment microdata (`crawler/extraction/comments/microdata.py`), as Genesis
prints it: each `article[itemtype=…/Comment]` inside its `li.comment`, the replies in a
`ul.children` beside the article, not inside it."""

from __future__ import annotations

from html import escape

from crawler.extraction import extract_page
from crawler.extraction.comments import microdata
from crawler.extraction.document import parse
from tests.wordpress_markup import SITE, Comment, classic_post, thread

URL = f"{SITE}/2021/03/03/harbour-plan/"


def genesis_comment(comment: Comment, depth: int = 1) -> str:
    replies = "".join(genesis_comment(r, depth + 1) for r in comment.replies)
    children = f'<ul class="children">{replies}</ul>' if replies else ""
    return (
        f'<li class="comment even thread-even depth-{depth}" id="comment-{comment.id}">'
        '<article itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
        '<header class="comment-header"><p class="comment-author" itemprop="author" '
        'itemscope itemtype="https://schema.org/Person"><img class="avatar" src="a.png" />'
        f'<span class="comment-author-name" itemprop="name">{escape(comment.author)}</span> '
        '<span class="says">says</span></p><p class="comment-meta">'
        f'<time class="comment-time" datetime="{comment.datetime}" itemprop="datePublished">'
        f'<a class="comment-time-link" href="{URL}#comment-{comment.id}" itemprop="url">'
        f'{comment.shown}</a></time></p></header>'
        f'<div class="comment-content" itemprop="text"><p>{escape(comment.text)}</p></div>'
        '<div class="comment-reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="?replytocom={comment.id}#respond">Reply</a></div></article>{children}</li>')


def genesis_comments(comments: list[Comment]) -> str:
    return ('<div class="entry-comments" id="comments"><h3>Comments</h3>'
            f'<ol class="comment-list">{"".join(map(genesis_comment, comments))}</ol></div>')


def _page():
    return extract_page(classic_post(discussion=genesis_comments(thread())), URL)


def test_every_reply_keeps_its_parent() -> None:
    page = _page()
    by_source = {c.source_id: c for c in page.comments}

    assert by_source["12"].parent_id == by_source["11"].comment_id
    assert by_source["14"].parent_id == by_source["12"].comment_id
    assert by_source["11"].parent_id is None and by_source["13"].parent_id is None


def test_every_comment_is_read_once_with_author_time_and_text() -> None:
    page = _page()
    expected = [c for top in thread() for c in top.walk()]

    assert [(c.author, c.published.iso, c.text) for c in page.comments] == [
        (c.author, c.datetime.replace("+00:00", "Z"), c.text) for c in expected]


def test_microdata_items_are_read_with_the_sites_ids() -> None:
    found = microdata.read_page(parse(genesis_comments(thread())))

    assert [c.source_id for c in found.comments] == ["11", "12", "14", "13"]
    assert [c.author for c in found.comments] == ["Mary Oakes", "Tom Reyes", "Mary Oakes",
                                                  "Ann Lee"]


def test_a_persons_properties_are_not_the_comments() -> None:
    """The author's `Person` has its own `name` and `url`: the comment's text and id are
    read from the comment's own properties only."""
    found = microdata.read_page(parse(genesis_comments(thread()[1:])))

    assert found.comments[0].text == "Will the study be published before the vote?"
    assert found.comments[0].date == "2021-03-05T18:30:00+00:00"


def test_a_reply_nested_inside_its_parents_item_is_read_as_a_reply() -> None:
    html = ('<div itemscope itemtype="http://schema.org/Comment" id="c1">'
            '<span itemprop="author">Ann</span><p itemprop="text">First.</p>'
            '<div itemscope itemtype="http://schema.org/Comment" id="c2">'
            '<span itemprop="author">Bob</span><p itemprop="text">Second.</p></div></div>')
    found = microdata.read_page(parse(html))

    assert [(c.author, c.text, c.parent_index) for c in found.comments] == [
        ("Ann", "First.", None), ("Bob", "Second.", 0)]
