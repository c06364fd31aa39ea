"""The scorer (tests/wordpress/score.py) measures what it says: perfect output scores
perfect, and each kind of mistake costs exactly what it should."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.wordpress.score import (
    Case,
    CrawlOutput,
    html_text,
    same_comment_rows,
    score,
    token_f1,
    url_key,
)

CASE = Case("news", "twentytwentyone", "off")
BASE = "http://127.0.0.21:18080"


def _gold() -> dict[str, Any]:
    def post(pid: int, kind: str, path: str, title: str) -> dict[str, Any]:
        return {"id": pid, "kind": kind, "url": BASE + path, "title": title,
                "authors": ["Ann Writer"], "published_gmt": "2019-02-11 05:01:00",
                "modified_gmt": "2019-02-11 05:01:00", "categories": ["Politics", "Local"],
                "tags": ["Budget", "Transit"],
                "content_html": f"<p>{title} first para.</p>\n<p>x&lt;y and AT&amp;T.</p>"}

    comments = [
        {"id": 1, "post": 10, "parent": None, "status": "1", "author": "SteveM",
         "published_gmt": "2019-02-11 18:26:00", "text_html": "<p>Good piece.</p>"},
        {"id": 2, "post": 10, "parent": 1, "status": "1", "author": "Tony",
         "published_gmt": "2019-02-11 19:00:05", "text_html": "<p>Agreed, mostly.</p>"},
        {"id": 3, "post": 10, "parent": None, "status": "spam", "author": "Bot",
         "published_gmt": "2019-02-11 19:30:00", "text_html": "<p>Cheap pills.</p>"},
    ]
    return {"posts": [post(10, "article", "/2019/02/11/a/", "Alpha"),
                      post(11, "article", "/?p=11", "Beta"),
                      post(12, "page", "/about/", "About")],
            "comments": comments}


def _perfect(gold: dict[str, Any]) -> CrawlOutput:
    """What a flawless crawl of `gold` would store."""
    articles = [{"url": p["url"], "title": p["title"], "authors": p["authors"],
                 "published_at": datetime(2019, 2, 11, 5, 1, tzinfo=UTC), "modified_at": None,
                 "section": "Local", "tags": ["Transit", "Budget"],
                 "text": html_text(p["content_html"])}
                for p in gold["posts"] if p["kind"] == "article"]
    comments = [{"comment_id": f"c{c['id']}", "source_id": str(c["id"]),
                 "parent_id": f"c{c['parent']}" if c["parent"] else None,
                 "article_id": "a10", "article_url": BASE + "/2019/02/11/a/",
                 "author": c["author"], "text": html_text(c["text_html"]),
                 "published_at": datetime.strptime(c["published_gmt"], "%Y-%m-%d %H:%M:%S")
                 .replace(tzinfo=UTC)}
                for c in gold["comments"] if c["status"] == "1"]
    return CrawlOutput(CASE, articles, comments, 1.0)


def test_a_perfect_crawl_scores_perfect() -> None:
    result = score(_perfect(_gold()), _gold())
    assert result.every_post_once
    assert (result.article_precision, result.article_recall) == (1.0, 1.0)
    assert (result.title_exact, result.authors_exact, result.published_exact) == (1, 1, 1)
    assert result.body_f1 == 1.0
    assert (result.modified_exact, result.section_exact, result.tags_exact) == (1, 1, 1)
    assert (result.comment_recall, result.parent_exact, result.comment_time_exact,
            result.comment_author_exact, result.comment_text_f1) == (1, 1, 1, 1, 1)
    assert result.comments_forbidden == 0


def test_a_page_and_a_listing_stored_as_articles_cost_precision_by_kind() -> None:
    output = _perfect(_gold())
    extra = copy.deepcopy(output.articles[0])
    output.articles += [{**extra, "url": BASE + "/about/"}, {**extra, "url": BASE + "/2019/02/"}]
    result = score(output, _gold())
    assert result.extra_rows == {"page": 1, "other": 1}
    assert result.article_precision == 0.5 and result.article_recall == 1.0
    assert not result.every_post_once


def test_an_article_stored_twice_is_not_every_post_once() -> None:
    output = _perfect(_gold())
    output.articles.append(dict(output.articles[1]))
    result = score(output, _gold())
    assert result.article_duplicates == 1 and not result.every_post_once


def test_wrong_fields_count_against_the_gold_and_missing_articles_too() -> None:
    output = _perfect(_gold())
    output.articles[0].update(authors=["View all of Ann Writer's posts."],
                              published_at=datetime(2019, 2, 11, 0, 1, tzinfo=UTC))
    del output.articles[1]
    result = score(output, _gold())
    assert result.article_recall == 0.5
    assert (result.title_exact, result.authors_exact, result.published_exact) == (0.5, 0, 0)
    assert result.body_f1 == 0.5


def test_the_least_body_f1_is_the_article_with_the_least_of_its_text() -> None:
    output = _perfect(_gold())
    words = output.articles[0]["text"].split()
    output.articles[0]["text"] = " ".join(words[:len(words) // 2])
    result = score(output, _gold())
    assert result.body_f1_least < 0.9
    assert result.body_f1 == pytest.approx((1 + result.body_f1_least) / 2)
    assert "partial_text" in result.examples


def test_comment_parent_time_author_and_forbidden_rows_are_each_counted() -> None:
    gold = _gold()
    output = _perfect(gold)
    output.comments[1].update(parent_id=None, author="tony",
                              published_at=datetime(2019, 2, 11, 19, 0, tzinfo=UTC))
    output.comments.append({**output.comments[0], "comment_id": "c3", "source_id": "3"})
    result = score(output, gold)
    assert result.comment_recall == 1.0
    assert (result.parent_exact, result.comment_time_exact, result.comment_author_exact) == (
        0.5, 0.5, 0.5)
    assert result.comments_forbidden == 1


def test_comments_without_a_site_id_are_matched_by_article_author_and_time() -> None:
    output = _perfect(_gold())
    for row in output.comments:
        row["source_id"] = None
    assert score(output, _gold()).comment_recall == 1.0


def test_rest_on_and_off_rows_must_match_field_by_field() -> None:
    on, off = _perfect(_gold()), _perfect(_gold())
    assert same_comment_rows(on, off)
    off.comments[0] = {**off.comments[0], "published_at": datetime(2019, 2, 11, tzinfo=UTC)}
    assert not same_comment_rows(on, off)
    assert not same_comment_rows(CrawlOutput(CASE, [], [], 1.0), CrawlOutput(CASE, [], [], 1.0))


@pytest.mark.parametrize(("gold", "predicted", "expected"), [
    ("a b c d", "a b c d", 1.0), ("a b c d", "", 0.0), ("", "", 1.0),
    ("a b c d", "a b", 2 / 3), ("x<y and y>z", "x y and y z", 1.0)])
def test_body_token_f1_is_over_bags_of_word_tokens(gold: str, predicted: str,
                                                   expected: float) -> None:
    assert token_f1(gold, predicted) == pytest.approx(expected)


def test_html_text_is_what_a_reader_sees() -> None:
    assert html_text("<p>x&lt;y and AT&amp;T</p><p>&amp;amp; too</p>") == \
        "x<y and AT&T\n&amp; too"


def test_urls_compare_by_host_path_and_sorted_query() -> None:
    assert url_key(f"{BASE}/?p=12&a=1#c") == url_key(f"{BASE}/?a=1&p=12")
    assert url_key(f"{BASE}/?p=12") != url_key(f"{BASE}/?p=13")
    assert url_key(f"{BASE}/a/") != url_key("http://127.0.0.22:18080/a/")


def test_modified_section_and_tags_are_reported_field_by_field() -> None:
    gold = _gold()
    gold["posts"][0]["modified_gmt"] = "2019-03-01 10:00:00"
    output = _perfect(gold)
    output.articles[1].update(section="Sports", tags=["Budget"])
    result = score(output, gold)
    assert (result.modified_exact, result.section_exact, result.tags_exact) == (0.5, 0.5, 0.5)
    output.articles[0]["modified_at"] = datetime(2019, 3, 1, 10, tzinfo=UTC)
    assert score(output, gold).modified_exact == 1.0
