"""URL routing for a fixture site: request target in, `Response` out, no sockets involved.

| path                                   | answer                                             |
| -------------------------------------- | -------------------------------------------------- |
| `/`, `/page/N/`                        | home listing, 10 articles a page, newest first      |
| `/author/S/`, `/category/S/`, `/tag/S/` (+ `page/N/`) | archive listings                    |
| `/YYYY/MM/DD/slug/`                    | article page, comment page 1                        |
| `/YYYY/MM/DD/slug/comment-page-N/`     | comment page N (canonical is that URL + #comments)  |
| `/YYYY/MM/DD/slug`                     | same article page, 200 (no redirect)                |
| `/YYYY/MM/DD/slug/amp/`                | AMP copy, canonical to the article                  |
| `/YYYY/MM/DD/slug/?print=1`            | print view, canonical to the article                |
| `/?p=ID`                               | 301 to the article                                  |
| `/about/`, `/private/…`                | plain pages (robots.txt disallows `/private/`)      |
| `/robots.txt`, `/feed/` (RSS)          | discovery                                           |
| `/wp-sitemap.xml`, `/news-sitemap.xml` | sitemap index, Google News sitemap (2 newest)       |
| `/wp-sitemap-posts-post-1.xml`         | every article with `<lastmod>`                      |
| `/wp-json/…`, `/?rest_route=…`         | REST API (404 when `Site.rest_api` is off)          |

Other query strings (`utm_*`, `fbclid`, `replytocom`, …) and `;jsessionid=` path
parameters are ignored. Article pages send `ETag` and `Last-Modified` and answer
`If-None-Match` / `If-Modified-Since` with 304. Fault routes: see `sample_site.faults`.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlsplit

from sample_site import faults
from sample_site.conditional import conditional
from sample_site.discovery import news_sitemap, posts_sitemap, robots_txt, rss_feed, sitemap_index
from sample_site.model import Article, Site, slugify
from sample_site.response import HTML, Response, html_response, redirect, text_response
from sample_site.rest import RestApi
from sample_site.sessions import SessionIds
from sample_site.themes import theme_for
from sample_site.themes.amp import render_amp
from sample_site.themes.base import RenderContext, article_view, esc_text
from sample_site.themes.listing import Listing
from sample_site.themes.pages import about_page, calendar_page, error_page, private_page
from sample_site.timefmt import http_date

ARTICLE_RE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)(/.*)?$")
ARCHIVE_RE = re.compile(r"^/(author|category|tag)/([^/]+)/(?:page/(\d+)/)?$")
HOME_PAGE_RE = re.compile(r"^/page/(\d+)/$")
CALENDAR_RE = re.compile(r"^/calendar/(\d{4})/(\d{2})/$")
COMMENT_PAGE_RE = re.compile(r"^/comment-page-(\d+)/$")
SESSION_PARAM_RE = re.compile(r";jsessionid=[^/?#]*", re.IGNORECASE)
STATUS_PAGES = {
    503: "503 Service Temporarily Unavailable",
    429: "429 Too Many Requests",
}


class Router:
    """Answers requests for one `Site` served at `base_url`; thread-safe."""

    def __init__(
        self,
        site: Site,
        base_url: str,
        *,
        canary_url: str | None = None,
        slow_seconds: float = 3.0,
    ) -> None:
        self.site = site
        self.base_url = base_url
        self.canary_url = canary_url or faults.DEFAULT_CANARY_URL
        self.slow_seconds = slow_seconds
        self.ctx = RenderContext(site, base_url)
        self.theme = theme_for(site.theme)
        self.rest = RestApi(site, base_url) if site.rest_api else None
        self._articles = {a.path: a for a in site.all_articles}
        self._sessions = SessionIds()
        self._failed_once: set[int] = set()
        self._lock = threading.Lock()

    def handle(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        """The response to one request (`target` is the request line's path and query)."""
        if method not in ("GET", "HEAD"):
            return Response(405, b"", None, [("Allow", "GET, HEAD")])
        parts = urlsplit(target)
        path = SESSION_PARAM_RE.sub("", parts.path) or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        response = self._route(method, path, query)
        return conditional(response, headers)

    def _route(self, method: str, path: str, query: dict[str, str]) -> Response:
        static = self._static(path)
        if static:
            return static
        if path.startswith("/wp-json") or (path == "/" and "rest_route" in query):
            if not self.rest:
                return self._not_found(path)
            route = query.pop("rest_route", "") if path == "/" else path.removeprefix("/wp-json")
            return self.rest.handle(route, query)
        if path == "/" and query.get("p", "").isdigit():
            article = self.site.article_by_id(int(query["p"]))
            return redirect(self.base_url + article.path) if article else self._not_found(path)
        fault = self._fault_route(path)
        if fault:
            return fault
        match = ARTICLE_RE.match(path)
        if match:
            return self._article_route(method, match, query)
        return self._listing_route(path) or self._not_found(path)

    def _static(self, path: str) -> Response | None:
        site, base = self.site, self.base_url
        documents = {
            "/robots.txt": lambda: text_response(
                robots_txt(site, base), "text/plain; charset=utf-8"
            ),
            "/wp-sitemap.xml": lambda: text_response(sitemap_index(site, base), "application/xml"),
            "/wp-sitemap-posts-post-1.xml": lambda: text_response(
                posts_sitemap(site, base), "application/xml"
            ),
            "/news-sitemap.xml": lambda: text_response(news_sitemap(site, base), "application/xml"),
            "/feed/": lambda: text_response(
                rss_feed(site, base), "application/rss+xml; charset=UTF-8"
            ),
            "/feed": lambda: redirect(base + "/feed/"),
            "/about/": lambda: html_response(about_page(self.ctx)),
            f"/wp-content/themes/{site.theme}/style.css": lambda: text_response(
                "body{margin:0}\n", "text/css"
            ),
            "/wp-includes/js/jquery/jquery.min.js": lambda: text_response(
                "/*! jQuery stub */\n", "application/javascript"
            ),
        }
        if path in documents:
            return documents[path]()
        if path == "/private" or path.startswith("/private/"):
            return html_response(private_page(self.ctx, path))
        return None

    def _listing_route(self, path: str) -> Response | None:
        session = self._sessions.decorator() if "session_ids" in self.site.faults else None
        ctx = RenderContext(self.site, self.base_url, session, faults.home_links(self.site))
        site_name = self.site.name
        if path == "/" or HOME_PAGE_RE.match(path):
            page_match = HOME_PAGE_RE.match(path)
            page = int(page_match.group(1)) if page_match else 1
            listing = Listing(f"{site_name} – {self.site.title}", "/", self.site.newest_first, page)
        else:
            match = ARCHIVE_RE.match(path)
            if not match:
                return None
            kind, slug, page_text = match.groups()
            listing_or_none = self._archive(kind, slug, int(page_text or 1))
            if not listing_or_none:
                return None
            listing = listing_or_none
        if not 1 <= listing.page <= listing.total_pages:
            return None
        return html_response(self.theme.render_listing(ctx, listing))

    def _archive(self, kind: str, slug: str, page: int) -> Listing | None:
        articles = self.site.newest_first
        if kind == "author":
            names = {n for a in articles for n in a.authors}
            chosen = [a for a in articles if any(slugify(n) == slug for n in a.authors)]
            label = "Author"
        elif kind == "category":
            names = {a.section for a in articles}
            chosen = [a for a in articles if slugify(a.section) == slug]
            label = "Category"
        else:
            names = {t for a in articles for t in a.tags}
            chosen = [a for a in articles if any(slugify(t) == slug for t in a.tags)]
            label = "Tag"
        name = next((n for n in names if slugify(n) == slug), None)
        if name is None:
            return None
        heading = f"{label}: {name}"
        title = f"{name} – {self.site.name}"
        return Listing(title, f"/{kind}/{slug}/", tuple(chosen), page, heading)

    def _fault_route(self, path: str) -> Response | None:
        enabled = self.site.faults
        if "redirect_chain" in enabled and path in faults.REDIRECT_CHAIN and self.site.articles:
            step = faults.REDIRECT_CHAIN.index(path)
            if step + 1 < len(faults.REDIRECT_CHAIN):
                status = 302 if step == 1 else 301
                return redirect(self.base_url + faults.REDIRECT_CHAIN[step + 1], status)
            return redirect(self.base_url + faults.target_article(self.site).path, 301)
        if "redirect_offsite" in enabled and path == faults.OFFSITE_PATH:
            return redirect(self.canary_url, 302)
        if "gone" in enabled and path == faults.GONE_PATH:
            return html_response(error_page(self.ctx, path, 410), 410)
        match = CALENDAR_RE.match(path)
        if "calendar_trap" in enabled and match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1000 <= year <= 9999 and 1 <= month <= 12:
                return html_response(calendar_page(self.ctx, year, month))
        return None

    def _not_found(self, path: str) -> Response:
        return html_response(error_page(self.ctx, path, 404), 404)

    def _article_route(self, method: str, match: re.Match[str], query: dict[str, str]) -> Response:
        year, month, day, slug, rest = match.groups()
        article = self._articles.get(f"/{year}/{month}/{day}/{slug}/")
        if article is None:
            return self._not_found(match.group(0))
        if rest == "/amp/":
            return self._article_response(article, render_amp(self.ctx, article))
        if rest and rest != "/":
            page_match = COMMENT_PAGE_RE.match(rest)
            if not page_match:
                return self._not_found(match.group(0))
            return self._comment_page(article, int(page_match.group(1)))
        if query.get("print") == "1":
            view = article_view(self.ctx, article)
            return self._article_response(
                article, theme_for("print").render_article(self.ctx, view)
            )
        if article.fault:
            return self._fault_article(method, article)
        view = article_view(self.ctx, article)
        return self._article_response(article, self.theme.render_article(self.ctx, view))

    def _comment_page(self, article: Article, page: int) -> Response:
        canonical = self.ctx.url(article.path) if page == 1 else ""
        try:
            view = article_view(self.ctx, article, page, canonical)
        except IndexError:
            return self._not_found(article.path)
        return self._article_response(article, self.theme.render_article(self.ctx, view))

    def _article_response(self, article: Article, page: str) -> Response:
        body = page.encode("utf-8")
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
        last_modified = http_date(article.last_changed, self.site.tz)
        headers = self._article_headers(article)
        return Response(200, body, HTML, headers, validators=(etag, last_modified))

    def _article_headers(self, article: Article) -> list[tuple[str, str]]:
        headers = [("Link", f"<{self.base_url}/?p={article.post_id}>; rel=shortlink")]
        if self.site.rest_api:
            headers.insert(0, ("Link", f'<{self.base_url}/wp-json/>; rel="https://api.w.org/"'))
        return headers

    def _fault_article(self, method: str, article: Article) -> Response:
        fault = article.fault
        if fault in ("retry_after", "retry_after_429") and method == "GET":
            with self._lock:
                first = article.post_id not in self._failed_once
                self._failed_once.add(article.post_id)
            if first:
                status = 429 if fault == "retry_after_429" else 503
                title = STATUS_PAGES[status]
                body = (
                    f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1>"
                    "</center><hr><center>nginx</center></body></html>\n"
                )
                headers = [("Retry-After", str(faults.RETRY_AFTER_SECONDS))]
                return Response(status, body.encode(), HTML, headers, compressible=False)
        html_text = self.theme.render_article(self.ctx, article_view(self.ctx, article))
        headers = self._article_headers(article)
        if fault == "cp1252":
            html_text = html_text.replace(
                '<meta charset="utf-8">',
                '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            )
            body = html_text.encode("cp1252", errors="xmlcharrefreplace")
            return Response(200, body, "text/html", headers, compressible=False)
        body = html_text.encode("utf-8")
        if fault == "truncated":
            body = truncate(html_text, self.site, article).encode("utf-8")
            return Response(200, body, HTML, headers, compressible=False)
        if fault == "truncated_transfer":
            return Response(
                200,
                body[: len(body) // 2],
                HTML,
                headers,
                declared_length=len(body),
                compressible=False,
            )
        if fault == "slow":
            return Response(
                200, body, HTML, headers, delay_before_body=self.slow_seconds, compressible=False
            )
        return Response(200, body, HTML, headers)


def truncate(html_text: str, site: Site, article: Article) -> str:
    """The page cut halfway through the first paragraph of the comment after the complete ones."""
    keep = faults.TRUNCATE_AFTER_COMMENTS
    victim = article.threaded()[keep]
    markers = {
        "classic": f'id="comment-{victim.comment_id}"',
        "structured": f'id="c-{victim.comment_id}"',
        "print": f"<strong>#{keep + 1} Comment By</strong>",
    }
    start = html_text.index(markers[site.theme])
    paragraph = html_text.index("<p>", start + len(markers[site.theme])) + len("<p>")
    return html_text[: paragraph + len(esc_text(victim.paragraphs[0])) // 2]
