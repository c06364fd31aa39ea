"""Article metadata from structured data: JSON-LD, OpenGraph and `article:*` meta, microdata.

Each source fills a `Metadata`; `merge` keeps, field by field, the first source that has
a value, so structured data wins over the page-layout heuristics in `selectors.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.document import text_of

ARTICLE_TYPES = frozenset({
    "Article", "NewsArticle", "BlogPosting", "OpinionNewsArticle", "ReportageNewsArticle",
    "AnalysisNewsArticle", "Report", "ScholarlyArticle", "LiveBlogPosting", "WebPage",
})


@dataclass
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    canonical: str | None = None
    og_url: str | None = None
    body: str | None = None
    is_article: bool = False
    page_type: str | None = None  # og:type, when the page states one


def merge(*sources: Metadata) -> Metadata:
    """Field by field, the first source with a value."""
    merged = Metadata()
    for f in fields(Metadata):
        for source in sources:
            value = getattr(source, f.name)
            if value:
                setattr(merged, f.name, value)
                break
    return merged


def json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, `@graph` members included; broken blocks skipped."""
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])


def object_types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    return {value} if isinstance(value, str) else set(value)


def article_json_ld(tree: HtmlElement) -> dict[str, Any] | None:
    """The page's JSON-LD article object, if it has one."""
    for obj in json_ld_objects(tree):
        if object_types(obj) & (ARTICLE_TYPES - {"WebPage"}):
            return obj
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    return []


def _resolve_refs(value: Any, nodes: dict[str, dict[str, Any]]) -> Any:
    """Replace `{"@id": …}` references (Yoast-style graphs) by the nodes they name."""
    if isinstance(value, list):
        return [_resolve_refs(v, nodes) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return nodes.get(value["@id"], value)
    return value


def from_json_ld(tree: HtmlElement) -> Metadata:
    obj = article_json_ld(tree)
    if obj is None:
        return Metadata()
    nodes = {o["@id"]: o for o in json_ld_objects(tree) if isinstance(o.get("@id"), str)}
    obj = {key: _resolve_refs(value, nodes) for key, value in obj.items()}
    section = obj.get("articleSection")
    entity = obj.get("mainEntityOfPage")
    url = obj.get("url") or (entity.get("@id") if isinstance(entity, dict) else entity)
    return Metadata(
        title=_str(obj.get("headline") or obj.get("name")),
        authors=_names(obj.get("author")),
        published=_str(obj.get("datePublished") or obj.get("dateCreated")),
        modified=_str(obj.get("dateModified")),
        section=_str(section[0] if isinstance(section, list) and section else section),
        tags=_keywords(obj.get("keywords")),
        language=_str(obj.get("inLanguage")),
        og_url=_str(url),
        body=_str(obj.get("articleBody")),
        is_article=True,
    )


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def split_names(value: str) -> list[str]:
    """Bylines written as one string: "A, B and C" → ["A", "B", "C"]."""
    return [name for name in _NAME_SEPARATORS.split(value.strip()) if name]


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


_META_TAGS = etree.XPath("//meta[@content][@property or @name or @itemprop]")


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> content by its property or name (lower-cased), in page order."""
    found: dict[str, list[str]] = {}
    for el in _META_TAGS(tree):
        content = (el.get("content") or "").strip()
        key = el.get("property") or el.get("name") or el.get("itemprop")
        if content and key:
            found.setdefault(key.strip().lower(), []).append(content)
    return found


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def from_meta(tree: HtmlElement) -> Metadata:
    """OpenGraph, `article:*`, Dublin Core and <link rel=canonical>."""
    found = _meta_values(tree)

    def _meta(_: HtmlElement, *names: str) -> list[str]:
        return [value for name in names for value in found.get(name.lower(), ())]

    canonical = tree.xpath("//link[@rel='canonical']/@href")
    og_type = _first(_meta(tree, "og:type")) or ""
    return Metadata(
        title=_first(_meta(tree, "og:title", "twitter:title", "dc.title")) or document_title(tree),
        authors=[name for value in _meta(tree, "article:author", "author", "dc.creator")
                 if not value.startswith("http") for name in split_names(value)],
        published=_first(_meta(tree, "article:published_time", "datePublished",
                                "dc.date", "pubdate", "date")),
        modified=_first(_meta(tree, "article:modified_time", "og:updated_time", "dateModified")),
        section=_first(_meta(tree, "article:section")),
        tags=_meta(tree, "article:tag") or _keywords(_meta(tree, "news_keywords", "keywords")),
        language=_first(_meta(tree, "og:locale", "content-language"))
        or tree.get("lang") or tree.get("xml:lang"),
        canonical=canonical[0].strip() if canonical else None,
        og_url=_first(_meta(tree, "og:url")),
        is_article=og_type == "article",
        page_type=og_type or None,
    )


_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\u2013\u2014\u00bb\u00b7-]|::)\s+")


def document_title(tree: HtmlElement) -> str | None:
    """The `<title>` without the site's name: of the parts between spaced separators
    ("Harbour plan | The Ledger", "The Ledger - Harbour plan"), the longest."""
    raw = " ".join("".join(tree.xpath("//head/title//text()")).split())
    if not raw:
        return None
    return max(_TITLE_SEPARATOR.split(raw), key=len).strip() or None


def from_microdata(tree: HtmlElement) -> Metadata:
    """schema.org Article microdata (`itemprop` inside an Article `itemscope`)."""
    scopes = tree.xpath(
        "//*[@itemscope and (contains(@itemtype,'Article') or contains(@itemtype,'BlogPosting'))]"
    )
    if not scopes:
        return Metadata()
    scope = scopes[0]

    def prop(name: str) -> list[HtmlElement]:
        return scope.xpath(
            f".//*[@itemprop='{name}'][not(ancestor::*[contains(@itemtype,'Comment')])]"
        )

    def value(el: HtmlElement) -> str:
        return (el.get("content") or el.get("datetime") or text_of(el)).strip()

    authors = []
    for el in prop("author"):
        names = el.xpath(".//*[@itemprop='name']")
        authors.append(value(names[0]) if names else value(el))
    return Metadata(
        title=next((value(e) for e in prop("headline")), None),
        authors=[a for a in authors if a],
        published=next((value(e) for e in prop("datePublished")), None),
        modified=next((value(e) for e in prop("dateModified")), None),
        is_article=True,
    )
