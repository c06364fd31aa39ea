"""Reading discovery documents: API adverts, feeds, sitemaps, and links worth following.

Pure functions over responses, so the spider only decides what to request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import parse_qs, parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector
from scrapy.utils.gz import gunzip

from archive.times import to_utc
from crawler.extraction.urls import comment_page_number
from crawler.middlewares.safety import host_matches
from crawler.siteconfig import SiteConfig

MAX_SITEMAP_DEPTH = 3
MAX_SITEMAP_URLS = 50_000
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
_SKIPPED_EXTENSIONS = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|pdf|zip|gz|mp3|mp4|mov|avi|css|js|json|xml|rss|woff2?|"
    r"ttf|eot|docx?|xlsx?|pptx?)$", re.IGNORECASE)
_SKIPPED_PATHS = ("/wp-admin", "/wp-login", "/wp-json", "/feed", "/xmlrpc.php", "/cdn-cgi/")
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                            recover=True)


def api_root(response: TextResponse) -> str | None:
    """The WordPress REST API root a page advertises (`<link rel="https://api.w.org/">`)."""
    href = response.xpath("//link[@rel='https://api.w.org/']/@href").get()
    if not href:
        header = (response.headers.get("Link") or b"").decode("latin-1")
        match = re.search(r'<([^>]+)>;\s*rel="https://api\.w\.org/"', header)
        href = match.group(1) if match else None
    return response.urljoin(href) if href else None


def api_url(root: str, route: str, **params: object) -> str:
    """A REST route under the API root a site advertises: `…/wp-json/` + route with pretty
    permalinks, `…/index.php?rest_route=/` with the route in the query with plain ones."""
    parts = urlsplit(root)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "rest_route" for key, _ in query):
        query = [(k, v) for k, v in query if k != "rest_route"]
        query += [("rest_route", f"/{route}"), *((k, str(v)) for k, v in params.items())]
        return urlunsplit(parts._replace(query=urlencode(query)))
    return urljoin(root, route) + ("?" + urlencode({k: str(v) for k, v in params.items()})
                                   if params else "")


def api_route(url: str) -> str | None:
    """The REST route a URL asks for (`/wp/v2/posts`, `/` for the index), in either form of
    `api_url`; None for a URL that is not the REST API's."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "rest_route":
            return value or "/"
    if "/wp-json" not in parts.path:
        return None
    return parts.path.split("/wp-json", 1)[1] or "/"


_WORDPRESS_MARKS = re.compile(
    r"/wp-(?:content|includes)/|<meta[^>]+name=[\"']generator[\"'][^>]+content=[\"']WordPress",
    re.IGNORECASE)


def wordpress_index(response: TextResponse) -> str | None:
    """Where a page's WordPress REST index is: the root it advertises, else, on a page that
    looks like WordPress (its `/wp-content/` files, its generator tag), the usual
    `/wp-json/`, which answers when only the advert was removed."""
    advertised = api_root(response)
    if advertised:
        return advertised
    if _WORDPRESS_MARKS.search(response.text):
        return urljoin(response.url, "/wp-json/")
    return None


def rest_comments_page(url: str) -> tuple[str, str, int] | None:
    """(API root, post id, page number) of a REST comments URL built by `api_url`."""
    route = api_route(url)
    if route is None or route.rstrip("/") != "/wp/v2/comments":
        return None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if "rest_route" in query:
        root = urlunsplit(parts._replace(query="rest_route=/"))
    else:
        root = urlunsplit(parts._replace(path=parts.path.removesuffix("wp/v2/comments"),
                                         query=""))
    return root, (query.get("post") or [""])[0], int((query.get("page") or ["1"])[0])


def feed_links(response: TextResponse) -> list[str]:
    hrefs = response.xpath(
        "//link[@rel='alternate'][contains(@type,'rss') or contains(@type,'atom')]/@href").getall()
    return [response.urljoin(h) for h in dict.fromkeys(hrefs) if "/comments/" not in h]


def _xml(response: Response) -> etree._Element | None:
    body = response.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        except OSError:
            return None
    if len(body) > MAX_SITEMAP_BYTES:
        body = body[:MAX_SITEMAP_BYTES]
    try:
        return etree.fromstring(body, parser=_SAFE_XML)
    except etree.XMLSyntaxError:
        return None


def feed_urls(response: Response) -> list[str]:
    """Article links of an RSS or Atom feed."""
    root = _xml(response)
    if root is None:
        return []
    links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
    links += root.xpath("//*[local-name()='entry']/*[local-name()='link']"
                        "[@rel='alternate' or not(@rel)]/@href")
    return [urljoin(response.url, link.strip()) for link in links if link.strip()]


def sitemap_entries(
    response: Response, stats: StatsCollector | None = None
) -> tuple[str, list[tuple[str, datetime | None]]]:
    """The kind of a sitemap (`urlset` or `sitemapindex`) and its (loc, lastmod) entries.

    Entities are never resolved (no XXE, no billion laughs); a sitemap is read up to the
    protocol's limits of 50,000 URLs and 50 MB.
    """
    root = _xml(response)
    if root is None:
        return "urlset", []
    kind = etree.QName(root).localname
    entries = []
    for node in root.iterchildren("{*}url", "{*}sitemap"):
        loc = node.findtext("{*}loc")
        if not loc or not loc.strip():
            continue
        entries.append((urljoin(response.url, loc.strip()), _lastmod(node)))
        if len(entries) >= MAX_SITEMAP_URLS:
            if stats is not None:
                stats.inc_value("sitemap/truncated")
            break
    if stats is not None:
        stats.inc_value("sitemap/urls", len(entries))
    return kind, entries


def _lastmod(node: etree._Element) -> datetime | None:
    text = node.findtext("{*}lastmod") or node.findtext(".//{*}publication_date")
    if not text:
        return None
    try:
        return to_utc(text)
    except ValueError:
        return None


def followable_links(response: TextResponse, site: SiteConfig) -> Iterator[str]:
    """Links of a page that lead to more of the same site's pages."""
    domains = {d.lower() for d in site.allowed_domains}
    seen: set[str] = set()
    for href in dict.fromkeys(response.css("a[href]::attr(href)").getall()):
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = response.urljoin(href).split("#")[0]
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            continue
        if not host_matches((parts.hostname or "").lower(), domains):
            continue
        if _SKIPPED_EXTENSIONS.search(parts.path) or parts.path.startswith(_SKIPPED_PATHS):
            continue
        if comment_page_number(url) > 1 or "replytocom=" in parts.query:
            continue
        yield url
