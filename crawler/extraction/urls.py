"""One URL per article: canonical forms, stable ids, and the variants that map to them.

`canonicalize_url` (w3lib) sorts the query and drops the fragment; on top of it we strip
the query parameters known to carry no content, AMP and print views, and WordPress comment
pages, so that every variant of an article names the same canonical URL and the same id.

A parameter is stripped only when it is known not to say *which* page is shown: tracking
ids (`utm_*`, `fbclid`, ...), session ids, and WordPress's reply/moderation/comment-page
parameters. A few names are ambiguous across sites (`sid` is a PHP session on a forum and a
story id on a news site; `print`, `output`, `share` and `ref` are views or referrers on
some sites and ids on others): they are stripped only when their value has the shape of a
session token, a view flag, a share button or a referrer label, and kept otherwise. Keeping
a parameter that carries no content costs a duplicate fetch (the page's own canonical
usually repairs it); stripping one that does would merge distinct articles into one id.
A site file can keep or drop names on top (`QueryRules`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

NO_CONTENT_PARAMS = frozenset({
    # advertising and analytics click ids
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
    "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
    "ref_src", "ref_url", "cmpid", "ncid", "ito", "s_cid", "_openstat", "oly_anon_id",
    "oly_enc_id", "vero_id", "wt.mc_id",
    # session ids
    "jsessionid", "phpsessid", "aspsessionid", "sessionid", "session_id", "sessid", "cfid",
    "cftoken", "oscsid", "zenid",
    # WordPress: a comment awaiting moderation
    "unapproved", "moderation-hash",
})
VIEW_PARAMS = frozenset({"cpage", "replytocom"})
"""Query parameters that show another view of the same article (a comment page, a reply
form), stripped whatever a site file says."""
NO_CONTENT_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "matomo_")
_FLAG_VALUES = frozenset({"", "1", "true", "yes", "on"})
SHARE_TARGETS = frozenset({
    "facebook", "twitter", "x", "linkedin", "reddit", "tumblr", "pinterest", "pocket",
    "telegram", "whatsapp", "jetpack-whatsapp", "email", "print", "skype", "mastodon",
    "nextdoor", "threads", "bluesky",
})
_SESSION_TOKEN = re.compile(r"[0-9a-f]{16,}|(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{20,}",
                            re.IGNORECASE)
_LABEL = re.compile(r"[a-z_.-]+", re.IGNORECASE)
NO_CONTENT_WHEN: dict[str, Callable[[str], bool]] = {
    "sid": lambda v: bool(_SESSION_TOKEN.fullmatch(v)),
    "amp": lambda v: v.lower() in _FLAG_VALUES,
    "print": lambda v: v.lower() in _FLAG_VALUES | {"print"},
    "output": lambda v: v.lower() in ("amp", "print"),
    "share": lambda v: v.lower() in SHARE_TARGETS,
    "ref": lambda v: bool(_LABEL.fullmatch(v)),
}
"""Ambiguous names, stripped only when the value has the shape of a session token, a view
flag, a share button or a referrer label (`?ref=hn`); `?sid=12345`, `?ref=8812` stay."""

_SESSION_PATH_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_VARIANT_SUFFIX = re.compile(r"(?:/(?:amp|print|comment-page-\d+))+/?$", re.IGNORECASE)
_COMMENT_PAGE = re.compile(r"/comment-page-(\d+)/?$", re.IGNORECASE)


@dataclass(frozen=True)
class QueryRules:
    """Which query parameters name content on one site (from its site file).

    `keep`: kept even where a built-in rule would strip them; `drop`: stripped as well;
    `only`: when set, no other parameter survives (faceted navigation). Names are
    compared in lower case.
    """

    keep: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()
    only: frozenset[str] | None = None

    def keeps(self, name: str, value: str) -> bool:
        key = name.lower()
        if key in VIEW_PARAMS:
            return False
        if self.only is not None and key not in self.only:
            return False
        if key in self.keep:
            return True
        if key in self.drop or key in NO_CONTENT_PARAMS or key.startswith(NO_CONTENT_PREFIXES):
            return False
        rule = NO_CONTENT_WHEN.get(key)
        return rule is None or not rule(value)


DEFAULT_RULES = QueryRules()


def clean_url(url: str, rules: QueryRules = DEFAULT_RULES) -> str:
    """The URL without fragment, no-content parameters, AMP/print/comment-page views."""
    parts = urlsplit(url.strip())
    path = _SESSION_PATH_PARAM.sub("", parts.path) or "/"
    path = _VARIANT_SUFFIX.sub("/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if rules.keeps(k, v)]
    cleaned = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))
    return canonicalize_url(cleaned)


def comment_page_number(url: str) -> int:
    """The WordPress comment page a URL shows (1 for the article itself): `…/comment-page-N/`
    with pretty permalinks, `?cpage=N` with plain ones."""
    parts = urlsplit(url)
    match = _COMMENT_PAGE.search(parts.path)
    if match:
        return int(match.group(1))
    cpage = dict(parse_qsl(parts.query)).get("cpage", "")
    return int(cpage) if cpage.isdigit() else 1


def comment_page_link(url: str, rules: QueryRules = DEFAULT_RULES) -> str:
    """A comment page link as it is requested: no fragment, no parameter that carries no
    content except the comment page number itself (`cpage`, for plain permalinks)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() == "cpage" or rules.keeps(k, v)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def url_key(url: str, rules: QueryRules = DEFAULT_RULES) -> str:
    """The identity of a canonical URL: scheme, `www.`, default port and final slash ignored."""
    parts = urlsplit(clean_url(url, rules))
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


def article_id(canonical: str, rules: QueryRules = DEFAULT_RULES) -> str:
    """Stable id of an article: a hash of its canonical URL's identity."""
    return hashlib.sha256(url_key(canonical, rules).encode()).hexdigest()[:24]


_PAGED = re.compile(r"(?:^|/)page/\d+/?$")
_ARCHIVE_BASE = re.compile(r"(?:^|/)(category|tag|author)/[^/]+")
_DATE_ARCHIVE = re.compile(r"^/\d{4}(?:/\d{2}){0,2}/?$")
_LISTING_QUERY = {"paged": "paged", "cat": "category", "tag": "tag", "author": "author",
                  "m": "date_archive", "s": "search"}


def listing_shape(url: str) -> str | None:
    """Which kind of listing a URL has the shape of (`home`, `paged`, `category`, `tag`,
    `author`, `date_archive`, `search`, `feed`), or None for any other page.

    The shapes are WordPress's (its default bases and date archives), which most news
    sites share. A URL with an identifying query (`/?p=123`) is not the home page.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    names = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    for name in names:
        if name in _LISTING_QUERY:
            return _LISTING_QUERY[name]
    if _PAGED.search(path):
        return "paged"
    base = _ARCHIVE_BASE.search(path)
    if base:
        return base.group(1)
    if re.search(r"(?:^|/)feed/?$", path):
        return "feed"
    if path == "/" and not names:
        return "home"
    if _DATE_ARCHIVE.match(path):
        return "date_archive"
    return None


def choose_canonical(page_url: str, *candidates: str | None,
                     rules: QueryRules = DEFAULT_RULES) -> str:
    """The page's own canonical URL: the first trustworthy candidate, else the page URL.

    A candidate is ignored when it points at another host (syndication does not change
    which article this is) or, from a page that is not itself a listing, at the home page
    or a listing (a misconfigured theme or plugin that would merge every article into one).
    """
    page_is_listing = listing_shape(clean_url(page_url, rules)) is not None
    for candidate in candidates:
        if not candidate or not candidate.startswith(("http://", "https://")):
            continue
        if not same_site(candidate, page_url):
            continue
        cleaned = clean_url(candidate, rules)
        if not page_is_listing and listing_shape(cleaned) is not None:
            continue
        return cleaned
    return clean_url(page_url, rules)
