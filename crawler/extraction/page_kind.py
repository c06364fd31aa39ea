"""Page understanding: is this page one article, or something else the crawl passes through?

Home pages, paged listings, date, category, tag, author and search archives, CMS pages,
attachments, password-protected posts and soft 404s are fetched while crawling, never
archived. Every signal a real page gives is read, strongest first: the site file's own URL
patterns, a password form, the body classes by which WordPress, Ghost, Drupal and Joomla
name the template they rendered (`cms_templates`), structured data types, OpenGraph's
`og:type`, how many posts the page lists, the URL's shape, whether the page has an article
layout with a date, and finally the length of its text. The answer names the deciding
signal, which the run report counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from crawler.extraction.cms_templates import SYSTEMS
from crawler.extraction.document import select, text_of
from crawler.extraction.metadata import Metadata, json_ld_objects, object_types

ARTICLE = "article"

NOT_ARTICLE_TYPES = {
    "CollectionPage": "listing", "SearchResultsPage": "search", "ProfilePage": "listing",
    "AboutPage": "cms_page", "ContactPage": "cms_page", "FAQPage": "cms_page",
    "CheckoutPage": "cms_page",
}
WEAK_OG_TYPES = frozenset({"website", "profile", "product", "book"})
"""`og:type`s that many sites also give their articles: they only ask for a longer text."""
PASSWORD_FORMS = ("form.post-password-form", "form[action*='postpass']",
                  ".post-password-required")
LISTING_ITEMS = ("article", ".hentry", ".type-post", "[itemtype*='schema.org/BlogPosting']",
                 ".wp-block-post")
LISTING_MIN = 3
LISTING_PATHS = re.compile(
    r"^/(?:page/\d+/?|(?:category|tag|tags|topics?|author|authors|section|search)(?:/.*)?|"
    r"(?:archives?/?)?(?:\d{4}/?(?:\d{1,2}/?(?:\d{1,2}/?)?)?)?(?:page/\d+/?)?)$",
    re.IGNORECASE)
DATED_PERMALINK = re.compile(
    r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?"
    r"[^/]*[a-z][^/]*-[^/]+/?$", re.IGNORECASE)
"""A post's permalink: year, month (and day), then a slug of words."""
NOT_FOUND_TITLES = re.compile(
    r"\b(?:page not found|not found|nothing (?:was )?found|404|seite nicht gefunden|"
    r"page introuvable|no encontrada)\b", re.IGNORECASE)
ARTICLE_LAYOUT = ("article .entry-content", ".hentry .entry-content", ".type-post .entry-content",
                  "[itemprop=articleBody]", ".post-content", ".story-body",
                  ".wp-block-post-content", ".post-body", ".article-body")


MIN_DATED_TEXT = 250
MIN_UNDATED_TEXT = 1000
MIN_LETTER_SHARE = 0.5
MAX_BROKEN_SHARE = 0.01


@dataclass(frozen=True)
class PageKind:
    reason: str
    """`article`, or why the page is not one (`listing`, `cms_page`, `search`, ...)."""
    signal: str
    """What decided it: `site_file`, `password_form`, `wordpress`, `json_ld`, `og_type`,
    `listing_items`, `url`, `layout`."""

    @property
    def is_article(self) -> bool:
        return self.reason == ARTICLE


@dataclass(frozen=True)
class ArticleUrls:
    """A site file's own word on which URLs are articles (regular expressions)."""

    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()


def classify(tree: HtmlElement, url: str, meta: Metadata,
             rules: ArticleUrls = ArticleUrls()) -> PageKind | None:
    """What the page's markup, structured data and URL say; None when none of them
    decides, and the text must (`by_content`)."""
    decided = (_site_file(url, rules) or _password(tree) or _cms(tree)
               or _structured(tree, meta) or _listing(tree) or _url(url))
    if decided:
        return decided
    if any(select(tree, css) for css in ARTICLE_LAYOUT) and meta.published:
        return PageKind(ARTICLE, "layout")
    return _soft_404(tree)


def by_content(text: str, meta: Metadata, *, has_comments: bool, url: str = "") -> PageKind:
    """A page no signal decided: an article when its text is long enough for what else it
    shows. A date, reader comments or a dated permalink (`/2012/10/slug.html`) make a
    shorter text enough; an `og:type` that is not `article` asks for a longer one."""
    dated = meta.published or has_comments or DATED_PERMALINK.search(urlsplit(url).path)
    needed = MIN_DATED_TEXT if dated else MIN_UNDATED_TEXT
    if meta.page_type in WEAK_OG_TYPES:
        needed *= 2
    if not readable(text):
        return PageKind("unreadable_text" if text else "no_text", "text")
    if len(text) >= needed:
        return PageKind(ARTICLE, "text")
    return PageKind("too_little_text", "text")


def readable(text: str) -> bool:
    """Text a person wrote, not bytes read as text: mostly letters, few replacement or
    control characters."""
    if not text:
        return False
    sample = text[:5000]
    letters = sum(c.isalpha() for c in sample)
    broken = sum(c == "\ufffd" or (c < " " and c not in "\n\t") for c in sample)
    visible = sum(not c.isspace() for c in sample) or 1
    return letters / visible >= MIN_LETTER_SHARE and broken / visible <= MAX_BROKEN_SHARE


def _site_file(url: str, rules: ArticleUrls) -> PageKind | None:
    if any(p.search(url) for p in rules.exclude):
        return PageKind("excluded_by_site_file", "site_file")
    if any(p.search(url) for p in rules.include):
        return PageKind(ARTICLE, "site_file")
    return None


def _password(tree: HtmlElement) -> PageKind | None:
    if any(select(tree, css) for css in PASSWORD_FORMS):
        return PageKind("password_protected", "password_form")
    return None


def _cms(tree: HtmlElement) -> PageKind | None:
    """The template a content management system says it rendered (WordPress, Ghost,
    Drupal, Joomla: `cms_templates`), on a page that carries that system's marks."""
    body = tree.find("body")
    classes = set(body.classes) if body is not None else set()
    if not classes:
        return None
    for system in SYSTEMS:
        marked = any(c.startswith(system.mark_classes) for c in classes) if (
            system.mark_classes) else False
        if not marked and not any(select(tree, css) for css in system.marks):
            continue
        for css_class, reason in system.not_article:
            if css_class in classes:
                return PageKind(reason, system.name)
        if any(c == a or (a.endswith("-") and c.startswith(a))
               for c in classes for a in system.article):
            return PageKind(ARTICLE, system.name)
        return None
    return None


def _structured(tree: HtmlElement, meta: Metadata) -> PageKind | None:
    types = {t for obj in json_ld_objects(tree) for t in object_types(obj)}
    if meta.is_article and len(_listed_posts(tree)) < LISTING_MIN:
        return PageKind(ARTICLE, "json_ld" if types else "og_type")
    for name, reason in NOT_ARTICLE_TYPES.items():
        if name in types:
            return PageKind(reason, "json_ld")
    return None


def _listed_posts(tree: HtmlElement) -> list[HtmlElement]:
    """Posts the page lists, each with a heading of its own: several make a listing."""
    items = [el for css in LISTING_ITEMS for el in select(tree, css)]
    unique = set(items)
    outer = [el for el in dict.fromkeys(items) if not any(a in unique for a in el.iterancestors())]
    return [el for el in outer if el.xpath(".//*[self::h1 or self::h2 or self::h3]//a[@href]")]


def _listing(tree: HtmlElement) -> PageKind | None:
    if len(_listed_posts(tree)) >= LISTING_MIN:
        return PageKind("listing", "listing_items")
    return None


def _url(url: str) -> PageKind | None:
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        return PageKind("listing", "url")
    if LISTING_PATHS.match(parts.path) or re.search(r"(?:^|&)s=", parts.query):
        return PageKind("listing", "url")
    return None


def _soft_404(tree: HtmlElement) -> PageKind | None:
    title = tree.find(".//title")
    if title is not None and NOT_FOUND_TITLES.search(text_of(title)):
        return PageKind("not_found", "title")
    return None
