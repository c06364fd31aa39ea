"""Catalogue of the faults a fixture site can serve, switched on by name in `Site.faults`.

Every fault page is reachable by a crawler: fault articles are listed like any other
article (home page, sitemap, feed, REST API) and the other routes are linked from the
home page (a "More" block before the footer, `<nav class="fault-links">`).

| name               | route                        | behaviour                                   |
| ------------------ | ---------------------------- | ------------------------------------------- |
| retry_after        | its fault article            | first GET: 503 + Retry-After: 2, then 200   |
| retry_after_429    | its fault article            | first GET: 429 + Retry-After: 2, then 200   |
| not_found          | /press/2017/old-release/     | 404, themed "Nothing Found" page            |
| gone               | /2016/01/01/retracted-story/ | 410                                         |
| redirect_chain     | /go/1                        | 301 /go/2, 302 /go/3, 301 target article    |
| redirect_offsite   | /out/partner                 | 302 to the canary URL                       |
| calendar_trap      | /calendar/2019/02/           | each month links the months around it       |
| cp1252             | its fault article            | cp1252; charset only in http-equiv meta     |
| truncated          | its fault article            | HTML stops in the 4th comment; length exact |
| truncated_transfer | its fault article            | Content-Length > bytes sent; socket closed  |
| slow               | its fault article            | headers, slow_seconds (3) of silence, body  |
| duplicate_urls     | target article variants      | 200, canonical = article URL                |
| crawl_delay        | /robots.txt                  | adds Crawl-delay: 1                         |
| session_ids        | listing pages                | links get ;jsessionid=… or ?PHPSESSID=…     |

Redirect targets are absolute URLs; the canary URL defaults to `http://127.0.0.2:9/stolen`.
The duplicate variants are `?utm_source=x&utm_medium=y`, `?fbclid=…`, `amp/` (AMP page),
`?print=1` (print view) and the path without its trailing slash. Session ids are new
for every response, so a crawler that keeps them never runs out of URLs.

The "target article" of `redirect_chain` and `duplicate_urls` is `target_article(site)`,
the newest normal article. Fault articles always show all their comments on one page.
The truncated article's page holds `complete_comments(article)` in full (the first
three in page order) and the start of the fourth. "First GET" is counted per server
instance and per article. The `truncated_transfer` article never
arrives complete over HTML, so it is not in `Site.required_articles`; the REST API still
serves it whole, like every other article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sample_site.model import Article, Comment, Site

ARTICLE_FAULTS = (
    "retry_after",
    "retry_after_429",
    "cp1252",
    "truncated",
    "truncated_transfer",
    "slow",
)
ROUTE_FAULTS = (
    "not_found",
    "gone",
    "redirect_chain",
    "redirect_offsite",
    "calendar_trap",
    "duplicate_urls",
    "crawl_delay",
    "session_ids",
)
FAULTS = frozenset(ARTICLE_FAULTS + ROUTE_FAULTS)
MUST_ARCHIVE = frozenset(ARTICLE_FAULTS) - {"truncated_transfer"}
"""Fault articles a correct crawl still archives (the truncated one with what it got)."""

RETRY_AFTER_SECONDS = 2
TRUNCATE_AFTER_COMMENTS = 3
NOT_FOUND_PATH = "/press/2017/old-release/"
GONE_PATH = "/2016/01/01/retracted-story/"
REDIRECT_CHAIN = ("/go/1", "/go/2", "/go/3")
OFFSITE_PATH = "/out/partner"
CALENDAR_START = "/calendar/2019/02/"
DEFAULT_CANARY_URL = "http://127.0.0.2:9/stolen"
DUPLICATE_SUFFIXES = (
    "?utm_source=x&utm_medium=y",
    "?fbclid=IwAR3xYzSampleFbclid0123456789",
    "amp/",
    "?print=1",
)


def check_faults(names: frozenset[str]) -> None:
    unknown = sorted(names - FAULTS)
    if unknown:
        raise ValueError(f"unknown faults {unknown}, expected some of {sorted(FAULTS)}")


def target_article(site: Site) -> Article:
    """The article that `redirect_chain` ends at and `duplicate_urls` duplicates."""
    return max(site.articles, key=lambda a: (a.published, a.post_id))


def duplicate_paths(article: Article) -> tuple[str, ...]:
    """Other URLs (paths with query) that serve `article` under `duplicate_urls`."""
    return (*(article.path + s for s in DUPLICATE_SUFFIXES), article.path.rstrip("/"))


def complete_comments(article: Article) -> tuple[Comment, ...]:
    """Comments present in full on the `truncated` article's page."""
    return article.threaded()[:TRUNCATE_AFTER_COMMENTS]


def home_links(site: Site) -> tuple[tuple[str, str], ...]:
    """(label, path) links the home page carries for the enabled route faults."""
    links: list[tuple[str, str]] = []
    if "redirect_chain" in site.faults:
        links.append(("Editor’s pick", REDIRECT_CHAIN[0]))
    if "redirect_offsite" in site.faults:
        links.append(("Partner offers", OFFSITE_PATH))
    if "not_found" in site.faults:
        links.append(("Press releases", NOT_FOUND_PATH))
    if "gone" in site.faults:
        links.append(("Retracted: an old story", GONE_PATH))
    if "calendar_trap" in site.faults:
        links.append(("Archive calendar", CALENDAR_START))
    if "duplicate_urls" in site.faults and site.articles:
        target = target_article(site)
        links.extend((f"Trending: {target.title}", p) for p in duplicate_paths(target))
    return tuple(links)
