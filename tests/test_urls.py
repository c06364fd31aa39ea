"""One URL, one id per article, whatever variant of its address a crawler meets."""

from __future__ import annotations

import pytest

from crawler.extraction.urls import (
    article_id,
    choose_canonical,
    clean_url,
    comment_page_number,
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
])
def test_variants_share_the_article_id(variant: str) -> None:
    assert article_id(variant) == article_id(ARTICLE)


def test_meaningful_query_parameters_are_kept_in_order() -> None:
    assert clean_url("https://x.example/s?q=b&page=2&utm_campaign=z") == (
        "https://x.example/s?page=2&q=b")


def test_query_allowlist_drops_facets() -> None:
    url = "https://x.example/list?sort=new&filter=red&page=2"
    assert clean_url(url, frozenset({"page"})) == "https://x.example/list?page=2"


def test_same_site_canonical_link_wins() -> None:
    assert choose_canonical(ARTICLE + "?ref=home", ARTICLE) == ARTICLE


def test_canonical_on_another_site_is_ignored() -> None:
    syndicated = "https://partner.example/news/peace-deal/"
    assert choose_canonical(syndicated, "https://www.example.com/2019/02/11/peace-deal/") == (
        syndicated)


def test_comment_page_numbers() -> None:
    assert comment_page_number(ARTICLE) == 1
    assert comment_page_number(ARTICLE + "comment-page-4/") == 4


def test_site_is_host_without_www_and_with_a_non_default_port() -> None:
    assert site_of(ARTICLE) == "example.com"
    assert site_of("http://127.0.0.1:8765/x/") == "127.0.0.1:8765"
    assert site_of("https://example.com:443/x/") == "example.com"
