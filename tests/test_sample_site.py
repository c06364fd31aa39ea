"""The fixture site: ground truth, the three layouts, discovery documents, REST API, caching."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from xml.etree import ElementTree

import lxml.html
import pytest

from sample_site import SiteServer, build_site, bundled_site, seed_article
from sample_site.client import fetch
from sample_site.model import Article, Site
from sample_site.themes.listing import PER_PAGE

SEED_COMMENTS = [
    ("SteveM", datetime(2019, 2, 11, 13, 26)),
    ("Kurt Gayle", datetime(2019, 2, 11, 13, 27)),
    ("sglover", datetime(2019, 2, 11, 13, 37)),
    ("Ninth and Hennepin", datetime(2019, 2, 11, 14, 38)),
    ("One Guy", datetime(2019, 2, 11, 14, 44)),
    ("Paul McDonnell", datetime(2019, 2, 11, 15, 39)),
    ("Kouros", datetime(2019, 2, 11, 16, 57)),
    ("Emil Bogdan", datetime(2019, 2, 11, 20, 19)),
    ("EliteCommInc.", datetime(2019, 2, 11, 21, 44)),
    ("Tony", datetime(2019, 2, 12, 7, 15)),
    ("Kurt Gayle", datetime(2019, 2, 13, 12, 23)),
]
THEMES = ("classic", "print", "structured")


@pytest.fixture(scope="module", params=THEMES)
def themed(request: pytest.FixtureRequest) -> Iterator[tuple[Site, SiteServer]]:
    site = build_site(request.param, seed=7)
    with SiteServer(site) as server:
        yield site, server


@pytest.fixture(scope="module")
def classic() -> Iterator[tuple[Site, SiteServer]]:
    site = build_site("classic", n_articles=12, seed=3, comments_per_page=2)
    with SiteServer(site) as server:
        yield site, server


def busiest(site: Site) -> Article:
    return max(site.articles, key=lambda a: (len(a.comments), a.post_id))


def page(server: SiteServer, path: str) -> lxml.html.HtmlElement:
    fetched = fetch(server.url(path))
    assert fetched.status == 200, path
    return lxml.html.fromstring(fetched.text)


def meta(doc: lxml.html.HtmlElement, prop: str) -> list[str]:
    return doc.xpath(f"//meta[@property='{prop}' or @name='{prop}']/@content")


def test_seed_article_comments_match_the_seed() -> None:
    article = seed_article()
    assert [(c.author, c.published) for c in article.comments] == SEED_COMMENTS
    assert [c.comment_id for c in article.comments] == list(range(1000001, 1000012))
    assert all(c.parent_id is None for c in article.comments)
    assert article.comments[2].text.endswith("dewy April morning….")


def test_seed_article_body_has_links_instead_of_footnote_markers() -> None:
    article = seed_article()
    assert article.published == datetime(2019, 2, 11, 0, 1)
    assert article.authors == ("Harry J. Kazianis",)
    assert len(article.paragraphs) == 10
    assert not re.search(r"\[\d\]", article.text)
    assert all(link.text in article.paragraphs[link.paragraph] for link in article.links)
    assert article.paragraphs[-1].endswith("Follow him on Twitter\xa0@Grecianformula")


def test_build_site_is_deterministic_per_seed() -> None:
    assert build_site("classic", seed=5) == build_site("classic", seed=5)
    assert build_site("classic", seed=5).articles != build_site("classic", seed=6).articles


def test_generated_articles_cover_summer_time_and_a_dst_change() -> None:
    site = build_site("classic", seed=11)
    zone = site.tz
    offsets = {a.published.replace(tzinfo=zone).utcoffset() for a in site.articles}
    assert timedelta(hours=-4) in offsets
    assert timedelta(hours=-5) in offsets
    assert any(
        len({c.published.replace(tzinfo=zone).utcoffset() for c in a.comments}) == 2
        for a in site.articles
    )
    assert {a.published.year for a in site.articles[1:]} <= {2018, 2019, 2020}


def test_generated_comments_follow_their_article_and_nest_at_most_three_deep() -> None:
    site = build_site("classic", n_articles=12, seed=2)
    replies = 0
    for article in site.articles:
        ids = [c.comment_id for c in article.comments]
        for comment in article.comments:
            assert comment.published > article.published
            if comment.parent_id is not None:
                replies += 1
                assert ids.index(comment.parent_id) < ids.index(comment.comment_id)
            assert article.comment_depth(comment) <= 3
    assert replies > 0


def test_print_theme_sites_have_no_replies() -> None:
    site = build_site("print", n_articles=12, seed=2)
    assert all(c.parent_id is None for a in site.articles for c in a.comments)


def test_bundled_site_is_the_seed_article_and_five_more_in_print_layout() -> None:
    site = bundled_site()
    assert (site.name, site.theme, site.timezone) == (
        "The American Conservative",
        "print",
        "America/New_York",
    )
    assert site.articles[0] == seed_article()
    assert len(site.articles) == 6
    assert sum(bool(a.comments) for a in site.articles) >= 4


def test_article_page_shows_every_paragraph_and_comment(themed: tuple[Site, SiteServer]) -> None:
    site, server = themed
    for article in site.articles:
        text = " ".join(page(server, article.path).text_content().split())
        for paragraph in article.paragraphs:
            assert " ".join(paragraph.split()) in text
        for comment in article.comments:
            assert comment.author in text
            for paragraph in comment.paragraphs:
                assert " ".join(paragraph.split()) in text


def test_article_page_head_has_canonical_opengraph_and_local_iso_times(
    themed: tuple[Site, SiteServer],
) -> None:
    site, server = themed
    article = site.articles[0]
    doc = page(server, article.path)
    url = server.url(article.path)
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta(doc, "og:url") == [url]
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:site_name") == [site.name]
    assert meta(doc, "article:published_time") == ["2019-02-11T00:01:00-05:00"]
    assert meta(doc, "article:section") == [article.section]
    assert meta(doc, "article:tag") == list(article.tags)
    assert doc.xpath("//link[@rel='https://api.w.org/']/@href") == [server.url("/wp-json/")]
    assert doc.xpath("//html/@lang") == ["en-US"]


def test_article_page_carries_the_boilerplate_to_strip(themed: tuple[Site, SiteServer]) -> None:
    site, server = themed
    doc = page(server, site.articles[0].path)
    for selector in (
        "header nav",
        "aside#secondary",
        "footer#colophon",
        "div.sharedaddy",
        "div.newsletter-signup",
        "div.jp-relatedposts",
    ):
        assert doc.cssselect(selector), selector
    assert len(doc.cssselect("div.jp-relatedposts a.jp-relatedposts-post-a")) == 3


def test_print_page_renders_the_seed_layout() -> None:
    site = bundled_site()
    with SiteServer(site) as server:
        doc = page(server, site.articles[0].path)
        base = server.base_url
    assert doc.cssselect("p.site-title")[0].text_content() == (
        f"- The American Conservative - {base} -"
    )
    assert doc.cssselect("#page h1")[0].text_content() == site.articles[0].title
    assert doc.cssselect("p.byline")[0].text_content() == (
        "Posted By Harry J. Kazianis On February 11, 2019 @ 12:01 am In Foreign Policy"
    )
    texts = [p.text_content() for p in doc.cssselect("#comments > p")]
    assert texts[0] == "11 Comments (Open | Close)"
    assert (
        texts[1] == '11 Comments To "Trump Has a Chance for a History-Making Deal With North Korea"'
    )
    assert texts[2] == "#1 Comment By SteveM On February 11, 2019 @ 1:26 pm"
    assert not doc.xpath("//div[@id='comments']//*[@datetime]")
    anchors = doc.cssselect("div.post-content a")
    assert [a.text_content() for a in anchors][:2] == ["foreign policy realism", "Hail Mary"]


def test_classic_comments_nest_replies_in_children_lists(classic: tuple[Site, SiteServer]) -> None:
    site, server = classic
    article = next(a for a in site.articles if any(c.parent_id for c in a.comments))
    pages = [page(server, article.path)]
    next_links = pages[0].cssselect("nav.comment-navigation .nav-next a")
    while next_links:
        href = next_links[0].get("href").split("#")[0]
        pages.append(page(server, href.removeprefix(server.base_url)))
        next_links = pages[-1].cssselect("nav.comment-navigation .nav-next a")
    seen = {}
    for doc in pages:
        for li in doc.cssselect("ol.comment-list li.comment"):
            cid = int(li.get("id").removeprefix("comment-"))
            parent = li.getparent().getparent()
            seen[cid] = (
                li.cssselect("b.fn")[0].text_content(),
                li.cssselect(".comment-metadata time")[0].get("datetime"),
                int(parent.get("id").removeprefix("comment-")) if parent.tag == "li" else None,
            )
    zone = site.tz
    assert seen == {
        c.comment_id: (c.author, c.published.replace(tzinfo=zone).isoformat(), c.parent_id)
        for c in article.comments
    }


def test_classic_comment_pages_use_wordpress_urls_and_canonicals(
    classic: tuple[Site, SiteServer],
) -> None:
    site, server = classic
    article = max(site.articles, key=lambda a: len(a.top_level_comments()))
    assert len(article.top_level_comments()) > 4
    doc = page(server, f"{article.path}comment-page-2/")
    assert doc.xpath("//link[@rel='canonical']/@href") == [
        server.url(f"{article.path}comment-page-2/#comments")
    ]
    assert doc.cssselect(".nav-previous a")[-1].get("href") == server.url(
        f"{article.path}comment-page-1/#comments"
    )
    assert len(doc.cssselect("ol.comment-list > li")) == 2
    assert fetch(server.url(f"{article.path}comment-page-99/")).status == 404


def test_structured_page_has_json_ld_and_microdata_comments() -> None:
    site = build_site("structured", n_articles=8, seed=4)
    article = next(a for a in site.articles if any(c.parent_id for c in a.comments))
    with SiteServer(site) as server:
        doc = page(server, article.path)
        url = server.url(article.path)
    scripts = [json.loads(s.text) for s in doc.xpath("//script[@type='application/ld+json']")]
    news = next(s for s in scripts if s["@type"] == "NewsArticle")
    assert news["headline"] == article.title
    assert [a["name"] for a in news["author"]] == list(article.authors)
    assert news["datePublished"] == article.published.replace(tzinfo=site.tz).isoformat()
    assert news["mainEntityOfPage"]["@id"] == url
    assert not doc.cssselect(".entry-content, .comment-list")
    body = [p.text_content() for p in doc.cssselect("div.story-body > p")]
    assert body == list(article.paragraphs)
    items = doc.xpath("//*[@itemtype='https://schema.org/Comment']")
    assert len(items) == len(article.comments)
    for comment in article.comments:
        item = doc.get_element_by_id(f"c-{comment.comment_id}")
        parent = item.xpath("./link[@itemprop='parentItem']/@href")
        assert parent == ([f"#c-{comment.parent_id}"] if comment.parent_id else [])
        name = item.xpath(".//*[@itemprop='name']")[0].text_content()
        assert name == comment.author


def test_home_lists_ten_articles_a_page_with_rel_next() -> None:
    site = build_site("classic", n_articles=14, seed=1)
    with SiteServer(site) as server:
        first = page(server, "/")
        second = page(server, "/page/2/")
        assert fetch(server.url("/page/3/")).status == 404
    assert len(first.cssselect("h2.entry-title a")) == PER_PAGE
    assert first.xpath("//a[@rel='next']/text()") == ["Older posts"]
    assert first.xpath("//a[@rel='next']/@href") == [server.url("/page/2/")]
    titles = [a.text_content() for a in first.cssselect("h2.entry-title a")]
    titles += [a.text_content() for a in second.cssselect("h2.entry-title a")]
    assert titles == [a.title for a in site.newest_first]


def test_robots_txt_disallows_private_and_names_the_sitemap(
    themed: tuple[Site, SiteServer],
) -> None:
    _, server = themed
    lines = fetch(server.url("/robots.txt")).text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /private/" in lines
    assert f"Sitemap: {server.url('/wp-sitemap.xml')}" in lines
    assert not any(line.startswith("Crawl-delay") for line in lines)


def test_sitemaps_list_every_article_with_local_lastmod(themed: tuple[Site, SiteServer]) -> None:
    site, server = themed
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(fetch(server.url("/wp-sitemap.xml")).body)
    locs = [e.text for e in index.findall("s:sitemap/s:loc", ns)]
    assert server.url("/wp-sitemap-posts-post-1.xml") in locs
    urlset = ElementTree.fromstring(fetch(server.url("/wp-sitemap-posts-post-1.xml")).body)
    listed = {
        e.findtext("s:loc", namespaces=ns): e.findtext("s:lastmod", namespaces=ns) for e in urlset
    }
    assert set(listed) == {server.url(a.path) for a in site.all_articles}
    assert listed[server.url(site.articles[0].path)] == "2019-02-11T00:01:00-05:00"
    news = ElementTree.fromstring(fetch(server.url("/news-sitemap.xml")).body)
    assert [e.findtext("s:loc", namespaces=ns) for e in news] == [
        server.url(a.path) for a in site.newest_first[:2]
    ]


def test_rss_feed_has_newest_ten_with_utc_dates() -> None:
    site = build_site("classic", n_articles=12, seed=1)
    with SiteServer(site) as server:
        channel = ElementTree.fromstring(fetch(server.url("/feed/")).body).find("channel")
    items = channel.findall("item")
    assert [i.findtext("link") for i in items] == [
        server.url(a.path) for a in site.newest_first[:10]
    ]
    seed_item = next(i for i in items if "north-korea" in i.findtext("link"))
    assert seed_item.findtext("pubDate") == "Mon, 11 Feb 2019 05:01:00 +0000"
    assert seed_item.findtext("{http://purl.org/rss/1.0/modules/slash/}comments") == "11"
    assert seed_item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Harry J. Kazianis"


def test_rest_posts_are_paginated_like_wordpress(classic: tuple[Site, SiteServer]) -> None:
    site, server = classic
    first = fetch(server.url("/wp-json/wp/v2/posts?per_page=5"))
    total = len(site.all_articles)
    assert first.headers["X-WP-Total"] == str(total)
    assert first.headers["X-WP-TotalPages"] == str(-(-total // 5))
    assert [p["id"] for p in json.loads(first.body)] == [a.post_id for a in site.newest_first[:5]]
    past = fetch(server.url("/wp-json/wp/v2/posts?per_page=5&page=9"))
    assert past.status == 400
    assert json.loads(past.body)["code"] == "rest_post_invalid_page_number"
    assert fetch(server.url("/wp-json/wp/v2/posts?per_page=101")).status == 400


def test_rest_post_fields_and_embeds(classic: tuple[Site, SiteServer]) -> None:
    _, server = classic
    article = seed_article()
    post = json.loads(fetch(server.url(f"/wp-json/wp/v2/posts/{article.post_id}?_embed=1")).body)
    assert post["date"] == "2019-02-11T00:01:00"
    assert post["date_gmt"] == "2019-02-11T05:01:00"
    assert post["link"] == server.url(article.path)
    assert post["slug"] == article.slug
    assert post["_embedded"]["author"][0]["name"] == "Harry J. Kazianis"
    assert [t["name"] for t in post["_embedded"]["wp:term"][1]] == list(article.tags)
    text = lxml.html.fromstring(post["content"]["rendered"]).text_content()
    assert "Share this" not in text
    assert post["content"]["rendered"].count("<p>") == len(article.paragraphs)
    root = json.loads(fetch(server.url("/wp-json/")).body)
    assert root["timezone_string"] == "America/New_York"
    assert "wp/v2" in root["namespaces"]


def test_rest_comments_for_a_post_in_ascending_order(classic: tuple[Site, SiteServer]) -> None:
    site, server = classic
    article = next(a for a in site.articles if any(c.parent_id for c in a.comments))
    url = f"/wp-json/wp/v2/comments?post={article.post_id}&per_page=100&order=asc"
    fetched = fetch(server.url(url))
    assert fetched.headers["X-WP-Total"] == str(len(article.comments))
    comments = json.loads(fetched.body)
    assert [(c["id"], c["parent"], c["author_name"], c["date"]) for c in comments] == [
        (c.comment_id, c.parent_id or 0, c.author, c.published.isoformat())
        for c in article.comments
    ]


def test_rest_api_can_be_switched_off() -> None:
    site = build_site("classic", n_articles=2, rest_api=False)
    with SiteServer(site) as server:
        assert fetch(server.url("/wp-json/")).status == 404
        doc = page(server, site.articles[0].path)
    assert not doc.xpath("//link[@rel='https://api.w.org/']")


def test_article_pages_answer_conditional_requests(classic: tuple[Site, SiteServer]) -> None:
    site, server = classic
    url = server.url(site.articles[0].path)
    first = fetch(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": etag}).status == 304
    assert fetch(url, {"If-Modified-Since": modified}).status == 304
    assert fetch(url, {"If-None-Match": '"other"'}).status == 200
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"}).status == 200


def test_gzip_when_accepted(classic: tuple[Site, SiteServer]) -> None:
    site, server = classic
    url = server.url(site.articles[0].path)
    zipped = fetch(url, {"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == fetch(url).body


def test_server_records_requests(classic: tuple[Site, SiteServer]) -> None:
    _, server = classic
    fetch(server.url("/robots.txt?probe=1"), {"User-Agent": "probe"})
    record = server.requests[-1]
    assert (record.method, record.path, record.status) == ("GET", "/robots.txt?probe=1", 200)
    assert record.headers["User-Agent"] == "probe"
