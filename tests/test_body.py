"""The article's main text (`crawler/extraction/body.py`): its layout's container outside
sidebars and comment sections, with the boilerplate inside it removed; else trafilatura."""

from __future__ import annotations

from crawler.extraction.body import main_text
from crawler.extraction.document import parse
from tests.wordpress_markup import PARAGRAPHS, paragraphs

STORY = paragraphs(PARAGRAPHS * 2)
TEASER = paragraphs(("A featured post from last week, shown in the sidebar of every page "
                     "with its first paragraphs and a link to read the rest of it.",) * 3)


def _page(main: str, sidebar: str = "") -> str:
    return (f"<html><body><div id='primary'><main>{main}</main></div>"
            f"<div id='secondary' class='widget-area'>{sidebar}</div></body></html>")


def test_the_containers_text_is_the_body() -> None:
    body = main_text(parse(_page(f"<article><div class='entry-content'>{STORY}</div></article>")))

    assert body.source == ".entry-content"
    assert body.text.split("\n\n")[:3] == list(PARAGRAPHS)


def test_a_container_in_the_sidebar_is_not_the_body() -> None:
    html = _page(f"<article><div class='entry-content'>{STORY}</div></article>",
                 f"<section class='widget'><div class='entry-content'>{TEASER * 2}</div></section>")
    body = main_text(parse(html))

    assert "featured post" not in body.text
    assert body.text.startswith("The council met on Tuesday")


def test_the_layouts_own_container_is_tried_first() -> None:
    html = _page(f"<div class='post-body'><p>Short teaser.</p></div>"
                 f"<div class='wp-block-post-content'>{STORY}</div>")
    body = main_text(parse(html), layout=(".wp-block-post-content",))

    assert body.source == ".wp-block-post-content"


def test_share_and_related_blocks_inside_the_container_are_not_text() -> None:
    html = _page(f"<div class='entry-content'>{STORY}<div class='sharedaddy'><h3>Share this:</h3>"
                 "<a href='#'>Facebook</a></div><div class='jp-relatedposts'><h3>Related</h3>"
                 "<p>Another story entirely</p></div></div>")
    body = main_text(parse(html))

    assert "Facebook" not in body.text and "Another story" not in body.text


def test_an_author_box_and_a_subscribe_line_inside_the_container_are_not_text() -> None:
    html = _page(f"<div class='entry-content'>{STORY}<div class='author_info'><h4>About the "
                 "author...</h4><p>Jeremy has written 2565 posts on this blog.</p></div>"
                 "<p>If you enjoyed this post, please consider leaving a comment.</p></div>")
    body = main_text(parse(html))

    assert body.text.split("\n\n")[-1] == PARAGRAPHS[-1]


def test_paragraphs_marked_one_by_one_are_read_together() -> None:
    marked = "".join(f"<p itemprop='articleBody'>{p}</p>" for p in PARAGRAPHS * 2)
    body = main_text(parse(_page(f"<div class='story'>{marked}</div>")))

    assert body.source == "[itemprop=articleBody]"
    assert body.text.count("The council met on Tuesday") == 2


def test_a_page_without_a_known_container_is_read_by_trafilatura() -> None:
    body = main_text(parse(_page(f"<div id='story-text'>{STORY}</div>")))

    assert body.source == "trafilatura"
    assert "The council met on Tuesday" in body.text


def test_a_short_fast_reading_gets_trafilaturas_full_one() -> None:
    """A post in an `<aside>` (which trafilatura's fast pass skips) beside a list of related
    stories: the fast reading is the list, the full one the post."""
    related = "".join(f"<h3><a href='/story-{n}'>Related story number {n} about the family</a>"
                      f"</h3><p>{n} June 2012</p>" for n in range(6))
    page = (f"<html><body><section><aside class='blogPost'><h1>The harbour plan</h1>"
            f"<div class='blogContent'>{paragraphs(PARAGRAPHS)}</div></aside>"
            f"<div class='more'>{related}</div></section></body></html>")
    body = main_text(parse(page))

    assert body.source == "trafilatura"
    assert "The council met on Tuesday" in body.text and "Related story" not in body.text


def test_the_site_files_body_selector_is_taken_as_it_is() -> None:
    html = _page(f"<div class='entry-content'>{STORY}</div><div class='lede'><p>Lede.</p></div>")
    body = main_text(parse(html), (".lede",))

    assert (body.source, body.text) == ("override", "Lede.")


LEAD = paragraphs(PARAGRAPHS[:1])
REST = paragraphs(PARAGRAPHS[1:])
AD = "<div class='ad'><p>Advertisement</p></div>"


def test_a_body_split_by_ads_into_blocks_of_one_kind_is_read_whole() -> None:
    html = _page(f"<article><div id='article_body'>"
                 f"<div class='article_body entry-content'>{LEAD}</div>{AD}"
                 f"<div class='article_body'>{REST}</div></div></article>")
    body = main_text(parse(html))

    assert body.text.split("\n\n") == list(PARAGRAPHS)


def test_a_sibling_with_class_names_of_its_own_does_not_continue_the_body() -> None:
    html = _page(f"<article><div id='article_body'>"
                 f"<div class='article_body entry-content'>{STORY}</div>"
                 f"<div class='article_body related'>{TEASER}</div></div></article>")
    body = main_text(parse(html))

    assert "featured post" not in body.text
