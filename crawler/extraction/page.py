"""The extraction entry point: one fetched page (HTML and URL) to an article and its comments.

Used by the spider, by `pressarchive extract` and by `pressarchive reprocess`; it needs no
reactor and no network, so it is tested on saved pages.

The order matters: comments are read first, so that their sections can be taken out of
the page before the article's own fields are read (a comment's date is never the post's,
a comment's text never part of the body); the layout's page object and structured data
then give the fields, and `page_kind` says whether the page is an article at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml.html import HtmlElement

from crawler.extraction import body, comment_systems, comments, metadata
from crawler.extraction.comments import CommentMarkup
from crawler.extraction.dates import DateResolver, _parse_iso
from crawler.extraction.document import decode, parse, select, text_of
from crawler.extraction.layouts import read_layout
from crawler.extraction.page_kind import ArticleUrls, by_content, classify
from crawler.extraction.post_parts import post_parts
from crawler.extraction.records import ExtractedArticle, ExtractedPage
from crawler.extraction.timezones import infer_timezone
from crawler.extraction.urls import (
    DEFAULT_RULES,
    QueryRules,
    article_id,
    choose_canonical,
    clean_url,
    comment_page_link,
    comment_page_number,
    site_of,
)


@dataclass(frozen=True)
class Overrides:
    """Per-site CSS selectors that win over the built-in heuristics (from the site file)."""

    title: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    comments: CommentMarkup | None = None
    article_urls: ArticleUrls = field(default_factory=ArticleUrls)


@dataclass
class PageContext:
    """What extraction knows besides the page: when it was fetched, the site's settings."""

    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    timezone: str | None = None
    timezone_flag: str | None = None  # date flag of local times read in a guessed zone
    languages: tuple[str, ...] = ("en",)
    date_order: str | None = None
    overrides: Overrides = field(default_factory=Overrides)
    formats: list[str] = field(default_factory=list)  # date formats learnt on this site
    query_rules: QueryRules = DEFAULT_RULES  # which query parameters name content on the site


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
    embeds = comment_systems.detect(tree, url, source)  # before comment regions are dropped
    overrides = context.overrides
    read = comments.extract_comments(tree, overrides.comments)
    more_pages = _comment_pages(tree, url, read.next_pages, context.query_rules)
    body.drop(read.regions)
    if overrides.remove:
        body.drop(el for css in overrides.remove for el in select(tree, css))
    layout = read_layout(tree)
    meta = _metadata(tree, layout.metadata, overrides)
    decided = classify(tree, url, meta, overrides.article_urls)
    timezone = context.timezone or infer_timezone(
        _iso_dates(tree, meta), [meta.language or "", *tree.xpath("/html/@lang")])
    resolver = DateResolver(timezone, context.fetched_at, languages=context.languages,
                            date_order=context.date_order, formats=context.formats,
                            zone_flag=context.timezone_flag)
    parts = post_parts(tree, url)
    if parts.first:  # a later part of a post: the article is the first part's
        canonical = choose_canonical(parts.first, parts.first, rules=context.query_rules)
        read.comments = []
    else:
        canonical = choose_canonical(url, meta.canonical, meta.og_url, rules=context.query_rules)
    aid = article_id(canonical, context.query_rules)
    text = _text(tree, meta, overrides.body, layout.body)
    kind = decided or by_content(text, meta, has_comments=bool(read.comments), url=url)
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
        text=text,
        is_article=kind.is_article,
        layout=layout.layout,
        comment_count_stated=read.stated,
        comment_system=comment_systems.comment_system(embeds, bool(read.comments)),
    )
    found = comments.finish(read.comments, aid, resolver, comment_page_number(url),
                            layout=read.layout)
    warnings = [] if timezone else ["no timezone known for local times: read as UTC"]
    return ExtractedPage(article, found, [] if parts.first else more_pages, timezone, warnings,
                         kind=kind, post_part=parts.number, post_parts=parts.others,
                         embeds=embeds)


def _metadata(tree: HtmlElement, layout: metadata.Metadata,
              overrides: Overrides) -> metadata.Metadata:
    """Field by field: the site file's selectors, then JSON-LD, then the layout's page
    object, then microdata and meta tags. A date stated with its offset wins over one
    written as text."""
    sources = (_from_overrides(tree, overrides), metadata.from_json_ld(tree), layout,
               metadata.from_microdata(tree), metadata.from_meta(tree))
    merged = metadata.merge(*sources)
    for name in ("published", "modified"):
        current = getattr(merged, name)
        if getattr(sources[0], name) or (current and _parse_iso(current.strip())):
            continue
        exact = next((v for source in sources
                      if (v := getattr(source, name)) and _parse_iso(v.strip())), None)
        if exact:
            setattr(merged, name, exact)
    return merged


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


def _iso_dates(tree: HtmlElement, meta: metadata.Metadata) -> list[datetime]:
    candidates = [meta.published, meta.modified, *tree.xpath("//time/@datetime"),
                  *tree.xpath("//*[@itemprop='dateCreated']/@content")]
    parsed = (_parse_iso(c.strip()) for c in candidates if c)
    return [d for d in parsed if d is not None and d.tzinfo is not None]


def _text(tree: HtmlElement, meta: metadata.Metadata, declared: tuple[str, ...],
          layout: tuple[str, ...]) -> str:
    text = body.main_text(tree, declared, layout).text
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


def _comment_pages(tree: HtmlElement, url: str, next_pages: list[str],
                   rules: QueryRules) -> list[str]:
    """Other comment pages of this article linked from this one (`…/comment-page-N/`,
    `?cpage=N`, the comment layout's own pagination), wherever the theme puts the links;
    comment pages of other articles are left out."""
    article = clean_url(url, rules)
    hrefs = [*next_pages, *(h for h in tree.xpath(_PAGE_LINKS) if _COMMENT_PAGE_HINT.search(h))]
    pages: dict[str, None] = {}
    for href in hrefs:
        absolute = urlunsplit(urlsplit(urljoin(url, href))._replace(fragment=""))
        if comment_page_number(absolute) == 1 and href not in next_pages:
            continue
        if clean_url(absolute, rules) == article:
            pages.setdefault(comment_page_link(absolute, rules), None)
    here = comment_page_link(url, rules)
    return [p for p in pages if p != here]


_PAGE_LINKS = "//a/@href | //link[@rel='next' or @rel='prev']/@href"
_COMMENT_PAGE_HINT = re.compile(r"comment-page-|cpage=", re.IGNORECASE)
