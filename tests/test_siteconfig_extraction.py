"""What a site file says about its pages (`crawler/siteconfig.py`: `selectors.comments`,
`article_urls`) reaches extraction and wins there; a bad declaration is refused at load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.extraction import PageContext, extract_page
from crawler.siteconfig import SiteConfig, SiteConfigError, load_site
from tests.comment_pages import article_with
from tests.wordpress_markup import SITE, classic_post, thread

URL = "https://forum.example/threads/harbour-plan"
SITE_FILE = """\
start_urls: ['https://forum.example/']
selectors:
  comments:
    container: ['#talk']
    item: ['.post-reply']
    author: ['.handle']
    time: ['.when']
    text: ['.said']
article_urls:
  include: ['/threads/']
  exclude: ['/threads/rules$']
"""


def _site(tmp_path: Path, text: str = SITE_FILE) -> SiteConfig:
    path = tmp_path / "forum.yaml"
    path.write_text(text, encoding="utf-8")
    return load_site(path)


def _talk(replies: list[tuple[str, str, str]]) -> str:
    """A forum's own markup, which no built-in layout knows: the readers' replies are
    `.post-reply` blocks with a `.handle`, a `.when` and a `.said`."""
    items = "".join(
        f'<div class="post-reply" id="r{n}"><span class="handle">{who}</span>'
        f'<span class="when"><time datetime="{when}">{when[:10]}</time></span>'
        f'<div class="said"><p>{said}</p></div></div>'
        for n, (who, when, said) in enumerate(replies, start=1))
    return f'<section id="talk">{items}</section>'


REPLIES = [("ann_l", "2012-07-02T10:16:00Z", "The ferry is the lifeline."),
           ("tomr", "2012-07-02T11:40:00Z", "Housing first.")]


def test_the_site_files_comment_markup_reads_the_sites_comments(tmp_path: Path) -> None:
    context = PageContext(overrides=_site(tmp_path).overrides())
    page = extract_page(article_with(_talk(REPLIES)), URL, context)

    assert [(c.author, c.published.iso, c.text) for c in page.comments] == REPLIES
    assert {c.layout for c in page.comments} == {"site-file"}


def test_the_site_files_comment_markup_wins_over_a_built_in_layout(tmp_path: Path) -> None:
    """A page that also carries a WordPress list (of other posts' comments, say): the
    site's own declaration is what the user asked for."""
    context = PageContext(overrides=_site(tmp_path).overrides())
    wordpress = classic_post(comments=thread()).replace("</main>", _talk(REPLIES) + "</main>")
    page = extract_page(wordpress, URL, context)

    assert [c.author for c in page.comments] == ["ann_l", "tomr"]


def test_built_in_layouts_read_a_page_where_the_declared_container_is_absent(
        tmp_path: Path) -> None:
    context = PageContext(overrides=_site(tmp_path).overrides())
    page = extract_page(classic_post(comments=thread()), f"{SITE}/2021/03/03/harbour-plan/",
                        context)

    assert [c.source_id for c in page.comments] == ["11", "12", "14", "13"]
    assert {c.layout for c in page.comments} == {"wordpress-classic"}


def test_the_declared_comment_section_is_not_part_of_the_article_text(tmp_path: Path) -> None:
    context = PageContext(overrides=_site(tmp_path).overrides())
    page = extract_page(article_with(_talk(REPLIES)), URL, context)

    assert "lifeline" not in page.article.text


def test_replies_nested_in_the_declared_markup_are_threads(tmp_path: Path) -> None:
    context = PageContext(overrides=_site(tmp_path).overrides())
    nested = _talk(REPLIES[:1]).replace(
        "</div></div></section>", "</div>" + _talk(REPLIES[1:]).removeprefix(
            '<section id="talk">').removesuffix("</section>") + "</div></section>")
    page = extract_page(article_with(nested), URL, context)

    assert page.comments[1].parent_id == page.comments[0].comment_id


def test_the_site_files_article_urls_decide_what_is_an_article(tmp_path: Path) -> None:
    context = PageContext(overrides=_site(tmp_path).overrides())
    thread_page = extract_page(article_with(""), URL, context)
    rules_page = extract_page(article_with(""), "https://forum.example/threads/rules", context)

    assert (thread_page.kind.reason, thread_page.kind.signal) == ("article", "site_file")
    assert (rules_page.kind.reason, rules_page.kind.signal) == ("excluded_by_site_file",
                                                                "site_file")


@pytest.mark.parametrize(("text", "field"), [
    (SITE_FILE.replace("['#talk']", "['#talk[']"), "selectors.comments.container"),
    (SITE_FILE.replace("['.handle']", "['..handle']"), "selectors.comments.author"),
    (SITE_FILE.replace("    item: ['.post-reply']\n", ""), "selectors.comments.item"),
    (SITE_FILE.replace("    container: ['#talk']\n", "    container: []\n"),
     "selectors.comments.container"),
    (SITE_FILE.replace("    text: ['.said']\n", "    text: ['.said']\n    likes: ['.up']\n"),
     "selectors.comments.likes"),
    (SITE_FILE.replace("['/threads/']", "['/threads/(']"), "article_urls.include"),
])
def test_a_bad_comment_or_url_declaration_is_refused_with_the_field_named(
        tmp_path: Path, text: str, field: str) -> None:
    with pytest.raises(SiteConfigError, match=re.escape(f"forum.yaml: {field}:")):
        _site(tmp_path, text)


def test_a_bad_article_selector_is_refused_with_the_field_named(tmp_path: Path) -> None:
    with pytest.raises(SiteConfigError, match=re.escape("forum.yaml: selectors.title:")):
        _site(tmp_path, "start_urls: ['https://forum.example/']\n"
                        "selectors:\n  title: ['h1.headline[']\n")
