"""`crawler.discovery`: sitemaps (safely), feeds, API adverts and the links worth following."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qsl, urlsplit

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler import discovery
from crawler.discovery import (
    api_root,
    api_route,
    api_url,
    feed_links,
    feed_urls,
    followable_links,
    rest_comments_page,
    sitemap_entries,
)
from crawler.siteconfig import SiteConfig

BASE = "http://news.test"
SITE = SiteConfig(name="news", start_urls=[f"{BASE}/"])


def xml(body: str, url: str = f"{BASE}/sitemap.xml") -> XmlResponse:
    return XmlResponse(url, body=body.encode(), encoding="utf-8")


def page(body: str, url: str = f"{BASE}/", headers: dict[str, str] | None = None) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", headers=headers)


def test_a_urlset_gives_its_locations_with_lastmod_in_utc() -> None:
    kind, entries = sitemap_entries(xml(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{BASE}/a/</loc><lastmod>2019-02-11T10:01:00-05:00</lastmod></url>"
        f"<url><loc> {BASE}/b/ </loc></url><url><loc></loc></url></urlset>"))
    assert kind == "urlset"
    assert [(u, m.isoformat() if m else None) for u, m in entries] == [
        (f"{BASE}/a/", "2019-02-11T15:01:00+00:00"), (f"{BASE}/b/", None)]


def test_a_sitemap_index_is_told_apart() -> None:
    kind, entries = sitemap_entries(xml(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{BASE}/posts-1.xml</loc></sitemap></sitemapindex>"))
    assert kind == "sitemapindex" and entries[0][0] == f"{BASE}/posts-1.xml"


def test_a_gzipped_sitemap_is_read() -> None:
    body = gzip.compress(f'<urlset><url><loc>{BASE}/a/</loc></url></urlset>'.encode())
    response = TextResponse(f"{BASE}/sitemap.xml.gz", body=body)
    assert sitemap_entries(response)[1][0][0] == f"{BASE}/a/"


def test_external_entities_are_never_resolved() -> None:
    _, entries = sitemap_entries(xml(
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<urlset><url><loc>{BASE}/&x;</loc></url></urlset>"))
    assert all("root:" not in url for url, _ in entries)


def test_a_billion_laughs_does_not_blow_up() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    body = (f'<?xml version="1.0"?><!DOCTYPE u [{entities}]>'
            "<urlset><url><loc>&a9;</loc></url></urlset>")
    _, entries = sitemap_entries(xml(body))
    assert sum(len(url) for url, _ in entries) < 10_000


def test_a_sitemap_is_read_up_to_its_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "MAX_SITEMAP_URLS", 3)
    stats = get_crawler(Spider).stats
    urls = "".join(f"<url><loc>{BASE}/{n}/</loc></url>" for n in range(10))
    _, entries = sitemap_entries(xml(f"<urlset>{urls}</urlset>"), stats)
    assert len(entries) == 3 and stats.get_value("sitemap/truncated") == 1


def test_rss_and_atom_feeds_give_article_links() -> None:
    rss = f"<rss><channel><item><link>{BASE}/a/</link></item></channel></rss>"
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            f'<link rel="alternate" href="{BASE}/b/"/><link rel="replies" href="{BASE}/c/"/>'
            "</entry></feed>")
    assert feed_urls(xml(rss, f"{BASE}/feed/")) == [f"{BASE}/a/"]
    assert feed_urls(xml(atom, f"{BASE}/atom/")) == [f"{BASE}/b/"]


def test_comment_feeds_are_not_article_feeds() -> None:
    response = page(
        '<link rel="alternate" type="application/rss+xml" href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" href="/comments/feed/">')
    assert feed_links(response) == [f"{BASE}/feed/"]


def test_the_rest_api_is_found_in_a_link_tag_or_header() -> None:
    assert api_root(page('<link rel="https://api.w.org/" href="/wp-json/">')) == \
        f"{BASE}/wp-json/"
    header = {"Link": f'<{BASE}/?rest_route=/>; rel="https://api.w.org/"'}
    assert api_root(page("<p>hi</p>", headers=header)) == f"{BASE}/?rest_route=/"
    assert api_root(page("<p>no api</p>")) is None


def test_only_links_to_more_pages_of_the_site_are_followed() -> None:
    links = [
        "/2019/02/11/story/", "/2019/02/11/story/#comments", "https://elsewhere.test/x",
        "mailto:ed@news.test", "javascript:void(0)", "file:///etc/passwd",
        "ftp://news.test/f", "/wp-content/uploads/a.jpg", "/wp-admin/", "/feed/",
        "/2019/02/11/story/comment-page-2/", "/2019/02/11/story/?replytocom=5",
        "http://sub.news.test/section/",
    ]
    response = page("".join(f'<a href="{href}">x</a>' for href in links))
    assert list(followable_links(response, SITE)) == [
        f"{BASE}/2019/02/11/story/", "http://sub.news.test/section/"]


def test_rest_routes_go_into_the_query_of_a_plain_permalink_api_root() -> None:
    url = api_url("http://news.example/index.php?rest_route=/", "wp/v2/posts", page=2)
    assert api_route(url) == "/wp/v2/posts"
    assert dict(parse_qsl(urlsplit(url).query)) == {"rest_route": "/wp/v2/posts", "page": "2"}


def test_rest_routes_go_under_a_pretty_permalink_api_root() -> None:
    url = api_url("http://news.example/wp-json/", "wp/v2/comments", post=7, order="asc")
    assert url == "http://news.example/wp-json/wp/v2/comments?post=7&order=asc"
    assert api_route(url) == "/wp/v2/comments"


def test_a_page_url_is_no_rest_route() -> None:
    assert api_route("http://news.example/2019/02/11/a-post/") is None


@pytest.mark.parametrize("root", ["https://w.example/wp-json/",
                                  "https://w.example/index.php?rest_route=/"])
def test_a_rest_comments_page_names_its_root_post_and_page(root: str) -> None:
    url = api_url(root, "wp/v2/comments", post=12, per_page=100, page=2)
    found_root, post, page = rest_comments_page(url) or ("", "", 0)
    assert (post, page) == ("12", 2)
    assert api_url(found_root, "wp/v2/comments", post=12, per_page=100, page=2) == url


def test_a_page_that_is_not_a_rest_comments_page_is_recognised_as_such() -> None:
    assert rest_comments_page("https://w.example/2019/02/11/slug/comment-page-2/") is None
    assert rest_comments_page("https://w.example/?rest_route=/wp/v2/posts&page=2") is None
