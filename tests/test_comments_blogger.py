"""Blogger comments (`crawler/extraction/comments/blogger.py`), in the classic
`dl#comments-block` template and the threaded `.comment-thread` one."""

from __future__ import annotations

from crawler.extraction import extract_page
from tests.comment_pages import article_with

URL = "https://harbour.blogspot.com/2012/07/harbour-plan.html"


def classic(comments: list[tuple[str, str, str, str]]) -> str:
    """(id, author, text, timestamp) as the classic template prints them: the author in a
    `dt`, then the body and the footer in `dd`s."""
    items = "".join(
        f"<dt class='comment-author' id='c{cid}'><a name='c{cid}'></a>"
        f"<a href='https://www.blogger.com/profile/1' rel='nofollow'>{author}</a> said...</dt>"
        f"<dd class='comment-body' id='Blog1_cmt-{cid}'><p>{text}</p></dd>"
        f"<dd class='comment-footer'><span class='comment-timestamp'>"
        f"<a href='{URL}?showComment=1#c{cid}' title='comment permalink'>{stamp}</a></span>"
        "</dd>" for cid, author, text, stamp in comments)
    return (f"<div class='comments' id='comments'><a name='comments'></a>"
            f"<h4>{len(comments)} comments:</h4><div id='Blog1_comments-block-wrapper'>"
            f"<dl class='avatar-comment-indent' id='comments-block'>{items}</dl></div></div>")


def threaded(comments: list[tuple[str, str, str, str, list]]) -> str:
    """(id, author, text, date, replies) as the threaded template prints them."""
    def item(cid: str, author: str, text: str, date: str, replies: list) -> str:
        nested = "".join(item(*r) for r in replies)
        return (f"<li class='comment' id='bc_0_{cid}B'><div class='avatar-image-container'>"
                f"<img src='a.png'/></div><div class='comment-block' id='c{cid}'>"
                f"<div class='comment-header'><cite class='user'><a href='https://www.blogger"
                f".com/profile/1' rel='nofollow'>{author}</a></cite>"
                f"<span class='datetime secondary-text'><a rel='nofollow' href='{URL}?showCom"
                f"ment=1#c{cid}'>{date}</a></span></div>"
                f"<p class='comment-content'>{text}</p><span class='comment-actions "
                f"secondary-text'><a href='javascript:;'>Reply</a></span></div>"
                f"<div class='comment-replies'><div class='comment-thread inline-thread'>"
                f"<ol>{nested}</ol></div></div></li>")
    return (f"<div class='comments' id='comments'><h4>{len(comments)} comments:</h4>"
            "<div class='comments-content'><div class='comment-thread' id='bc_0_4T'><ol>"
            f"{''.join(item(*c) for c in comments)}</ol></div></div></div>")


def test_the_classic_template_gives_author_text_and_id() -> None:
    page = extract_page(article_with(classic([
        ("2459", "martinealison", "Lovely work.", "July 2, 2012 7:28 PM"),
        ("5881", "Colette", "I love the octopus!", "July 3, 2012 12:43 PM")])), URL)

    assert [(c.source_id, c.author, c.text) for c in page.comments] == [
        ("2459", "martinealison", "Lovely work."), ("5881", "Colette", "I love the octopus!")]
    assert {c.layout for c in page.comments} == {"blogger"}


def test_the_classic_template_time_is_the_timestamp_link() -> None:
    page = extract_page(article_with(classic([
        ("2459", "martinealison", "Lovely work.", "July 2, 2012 7:28 PM")])), URL)

    assert page.comments[0].published.iso == "2012-07-02T19:28:00Z"


def test_the_classic_templates_footer_is_not_part_of_the_text() -> None:
    page = extract_page(article_with(classic([
        ("2459", "martinealison", "Lovely work.", "July 2, 2012 7:28 PM")])), URL)

    assert "7:28" not in page.comments[0].text and "said" not in page.comments[0].text


def test_the_threaded_template_gives_authors_times_and_replies() -> None:
    page = extract_page(article_with(threaded([
        ("682", "Dan Renae", "This helped me greatly.", "7/10/2012", [
            ("683", "Admin", "Glad it did.", "7/11/2012", [])]),
        ("585", "internetricks4u", "It really works.", "8/12/2012", [])])), URL)
    by_source = {c.source_id: c for c in page.comments}

    assert [(c.author, c.text) for c in page.comments] == [
        ("Dan Renae", "This helped me greatly."), ("Admin", "Glad it did."),
        ("internetricks4u", "It really works.")]
    assert by_source["683"].parent_id == by_source["682"].comment_id
    assert by_source["585"].published.iso == "2012-08-12T00:00:00Z"


def test_the_threaded_templates_reply_link_is_not_part_of_the_text() -> None:
    page = extract_page(article_with(threaded([
        ("682", "Dan Renae", "This helped me greatly.", "7/10/2012", [])])), URL)

    assert page.comments[0].text == "This helped me greatly."


def test_the_comment_block_is_not_part_of_the_article_text() -> None:
    page = extract_page(article_with(classic([
        ("2459", "martinealison", "Lovely work.", "July 2, 2012 7:28 PM")])), URL)

    assert "Lovely work" not in page.article.text
    assert page.article.text.startswith("The council met on Tuesday")
