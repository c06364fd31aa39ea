"""Decoding and parsing (`crawler/extraction/document.py`): every page parses, whatever it
declares, and selectors answer the same whether or not they are run."""

from __future__ import annotations

import pytest
from lxml.cssselect import CSSSelector

from crawler.extraction import extract_page
from crawler.extraction.document import decode, parse, select
from tests.wordpress_markup import PARAGRAPHS, classic_post

URL = "https://diva.example/2012/05/marketing-to-women.html"
DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>'
XHTML = (
    DECLARATION + "\n"
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><head>'
    '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />'
    "<title>Marketing caf\u00e9 notes</title></head><body><div class=\"post\">"
    "<h1>Marketing caf\u00e9 notes</h1><div class=\"post-body\">"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) +
    "<p>Na\u00efve r\u00e9sum\u00e9s.</p></div></div></body></html>")


# As XHTML pages write it, and as some templates get it wrong (no closing `?`).
DECLARATIONS = {"closed": DECLARATION, "unclosed": DECLARATION.replace("?>", ">")}


@pytest.mark.parametrize("declaration", list(DECLARATIONS))
def test_a_page_with_an_xml_encoding_declaration_as_text_extracts(declaration: str) -> None:
    page = extract_page(XHTML.replace(DECLARATION, DECLARATIONS[declaration]), URL)

    assert page.article.title == "Marketing caf\u00e9 notes"
    assert "Na\u00efve r\u00e9sum\u00e9s." in page.article.text


@pytest.mark.parametrize("declaration", list(DECLARATIONS))
def test_a_page_with_an_xml_encoding_declaration_as_bytes_extracts(declaration: str) -> None:
    html = XHTML.replace(DECLARATION, DECLARATIONS[declaration]).encode("iso-8859-1")
    page = extract_page(html, URL)

    assert page.article.title == "Marketing caf\u00e9 notes"
    assert "Na\u00efve r\u00e9sum\u00e9s." in page.article.text


def test_the_declared_encoding_decodes_the_bytes() -> None:
    assert "Na\u00efve" in decode(XHTML.encode("iso-8859-1"))


def test_the_http_header_wins_over_the_pages_own_declaration() -> None:
    body = XHTML.replace("ISO-8859-1", "windows-1252").encode("utf-8")

    assert "Na\u00efve" in decode(body, "text/html; charset=utf-8")


def test_utf8_bytes_under_a_default_latin1_declaration_are_utf8() -> None:
    body = XHTML.replace("notes</h1>", "notes \u2019</h1>").encode("utf-8")

    assert "Na\u00efve r\u00e9sum\u00e9s." in decode(body)
    assert "notes \u2019" in decode(body, "text/html; charset=ISO-8859-1")


def test_latin1_bytes_that_are_not_utf8_keep_their_declaration() -> None:
    assert "Na\u00efve r\u00e9sum\u00e9s." in decode(XHTML.encode("iso-8859-1"),
                                                     "text/html; charset=ISO-8859-1")


def test_bytes_that_are_not_text_parse_to_an_empty_page() -> None:
    tree = parse(b"\x00\x01\x02\xff\xfe\x00")

    assert tree.tag == "html"


@pytest.mark.parametrize("selector", [
    ".entry-title", "h1.entry-title", "#masthead .site-title", "article.type-post time",
    ".wp-block-post-title", "#no-such-id", ".no-such-class a", "dl#comment_list dt",
    "a[rel=author]", "time.updated:not(.published)", "span, .cat-links a",
])
def test_a_selector_finds_what_lxml_finds(selector: str) -> None:
    """Selectors needing a name the page lacks are not run at all; the answer is the same."""
    tree = parse(classic_post())

    assert select(tree, selector) == CSSSelector(selector, translator="html")(tree)


def test_a_selector_is_run_on_a_subtree_of_the_page() -> None:
    tree = parse(classic_post())
    article = select(tree, "article")[0]

    assert [el.text for el in select(article, "h1")] == ["Harbour plan splits the council"]
