"""One URL, one id per article, whatever variant of its address a crawler meets."""

from __future__ import annotations

import pytest

from crawler.extraction.urls import (
    QueryRules,
    article_id,
    choose_canonical,
    clean_url,
    comment_page_link,
    comment_page_number,
    listing_shape,
    site_of,
)

ARTICLE = "https://www.example.com/2019/02/11/peace-deal/"


@pytest.mark.parametrize("variant", [
    "https://www.example.com/2019/02/11/peace-deal/?utm_source=tw&utm_medium=social",
    "https://www.example.com/2019/02/11/peace-deal/?fbclid=IwAR3x&gclid=abc",
    "https://www.example.com/2019/02/11/peace-deal/amp/",
    "https://www.example.com/2019/02/11/peace-deal/?print=1",
    "https://www.example.com/2019/02/11/peace-deal",
    "http://www.example.com/2019/02/11/peace-deal/",
    "https://example.com/2019/02/11/peace-deal/",
    "https://www.example.com/2019/02/11/peace-deal/#comments",
    "https://www.example.com/2019/02/11/peace-deal/comment-page-3/#comment-12",
    "https://www.example.com/2019/02/11/peace-deal/;jsessionid=0AF3B2",
    "https://WWW.EXAMPLE.COM/2019/02/11/peace-deal/?PHPSESSID=9f8e",
    "https://www.example.com/2019/02/11/peace-deal/?sid=3f2a9c0d7b1e4a6f8c5d2e9b0a7f6c3d",
    "https://www.example.com/2019/02/11/peace-deal/?output=amp",
    "https://www.example.com/2019/02/11/peace-deal/?share=facebook",
    "https://www.example.com/2019/02/11/peace-deal/?ref=hn",
    "https://www.example.com/2019/02/11/peace-deal/?replytocom=88#respond",
    "https://www.example.com/2019/02/11/peace-deal/?unapproved=5&moderation-hash=ab12",
])
def test_variants_share_the_article_id(variant: str) -> None:
    assert article_id(variant) == article_id(ARTICLE)


def test_meaningful_query_parameters_are_kept_in_order() -> None:
    assert clean_url("https://x.example/s?q=b&page=2&utm_campaign=z") == (
        "https://x.example/s?page=2&q=b")


@pytest.mark.parametrize(("first", "second"), [
    ("https://n.example/?p=123", "https://n.example/?p=124"),
    ("https://n.example/?page_id=7", "https://n.example/?page_id=8"),
    ("https://n.example/view.php?id=1", "https://n.example/view.php?id=2"),
    ("https://n.example/article.php?sid=20190211", "https://n.example/article.php?sid=20190212"),
    ("https://n.example/a.pl?sid=05/01/01/1234", "https://n.example/a.pl?sid=05/01/01/1235"),
    ("https://n.example/read?article=55", "https://n.example/read?article=56"),
    ("https://n.example/news?story=12345", "https://n.example/news?story=12346"),
    ("https://n.example/doc?ref=8812", "https://n.example/doc?ref=8813"),
    ("https://n.example/x?print=chapter-1", "https://n.example/x?print=chapter-2"),
    ("https://n.example/y?output=1", "https://n.example/y?output=2"),
    ("https://n.example/z?share=41", "https://n.example/z?share=42"),
])
def test_parameters_that_name_content_keep_articles_apart(first: str, second: str) -> None:
    assert article_id(first) != article_id(second)


def test_meaningful_ambiguous_parameters_survive_cleaning() -> None:
    assert clean_url("https://n.example/article.php?sid=20190211&utm_source=x") == (
        "https://n.example/article.php?sid=20190211")


def test_query_allowlist_drops_facets() -> None:
    url = "https://x.example/list?sort=new&filter=red&page=2"
    assert clean_url(url, QueryRules(only=frozenset({"page"}))) == (
        "https://x.example/list?page=2")


def test_a_site_can_keep_a_parameter_the_built_in_rules_strip() -> None:
    token_like = "https://n.example/story?sid=a1b2c3d4e5f6a7b8c9d0"
    rules = QueryRules(keep=frozenset({"sid"}))
    assert clean_url(token_like) == "https://n.example/story"
    assert clean_url(token_like, rules) == token_like
    assert article_id(token_like, rules) != article_id("https://n.example/story", rules)


def test_a_site_can_drop_parameters_that_carry_no_content_there() -> None:
    rules = QueryRules(drop=frozenset({"sort", "from"}))
    url = "https://n.example/2019/peace/?sort=new&from=home&lang=en"
    assert clean_url(url, rules) == "https://n.example/2019/peace/?lang=en"


def test_same_site_canonical_link_wins() -> None:
    assert choose_canonical(ARTICLE + "?ref=home", ARTICLE) == ARTICLE


@pytest.mark.parametrize("canonical", [
    "https://www.example.com/",
    "https://www.example.com",
    "https://www.example.com/page/2/",
    "https://www.example.com/category/politics/",
    "https://www.example.com/tag/korea/",
    "https://www.example.com/author/jdoe/",
    "https://www.example.com/2019/02/",
    "https://www.example.com/2019/02/11/",
    "https://www.example.com/?s=peace",
    "https://www.example.com/?cat=3",
])
def test_a_canonical_pointing_at_the_home_page_or_a_listing_is_ignored(canonical: str) -> None:
    assert choose_canonical(ARTICLE, canonical) == ARTICLE
    other = "https://www.example.com/2019/02/12/trade-talks/"
    assert article_id(choose_canonical(other, canonical)) != article_id(
        choose_canonical(ARTICLE, canonical))


def test_a_listing_may_name_another_listing_as_its_canonical() -> None:
    assert choose_canonical("https://www.example.com/category/politics/?orderby=date",
                            "https://www.example.com/category/politics/") == (
        "https://www.example.com/category/politics/")


@pytest.mark.parametrize(("url", "shape"), [
    ("https://e.example/", "home"),
    ("https://e.example/?p=12", None),
    ("https://e.example/page/3/", "paged"),
    ("https://e.example/?paged=3", "paged"),
    ("https://e.example/category/world/page/2/", "paged"),
    ("https://e.example/category/world/", "category"),
    ("https://e.example/2019/", "date_archive"),
    ("https://e.example/2019/02/11/slug/", None),
    ("https://e.example/2019/02/11/tag/", None),
    ("https://e.example/archives/123", None),
    ("https://e.example/feed/", "feed"),
])
def test_listing_shapes(url: str, shape: str | None) -> None:
    assert listing_shape(url) == shape


def test_canonical_on_another_site_is_ignored() -> None:
    syndicated = "https://partner.example/news/peace-deal/"
    assert choose_canonical(syndicated, "https://www.example.com/2019/02/11/peace-deal/") == (
        syndicated)


def test_comment_page_numbers() -> None:
    assert comment_page_number(ARTICLE) == 1
    assert comment_page_number(ARTICLE + "comment-page-4/") == 4
    assert comment_page_number("https://e.example/?p=12&cpage=3") == 3


def test_plain_permalink_comment_pages_are_their_article() -> None:
    page = "https://e.example/?p=12&cpage=3#comments"
    assert article_id(page) == article_id("https://e.example/?p=12")
    assert comment_page_link(page + "&utm_source=x") == "https://e.example/?p=12&cpage=3"


def test_site_is_host_without_www_and_with_a_non_default_port() -> None:
    assert site_of(ARTICLE) == "example.com"
    assert site_of("http://127.0.0.1:8765/x/") == "127.0.0.1:8765"
    assert site_of("https://example.com:443/x/") == "example.com"
