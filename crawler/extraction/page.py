"""The extraction entry point: one fetched page (HTML and URL) to an article and its comments.

Used by the spider, by `pressarchive extract` and by `pressarchive reprocess`; it needs no
reactor and no network, so it is tested on saved pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction import body, comments, metadata, selectors
from crawler.extraction.dates import DateResolver, _parse_iso
from crawler.extraction.document import decode, parse, select, text_of
from crawler.extraction.records import ExtractedArticle, ExtractedPage
from crawler.extraction.timezones import infer_timezone
from crawler.extraction.urls import (
    article_id,
    choose_canonical,
    clean_url,
    comment_page_number,
    site_of,
)

# Print layouts' "Posted By A On <date> In <section>" lines, found without reading every block.
_BYLINE_CANDIDATES = etree.XPath(
    "//*[self::p or self::div or self::span][text()[starts-with(translate(normalize-space(.),"
    " 'POSTEDBY', 'postedby'), 'posted by')]]")

@dataclass(frozen=True)
class Overrides:
    """Per-site CSS selectors that win over the built-in heuristics (from the site file)."""

    title: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass
class PageContext:
    """What extraction knows besides the page: when it was fetched, the site's settings."""

    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    timezone: str | None = None
    languages: tuple[str, ...] = ("en",)
    date_order: str | None = None
    overrides: Overrides = field(default_factory=Overrides)
    formats: list[str] = field(default_factory=list)  # date formats learnt on this site


def extract_page(
    html: str | bytes,
    url: str,
    context: PageContext | None = None,
    *,
    content_type: str | None = None,
) -> ExtractedPage:
    """Extract the article and the comments of one page."""
    context = context or PageContext()
    source = decode(html, content_type) if isinstance(html, bytes) else html
    tree = parse(source)
    meta = metadata.merge(
        _from_overrides(tree, context.overrides),
        metadata.from_json_ld(tree),
        metadata.from_meta(tree),
        metadata.from_microdata(tree),
        _from_layout(tree),
    )
    timezone = context.timezone or infer_timezone(_iso_dates(tree, meta))
    resolver = DateResolver(timezone, context.fetched_at, languages=context.languages,
                            date_order=context.date_order, formats=context.formats)
    canonical = choose_canonical(url, meta.canonical, meta.og_url)
    aid = article_id(canonical)
    is_article = _looks_like_article(tree, meta)
    read = comments.extract_comments(tree)
    more_pages = _comment_pages(tree, url)
    body.drop(read.regions)
    article = ExtractedArticle(
        article_id=aid,
        url=canonical,
        site=site_of(canonical),
        title=meta.title,
        authors=_unique(meta.authors),
        published=resolver.resolve(meta.published),
        modified=resolver.resolve(meta.modified),
        language=_language(meta.language),
        section=meta.section,
        tags=_unique(meta.tags),
        text=_text(tree, meta, context.overrides),
        is_article=is_article,
    )
    found = comments.finish(read.comments, aid, resolver, comment_page_number(url),
                            layout=read.layout)
    warnings = [] if timezone else ["no timezone known for local times: read as UTC"]
    return ExtractedPage(article, found, more_pages, timezone, warnings)


def _from_overrides(tree: HtmlElement, overrides: Overrides) -> metadata.Metadata:
    def first(css: tuple[str, ...]) -> str | None:
        for selector in css:
            for el in select(tree, selector):
                value = el.get("datetime") or el.get("content") or text_of(el)
                if value:
                    return value
        return None

    authors = [text_of(el) for css in overrides.authors for el in select(tree, css)]
    return metadata.Metadata(title=first(overrides.title), authors=[a for a in authors if a],
                             published=first(overrides.published))


def _from_layout(tree: HtmlElement) -> metadata.Metadata:
    """Heuristics over common theme markup: headline, byline, <time>, print bylines."""
    def first_text(css: tuple[str, ...]) -> str | None:
        for selector in css:
            for el in select(tree, selector):
                if text_of(el):
                    return text_of(el)
        return None

    published = None
    for selector in selectors.PUBLISHED:
        for el in select(tree, selector):
            published = el.get("datetime") or text_of(el)
            break
        if published:
            break
    layout = metadata.Metadata(title=first_text(selectors.TITLE), published=published)
    for selector in selectors.AUTHOR:
        names = [text_of(el) for el in select(tree, selector) if text_of(el)]
        if names:
            layout.authors = names
            break
    for el in _BYLINE_CANDIDATES(tree):
        match = selectors.PLAIN_BYLINE.match(text_of(el))
        if match:
            layout.authors = layout.authors or [match["author"]]
            layout.published = layout.published or match["date"]
            layout.section = match["section"]
            break
    return layout


def _iso_dates(tree: HtmlElement, meta: metadata.Metadata) -> list[datetime]:
    candidates = [meta.published, meta.modified, *tree.xpath("//time/@datetime"),
                  *tree.xpath("//*[@itemprop='dateCreated']/@content")]
    parsed = (_parse_iso(c.strip()) for c in candidates if c)
    return [d for d in parsed if d is not None and d.tzinfo is not None]


def _text(tree: HtmlElement, meta: metadata.Metadata, overrides: Overrides) -> str:
    if overrides.remove:
        tree = body.without(tree, overrides.remove)
    text = body.main_text(tree, overrides.body).text
    if len(text) < body.MIN_BODY_CHARS and meta.body and len(meta.body) > len(text):
        return meta.body
    return text


def _language(value: str | None) -> str | None:
    if not value:
        return None
    return value.replace("_", "-").split("-")[0].lower() or None


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _looks_like_article(tree: HtmlElement, meta: metadata.Metadata) -> bool:
    """Structured data decides; without it, an article layout with a publication date."""
    if meta.is_article:
        return True
    if meta.page_type:
        return False
    layout = any(select(tree, css) for css in selectors.ARTICLE_LAYOUT)
    return layout and bool(meta.published)


def _comment_pages(tree: HtmlElement, url: str) -> list[str]:
    """Other comment pages of this article linked from this one (`…/comment-page-N/`),
    wherever the theme puts the links; comment pages of other articles are left out."""
    article = clean_url(url)
    pages: dict[str, None] = {}
    for href in tree.xpath("//a/@href | //link[@rel='next' or @rel='prev']/@href"):
        if "comment-page-" not in href:
            continue
        absolute = urlunsplit(urlsplit(urljoin(url, href))._replace(query="", fragment=""))
        if clean_url(absolute) == article:
            pages.setdefault(absolute, None)
    return [p for p in pages if p != url.split("#")[0]]
