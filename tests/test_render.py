"""Element text as a reader sees it (`crawler/extraction/render.py`): breaks where the page
breaks lines, entities decoded exactly once, nothing unescaped twice."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extraction import extract_page
from crawler.extraction.render import paragraphs, text
from tests.wordpress_markup import SITE, Comment, classic_post
from tests.wordpress_markup import paragraphs as html_paragraphs

URL = f"{SITE}/2021/03/03/harbour-plan/"


def _text(fragment: str) -> str:
    return text(lxml.html.fragment_fromstring(fragment, create_parent="div"))


def test_br_breaks_a_line() -> None:
    assert _text("first line<br>second line<br/>third") == "first line\nsecond line\nthird"


def test_two_brs_break_a_paragraph() -> None:
    assert _text("one<br><br>two") == "one\n\ntwo"


def test_block_elements_are_paragraphs() -> None:
    assert _text("<p>one</p><div>two</div><blockquote>three</blockquote>") == (
        "one\n\ntwo\n\nthree")


def test_inline_markup_does_not_break_words() -> None:
    assert _text("<p>in<b>line</b> <a href='#'>link</a>ed</p>") == "inline linked"


def test_scripts_styles_and_forms_controls_are_not_text() -> None:
    assert _text("<p>kept</p><script>var x = 1;</script><style>p{}</style>"
                 "<button>Reply</button>") == "kept"


def test_table_cells_are_separated() -> None:
    assert paragraphs(lxml.html.fragment_fromstring(
        "<table><tr><td>a</td><td>b</td></tr></table>")) == ["a b"]


@pytest.mark.parametrize(("written", "read"), [
    ("x&lt;y and y&gt;z", "x<y and y>z"),
    ("?id=3&amp;section=news", "?id=3&section=news"),
    ("I wrote &amp;amp; literally", "I wrote &amp; literally"),
    ("&lt;b&gt;not bold&lt;/b&gt;", "<b>not bold</b>"),
    ("caf&eacute; &#8211; &#x2014;", "caf\u00e9 \u2013 \u2014"),
])
def test_entities_are_decoded_once(written: str, read: str) -> None:
    assert _text(f"<p>{written}</p>") == read


def test_article_text_keeps_angle_brackets_and_ampersands() -> None:
    body = html_paragraphs() + "<p>x&lt;y and y&gt;z, see ?id=3&amp;section=news</p>"
    page = extract_page(classic_post(body=body), URL)

    assert "x<y and y>z, see ?id=3&section=news" in page.article.text


def test_comment_text_keeps_angle_brackets_and_ampersands() -> None:
    comment = Comment(21, "Ann Lee", "2021-03-05T18:30:00+00:00", "March 5, 2021",
                      "x<y and y>z, see ?id=3&section=news")
    page = extract_page(classic_post(comments=[comment]), URL)

    assert [c.text for c in page.comments] == ["x<y and y>z, see ?id=3&section=news"]


def test_a_title_written_with_entities_is_decoded_once() -> None:
    page = extract_page(classic_post("Fish & chips <3"), URL)

    assert page.article.title == "Fish & chips <3"
