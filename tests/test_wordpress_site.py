"""The real WordPress test sites are what they claim to be (tests/wordpress/site.py).

The crawl scores (test_wordpress_crawl.py) mean something only if the sites really hold
the content, settings and switches that those tests name: checked here, on the sites
themselves and on their exported truth.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.wordpress.content import THEMES, sites
from tests.wordpress.score import html_text
from tests.wordpress.site import WordPress

pytestmark = [pytest.mark.wordpress]
CLASSIC = "twentytwentyone"
SEED_URL = "/2019/02/11/trump-has-a-chance-for-a-history-making-deal-with-north-korea/"


def test_the_news_site_holds_the_seed_article_40_others_and_about_470_comments(
        wordpress: WordPress) -> None:
    gold = wordpress["news", CLASSIC].gold()
    kinds = Counter(p["kind"] for p in gold["posts"])
    assert kinds == {"article": 41, "page": 2, "attachment": 1, "protected": 1, "draft": 1,
                     "pending": 1, "private": 1, "future": 1}
    articles = {p["id"] for p in gold["posts"] if p["kind"] == "article"}
    approved = [c for c in gold["comments"] if c["status"] == "1" and c["post"] in articles]
    assert len(approved) == 470
    assert Counter(c["status"] for c in gold["comments"]) == {"1": 473, "0": 2, "spam": 2}
    seed = next(p for p in gold["posts"] if p["url"].endswith(SEED_URL))
    assert (seed["title"], seed["authors"], seed["published_gmt"]) == (
        "Trump Has a Chance for a History-Making Deal With North Korea",
        ["Harry J. Kazianis"], "2019-02-11 05:01:00")


def test_threads_are_several_levels_deep_and_an_updated_post_was_modified_later(
        wordpress: WordPress) -> None:
    gold = wordpress["news", CLASSIC].gold()
    parent = {c["id"]: c["parent"] for c in gold["comments"]}

    def depth(comment_id: int) -> int:
        return 1 + (depth(parent[comment_id]) if parent[comment_id] else 0)

    assert max(depth(c) for c in parent) == 5
    assert any(p["modified_gmt"] > p["published_gmt"] for p in gold["posts"]
               if p["kind"] == "article")


def test_each_site_has_its_own_permalinks_timezone_and_language(wordpress: WordPress) -> None:
    news, plain, german = (wordpress[k, CLASSIC].gold() for k in ("news", "plain", "german"))
    assert news["options"]["timezone_string"] == "America/New_York"
    assert (plain["options"]["timezone_string"], plain["options"]["gmt_offset"]) == ("", "5.5")
    assert (german["options"]["timezone_string"], german["language"]) == ("Europe/Berlin",
                                                                         "de_DE")
    assert all(re.search(r"/\?p=\d+$", p["url"]) for p in plain["posts"]
               if p["kind"] == "article")
    assert all(re.search(r"/\d{4}/\d\d/\d\d/[\w-]+/$", p["url"]) for p in news["posts"]
               if p["kind"] == "article")


def test_the_german_site_prints_german_dates(wordpress: WordPress) -> None:
    site = wordpress["german", CLASSIC]
    with site.mode("twentytwentyone", "on"):
        _, _, page = site.fetch("/")
    assert re.search(r"<time [^>]*>\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|"
                     r"September|Oktober|November|Dezember) \d{4}</time>", page)
    assert 'lang="de-DE"' in page


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_has_its_own_copy_of_each_site(wordpress: WordPress, theme: str) -> None:
    site = wordpress["news", theme]
    with site.mode(theme, "on"):
        status, _, page = site.fetch(SEED_URL)
    assert status == 200 and site.host == f"127.0.{THEMES.index(theme)}.21"
    assert f"/wp-content/themes/{theme}/" in page
    assert ("wp-block-post-title" in page) == (theme != CLASSIC)


def test_a_site_switches_its_theme_for_a_crawl(wordpress: WordPress) -> None:
    site = wordpress["news", CLASSIC]
    with site.mode("twentytwentythree", "on"):
        _, _, page = site.fetch(SEED_URL)
    assert "/wp-content/themes/twentytwentythree/" in page and "wp-block-post-title" in page


def test_rest_api_off_removes_its_routes_and_every_link_to_it(wordpress: WordPress) -> None:
    site = wordpress["news", CLASSIC]
    with site.mode(CLASSIC, "off"):
        index_status, _, _ = site.fetch("/wp-json/")
        posts_status, _, _ = site.fetch("/?rest_route=/wp/v2/posts")
        _, headers, page = site.fetch(SEED_URL)
    assert (index_status, posts_status) == (404, 404)
    assert "wp-json" not in page and "api.w.org" not in page
    assert "wp-json" not in headers.get("Link", "")


def test_rest_api_on_serves_posts_and_comments(wordpress: WordPress) -> None:
    site = wordpress["news", CLASSIC]
    with site.mode("twentytwentyone", "on"):
        status, headers, _ = site.fetch(SEED_URL)
        comments_status, _, comments = site.fetch("/wp-json/wp/v2/comments?per_page=5")
    assert status == 200 and "wp-json" in headers.get("Link", "")
    assert comments_status == 200 and '"author_name"' in comments


def test_comments_pending_or_spam_and_protected_posts_are_not_shown(
        wordpress: WordPress) -> None:
    site = wordpress["news", CLASSIC]
    gold = site.gold()
    hidden = [c for c in gold["comments"] if c["status"] != "1"]
    protected = next(p for p in gold["posts"] if p["kind"] == "protected")
    with site.mode("twentytwentyone", "on"):
        pages = [site.fetch(_path(next(p["url"] for p in gold["posts"]
                                       if p["id"] == c["post"])))[2] for c in hidden]
        _, _, protected_page = site.fetch(_path(protected["url"]))
    for comment, page in zip(hidden, pages, strict=True):
        assert f'id="comment-{comment["id"]}"' not in page
    assert "password" in protected_page.lower()
    assert html_text(protected["content_html"])[:60] not in protected_page


def test_text_with_markup_characters_reaches_readers_literally(wordpress: WordPress) -> None:
    gold = wordpress["news", CLASSIC].gold()
    texts = [html_text(p["content_html"]) for p in gold["posts"] if p["kind"] == "article"]
    comments = [html_text(c["text_html"]) for c in gold["comments"] if c["status"] == "1"]
    assert any("x<y and y>z" in t and "&section=2&id=7" in t and "&amp;" in t for t in texts)
    assert any("AT&T" in t for t in comments)
    assert "Q&A: Why x<y Matters for R&D Budgets" in {p["title"] for p in gold["posts"]}


def test_the_sites_hold_exactly_the_generated_content(wordpress: WordPress) -> None:
    for (key, _), site in wordpress.sites.items():
        gold = site.gold()
        assert len(gold["posts"]) == len(sites()[key].posts)
        assert len(gold["comments"]) == len(sites()[key].comments)


def test_a_second_start_reuses_what_is_running_and_filled(wordpress: WordPress) -> None:
    pids = {k: s.pid_file.read_text() for k, s in wordpress.sites.items()}
    WordPress().up()
    assert {k: s.pid_file.read_text() for k, s in wordpress.sites.items()} == pids
    assert not any(s.fill() for s in wordpress.sites.values())


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
