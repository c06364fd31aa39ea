"""One URL per article: canonical forms, stable ids, and the variants that map to them.

`canonicalize_url` (w3lib) sorts the query and drops the fragment; on top of it we strip
tracking and session parameters, AMP and print views, and WordPress comment pages, so
that every variant of an article names the same canonical URL and the same id.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
    "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref", "ref_src", "cmpid", "ncid",
    "ito", "s_cid", "share", "amp", "output", "print", "replytocom",
    "jsessionid", "phpsessid", "sid", "sessionid", "session_id", "cfid", "cftoken",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_VARIANT_SUFFIX = re.compile(r"(?:/(?:amp|print|comment-page-\d+))+/?$", re.IGNORECASE)
_COMMENT_PAGE = re.compile(r"/comment-page-(\d+)/?$", re.IGNORECASE)
VIEW_PARAMS = frozenset({"cpage", "replytocom"})
"""Query parameters that show another view of the same article (a comment page, a reply
form), stripped whatever the site's allowlist says."""


def _keep_param(name: str, allowed: frozenset[str] | None) -> bool:
    key = name.lower()
    if key in VIEW_PARAMS:
        return False
    if allowed is not None:
        return key in allowed
    return key not in TRACKING_PARAMS and not key.startswith(TRACKING_PREFIXES)


def clean_url(url: str, query_allowlist: frozenset[str] | None = None) -> str:
    """The URL without fragment, tracking or session parameters, AMP/print/comment-page views.

    With `query_allowlist`, only those query parameters survive (faceted navigation).
    """
    parts = urlsplit(url.strip())
    path = _SESSION_PATH_PARAM.sub("", parts.path) or "/"
    path = _VARIANT_SUFFIX.sub("/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if _keep_param(k, query_allowlist)]
    cleaned = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))
    return canonicalize_url(cleaned)


def comment_page_number(url: str) -> int:
    """The WordPress comment page a URL shows (1 for the article itself): the
    `/comment-page-N/` of pretty permalinks, `?cpage=N` of plain ones."""
    parts = urlsplit(url)
    match = _COMMENT_PAGE.search(parts.path)
    if match:
        return int(match.group(1))
    pages = [v for k, v in parse_qsl(parts.query) if k.lower() == "cpage" and v.isdigit()]
    return int(pages[0]) if pages else 1


def url_key(url: str) -> str:
    """The identity of a canonical URL: scheme, `www.`, default port and final slash ignored."""
    parts = urlsplit(clean_url(url))
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/") or "/"
    return f"{host}{port}{path}" + (f"?{parts.query}" if parts.query else "")


def site_of(url: str) -> str:
    """The site an URL belongs to: its host (and non-default port) without `www.`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host}:{parts.port}" if parts.port and parts.port not in (80, 443) else host


def same_site(a: str, b: str) -> bool:
    return site_of(a) == site_of(b)


def article_id(canonical: str) -> str:
    """Stable id of an article: a hash of its canonical URL's identity."""
    return hashlib.sha256(url_key(canonical).encode()).hexdigest()[:24]


def choose_canonical(page_url: str, *candidates: str | None) -> str:
    """The page's own canonical URL: the first same-site candidate, else the page URL, cleaned.

    A canonical link to another host (syndication) does not change which article this is.
    """
    for candidate in candidates:
        if candidate and candidate.startswith(("http://", "https://")) and same_site(
            candidate, page_url
        ):
            return clean_url(candidate)
    return clean_url(page_url)
