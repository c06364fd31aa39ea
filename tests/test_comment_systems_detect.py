"""`crawler.extraction.comment_systems`: which comment system a page loads by script, with the
parameters its API needs, on pages built from each system's own embed code."""

from __future__ import annotations

import re

import pytest

from crawler.extraction import extract_page
from crawler.extraction.comment_systems import SIGNATURES, detect
from crawler.extraction.document import parse
from tests import embed_pages as pages
from tests.embed_pages import ARTICLE_URL, article_page

CASES = {
    "isso": (pages.ISSO.format(host="//comments.news.example/"), "isso",
             {"host": "https://comments.news.example/", "title": "Harbour plans approved"}),
    "isso-thread-id": (pages.ISSO_WITH_THREAD_ID, "isso",
                       {"host": "https://comments.news.example/", "thread": "/harbour-plans"}),
    "disqus-universal": (pages.DISQUS_UNIVERSAL, "disqus",
                         {"shortname": "newsexample", "identifier": "harbour-plans-1234",
                          "url": ARTICLE_URL}),
    "disqus-wordpress-2012": (pages.DISQUS_WORDPRESS_2012, "disqus",
                              {"shortname": "newsexample",
                               "identifier": "1234 https://news.example/?p=1234",
                               "url": ARTICLE_URL}),
    "disqus-own-script": (pages.DISQUS_FROM_OWN_SCRIPT, "disqus",
                          {"identifier": "1234 https://news.example/?p=1234",
                           "url": ARTICLE_URL}),
    "coral": (pages.CORAL, "coral", {"root_url": "https://coral.news.example",
                                     "story_url": ARTICLE_URL}),
    "coral-talk-v4": (pages.CORAL_TALK_V4, "coral", {"root_url": "https://talk.news.example/"}),
    "commento": (pages.COMMENTO, "commento", {"origin": "https://cdn.commento.io",
                                              "page_id": "/2024/05/06/harbour-plans/"}),
    "remark42": (pages.REMARK42, "remark42", {"host": "https://remark42.news.example",
                                              "site_id": "news", "url": ARTICLE_URL}),
    "hyvor-v2": (pages.HYVOR_V2, "hyvor", {"website_id": "4821", "page_id": "harbour-plans"}),
    "hyvor-v3": (pages.HYVOR_V3, "hyvor", {"website_id": "4821", "page_id": "harbour-plans"}),
    "facebook-html5": (pages.FACEBOOK_HTML5, "facebook", {"href": ARTICLE_URL}),
    "facebook-xfbml-2012": (pages.FACEBOOK_XFBML_2012, "facebook", {"href": ARTICLE_URL}),
    "discourse": (pages.DISCOURSE, "discourse", {"discourse_url": "https://forum.news.example/",
                                                 "embed_url": ARTICLE_URL}),
    "giscus": (pages.GISCUS, "giscus", {"repo": "news/comments", "mapping": "pathname"}),
    "utterances": (pages.UTTERANCES, "utterances", {"repo": "news/comments",
                                                    "issue_term": "pathname"}),
    "vuukle": (pages.VUUKLE, "vuukle", {"api_key": "e831e786-825c-4472-b4eb-f74e501ee03c",
                                        "article_id": "harbour-plans-1234"}),
    "openweb": (pages.OPENWEB, "openweb", {"spot_id": "sp_AbC123xy",
                                           "post_id": "harbour-plans-1234",
                                           "post_url": ARTICLE_URL}),
    "viafoura": (pages.VIAFOURA, "viafoura", {}),
    "livefyre-2012": (pages.LIVEFYRE_2012, "livefyre", {"site_id": "303613",
                                                        "article_id": "harbour-plans-1234"}),
    "livefyre-v3": (pages.LIVEFYRE_V3, "livefyre", {"site_id": "303613",
                                                    "article_id": "harbour-plans-1234"}),
    "intensedebate": (pages.INTENSEDEBATE, "intensedebate",
                      {"account": "6797f46fb42df386a56a8a50f7d1220c", "post_id": "1234"}),
    "intensedebate-wordpress": (pages.INTENSEDEBATE_WORDPRESS, "intensedebate",
                                {"account": "6797f46fb42df386a56a8a50f7d1220c"}),
    "jskit": (pages.JSKIT, "jskit", {"thread": "/2024/05/06/harbour-plans/"}),
}
COUNTS_AND_OTHER_WIDGETS = {
    "disqus-count-js": pages.DISQUS_COUNT_ONLY,
    "facebook-like-button": pages.FACEBOOK_LIKE_ONLY,
    "livefyre-comment-count": pages.LIVEFYRE_COUNT_ONLY,
}


@pytest.mark.parametrize(("snippet", "system", "params"), CASES.values(), ids=CASES.keys())
def test_the_embed_is_detected_with_the_parameters_its_api_needs(
        snippet: str, system: str, params: dict[str, str]) -> None:
    embeds = extract_page(article_page(snippet), ARTICLE_URL).embeds
    assert [e.system for e in embeds] == [system]
    assert embeds[0].params == params


@pytest.mark.parametrize("snippet", COUNTS_AND_OTHER_WIDGETS.values(),
                         ids=COUNTS_AND_OTHER_WIDGETS.keys())
def test_comment_counts_and_other_widgets_of_a_vendor_are_not_an_embed(snippet: str) -> None:
    assert extract_page(article_page(snippet), ARTICLE_URL).embeds == []


def test_a_page_without_any_comment_system_has_no_embed() -> None:
    page = extract_page(article_page("<p>Comments are closed.</p>"), ARTICLE_URL)
    assert page.embeds == []
    assert page.article.comment_system is None


def test_the_article_records_the_system_its_comments_live_in() -> None:
    page = extract_page(article_page(pages.DISQUS_UNIVERSAL), ARTICLE_URL)
    assert page.article.comment_system == "disqus"


def test_a_page_with_two_systems_is_read_from_the_one_with_an_api_first() -> None:
    page = extract_page(article_page(pages.FACEBOOK_HTML5 + pages.DISQUS_UNIVERSAL),
                        ARTICLE_URL)
    assert [e.system for e in page.embeds] == ["disqus", "facebook"]
    assert page.article.comment_system == "disqus"


def test_the_evidence_says_which_markers_were_found() -> None:
    embed = extract_page(article_page(pages.DISQUS_WORDPRESS_2012), ARTICLE_URL).embeds[0]
    assert embed.evidence == ("config", "container")


def test_protocol_relative_hosts_take_the_page_scheme() -> None:
    html = article_page(pages.ISSO.format(host="//comments.news.example/"))
    embed = detect(parse(html), "http://news.example/a/", html.decode())[0]
    assert embed.params["host"] == "http://comments.news.example/"


@pytest.mark.parametrize("signature", SIGNATURES, ids=[s.system for s in SIGNATURES])
def test_every_signature_has_markers_and_each_marker_holds_one_of_its_tokens(signature) -> None:
    markers = (*signature.scripts, *signature.config, *signature.containers)
    assert markers, f"{signature.system}: no marker"
    for marker in markers:
        plain = marker.replace("\\", "").lower()
        assert any(token in plain for token in signature.tokens), (signature.system, marker)


@pytest.mark.parametrize("signature", SIGNATURES, ids=[s.system for s in SIGNATURES])
def test_every_parameter_pattern_captures_one_value(signature) -> None:
    for param in signature.params:
        for pattern in filter(None, (param.script, param.config)):
            assert re.compile(pattern).groups == 1, (signature.system, param.name)
