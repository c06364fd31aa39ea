"""Comments in markup no layout module knows (`crawler/extraction/comments/generic.py`):
repeated blocks that name themselves comments, author and time found by the names themes
give them or in lines such as "Kevin said,"."""

from __future__ import annotations

from crawler.extraction import extract_page
from crawler.extraction.comments import generic
from crawler.extraction.document import parse
from tests.comment_pages import article_with

URL = "https://harbour.example/news/harbour-plan-splits-the-council"


def said(comments: list[tuple[str, str, str]]) -> str:
    """A home-made list: one `div.comment_box` each, the byline a line of its own."""
    items = "".join(
        f'<div class="comment_box" id="c{1000 + n}"><p><strong>{author}</strong> said,</p>'
        f'<p class="small">{date}</p><p>{text}</p></div>'
        for n, (author, date, text) in enumerate(comments))
    return f'<div id="discussion"><h3>What readers say</h3>{items}</div>'


COMMENTS = [("Kevin", "July 2, 2012 at 10:16 am", "The ferry is the town's lifeline."),
            ("Laura P.", "July 2, 2012 at 11:40 am", "Housing matters more than ferries."),
            ("Sam", "July 3, 2012 at 8:05 am", "Both can be done if the budget allows.")]


def test_bylines_written_as_lines_give_the_authors() -> None:
    page = extract_page(article_with(said(COMMENTS)), URL)

    assert [c.author for c in page.comments] == ["Kevin", "Laura P.", "Sam"]
    assert {c.layout for c in page.comments} == {"generic"}


def test_the_byline_and_the_date_are_not_part_of_the_text() -> None:
    page = extract_page(article_with(said(COMMENTS)), URL)

    assert [c.text for c in page.comments] == [text for _, _, text in COMMENTS]


def test_the_date_line_is_the_comments_time() -> None:
    page = extract_page(article_with(said(COMMENTS)), URL)

    assert [c.published.iso for c in page.comments] == [
        "2012-07-02T10:16:00Z", "2012-07-02T11:40:00Z", "2012-07-03T08:05:00Z"]


def test_a_byline_with_its_date_in_one_line_is_split() -> None:
    html = "".join(
        f'<li class="comment-item"><p>{author} on {date} said:</p><p>{text}</p></li>'
        for author, date, text in COMMENTS)
    found = generic.read_page(parse(f"<html><body><ul>{html}</ul></body></html>"))

    assert [(c.author, c.date, c.text) for c in found.comments] == COMMENTS


def test_blocks_in_a_recent_comments_widget_are_not_comments_of_this_page() -> None:
    widget = ('<aside class="widget widget_recent_comments"><ul>' + "".join(
        f'<li class="comment_box"><p><strong>{a}</strong> said,</p><p>{t}</p></li>'
        for a, _, t in COMMENTS) + "</ul></aside>")
    page = extract_page(article_with(widget), URL)

    assert page.comments == []


def test_a_list_of_blocks_without_authors_or_times_is_not_a_comment_list() -> None:
    html = "".join(f'<div class="comment_box"><p>{t}</p></div>' for _, _, t in COMMENTS)
    page = extract_page(article_with(html), URL)

    assert page.comments == []


def test_a_scripts_empty_comment_template_is_not_a_comment() -> None:
    template = ('<div id="cs-comment-template" class="comment-holder hide"><div class="text">'
                '<p><span class="quot">&#8220;</span><span class="inner"></span>'
                '<span class="quot">&#8221;</span></p></div><div class="usermeta">'
                '<a href="#"></a>, <span class="votes"></span></div></div>')

    assert extract_page(article_with(template), URL).comments == []


def test_a_box_with_name_fields_is_the_comment_form() -> None:
    form = ('<div class="commentBox"><div class="headerBox"><h4>Hello<span '
            'class="userFirstName"></span></h4></div><div class="contentBox"><p>Your comments '
            'will show your real name and not a username.</p><div class="userNameInfo">'
            '<div class="alertMessage">Please enter your first and last name</div>'
            '<label for="firstname">First name:</label> <input name="firstname" type="text">'
            '</div></div></div>')

    assert extract_page(article_with(form), URL).comments == []


def test_replies_in_a_block_after_their_parent_keep_it() -> None:
    """Drupal prints a reply in `<div class="indented">` after its parent, not inside it."""
    def comment(n: int, author: str, text: str) -> str:
        return (f'<div class="comment" id="comment-{n}"><span class="username">{author}</span>'
                f'<span class="comment-time">July 2, 2012 - 10:1{n}</span>'
                f'<div class="content"><p>{text}</p></div></div>')
    section = (f'<section id="comments">{comment(1, "Ann", "The ferry is late again.")}'
               f'<div class="indented">{comment(2, "Bo", "It was on time today.")}</div>'
               f'{comment(3, "Cy", "Nobody mentions the buses at all.")}</section>')
    page = extract_page(article_with(section), URL)

    parents = {c.author: c.parent_id for c in page.comments}
    ids = {c.author: c.comment_id for c in page.comments}
    assert parents == {"Ann": None, "Bo": ids["Ann"], "Cy": None}


def movable_type(comments: list[tuple[str, str, str]]) -> str:
    """A Movable Type blog's comments as Schneier on Security prints them: a
    `div.commentbody` classed by the commenter's name, the text, then "Posted by: NAME at
    <a>DATE</a>"."""
    items = "".join(
        f'<div class="commentbody by-{author.lower().replace(" ", "-")}">'
        f'<a name="c{9000 + n}"></a><div id="c{9000 + n}"><p>{text}</p></div>'
        f'<p class="posted">Posted by: <a href="https://{author.split()[0].lower()}.example" '
        f'rel="nofollow">{author}</a> at <a href="{URL}#c{9000 + n}">{date}</a></p>'
        '<hr class="comment-separator"></div>'
        for n, (author, date, text) in enumerate(comments))
    return f'<div id="comments"><h3>Comments</h3>{items}</div>'


def test_comment_blocks_classed_by_their_commenter_are_one_list() -> None:
    page = extract_page(article_with(movable_type(COMMENTS)), URL)

    assert [(c.author, c.text) for c in page.comments] == [(a, t) for a, _, t in COMMENTS]


def test_the_time_in_a_posted_by_line_is_its_link() -> None:
    page = extract_page(article_with(movable_type(COMMENTS)), URL)

    assert page.comments[0].published.raw == "July 2, 2012 at 10:16 am"


def drupal(comments: list[tuple[str, str, str]]) -> str:
    """Drupal 6 comments as a site's own theme prints them: `div#comment-N` blocks, the
    name in core's username link ("View user profile.")."""
    return "".join(
        f'<a id="comment-{2691789 + n}"></a><div class="non_toggle_area" '
        f'id="comment-{2691789 + n}"><div class="non_toggle_label"><span class="info">'
        f'{date}</span> <b><a href="/users/{author.lower()}" title="View user profile.">'
        f'{author}</a></b></div><div class="comment-content"><p>{text}</p></div></div>'
        for n, (author, date, text) in enumerate(comments))


def test_a_page_whose_body_says_it_has_sidebars_still_has_comments() -> None:
    html = article_with(drupal(COMMENTS)).replace("<body>", "<body class='node sidebars'>")
    page = extract_page(html, URL)

    assert [(c.author, c.text) for c in page.comments] == [(a, t) for a, _, t in COMMENTS]


def test_pingbacks_and_trackbacks_are_not_comments() -> None:
    notices = "".join(f'<li class="post {kind}"><p>{kind.title()}: <a href="https://other.'
                      f'example/{n}" rel="external nofollow" class="url">Another blog links '
                      f'here, post {n}</a></p></li>'
                      for n, kind in enumerate(("pingback", "trackback", "pingback")))
    page = extract_page(article_with(f'<ol class="commentlist">{notices}</ol>'), URL)

    assert page.comments == []
