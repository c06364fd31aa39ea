"""A crawled site, as declared in `sites/<name>.yaml` (or derived from a bare URL).

The file is validated when it is loaded; an error names the file and the field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from cssselect import SelectorError
from lxml.cssselect import CSSSelector
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from crawler.extraction.comment_systems.api import DISQUS_API_URL
from crawler.extraction.comments import CommentMarkup
from crawler.extraction.page import Overrides
from crawler.extraction.page_kind import ArticleUrls
from crawler.extraction.timezones import zone
from crawler.extraction.urls import QueryRules

Discovery = Literal["rest", "sitemap", "feed", "links"]
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]+")
DEFAULT_USER_AGENT = "pressarchive/0.1 (+https://github.com/pressarchive/pressarchive)"


class SiteConfigError(ValueError):
    """A site file that cannot be used; the message names the file and the field."""


def _css(selectors: list[str]) -> list[str]:
    """Selectors that compile, else an error naming the one that does not. Compiled here,
    not run: running skips a selector whose names a page lacks, so it proves nothing."""
    for css in selectors:
        try:
            CSSSelector(css, translator="html")
        except SelectorError as exc:
            raise ValueError(f"not a CSS selector: {css!r} ({exc})") from exc
    return selectors


class CommentSelectors(BaseModel):
    """Where this site prints its reader comments; wins over the built-in comment layouts
    on every page where `container` matches."""

    model_config = ConfigDict(extra="forbid")
    container: list[str] = Field(min_length=1, description="The comment list.")
    item: list[str] = Field(min_length=1, description="One comment, inside the list.")
    author: list[str] = Field(default_factory=list, description="Commenter's name, in a comment.")
    time: list[str] = Field(default_factory=list, description="Comment time (a `datetime` "
                            "attribute is read first, else the text).")
    text: list[str] = Field(default_factory=list, description="Comment text, in a comment.")
    parent: list[str] = Field(
        default_factory=list, description="Element naming the parent comment (`data-parent` or "
        "an `href` ending in its id); default: replies are read from nesting.")
    next_page: list[str] = Field(default_factory=list,
                                 description="Links to the other pages of the comments.")

    _compiles = field_validator("container", "item", "author", "time", "text", "parent",
                                "next_page")(_css)

    def to_markup(self) -> CommentMarkup:
        return CommentMarkup(
            name="site-file", container=tuple(self.container), item=tuple(self.item),
            author=tuple(self.author), time=tuple(self.time),
            text=tuple(self.text) or ("*",), parent=tuple(self.parent),
            next_page=tuple(self.next_page))


class SelectorOverrides(BaseModel):
    """CSS selectors that win over the built-in heuristics for this site."""

    model_config = ConfigDict(extra="forbid")
    title: list[str] = Field(default_factory=list, description="Headline element.")
    authors: list[str] = Field(default_factory=list, description="Byline elements.")
    published: list[str] = Field(default_factory=list, description="Publication date element.")
    body: list[str] = Field(default_factory=list, description="Main text container.")
    remove: list[str] = Field(default_factory=list, description="Elements to drop first.")
    comments: CommentSelectors | None = Field(None, description="The site's comment markup.")

    _compiles = field_validator("title", "authors", "published", "body", "remove")(_css)


class ArticleUrlPatterns(BaseModel):
    """Which URLs of the site are articles, in the site's own words (regular expressions
    searched in the full URL); they win over page understanding."""

    model_config = ConfigDict(extra="forbid")
    include: list[str] = Field(default_factory=list, description="URLs that are articles.")
    exclude: list[str] = Field(default_factory=list,
                               description="URLs that are never articles (checked first).")

    @field_validator("include", "exclude")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from exc
        return patterns

    def to_rules(self) -> ArticleUrls:
        return ArticleUrls(tuple(map(re.compile, self.include)),
                           tuple(map(re.compile, self.exclude)))


class SiteConfig(BaseModel):
    """Everything the crawler needs to know about one site."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short name, used in file names and reports.")
    start_urls: list[str] = Field(min_length=1, description="Where discovery starts.")
    allowed_domains: list[str] = Field(
        default_factory=list, description="Hosts the crawl may fetch; default: start URL hosts.")
    timezone: str | None = Field(
        None, description="IANA zone of local times on the site; default: inferred from its "
        "ISO dates, else UTC with a warning.")
    language: str = Field("en", description="Language of the site, for date parsing.")
    date_order: Literal["DMY", "MDY", "YMD"] | None = Field(
        None, description="Order of numeric dates such as 03/04/2025.")
    discovery: list[Discovery] = Field(
        default_factory=lambda: ["rest", "sitemap", "feed", "links"],
        description="Discovery paths, in order of preference.")
    max_pages: int = Field(5000, ge=1, description="Page budget of one crawl.")
    max_depth: int = Field(6, ge=0, description="Link hops from a start URL.")
    pattern_cap: int = Field(
        40, ge=1, description="Pages per URL pattern (digits ignored): stops calendar and "
        "faceted-navigation traps.")
    recrawl_days: int = Field(
        14, ge=0, description="Articles younger than this are fetched again for new comments.")
    user_agent: str = Field(DEFAULT_USER_AGENT, description="User-Agent header sent.")
    download_delay: float = Field(1.0, ge=0, description="Minimum seconds between requests.")
    concurrency: int = Field(2, ge=1, description="Parallel requests to the site.")
    private_hosts: list[str] = Field(
        default_factory=list, description="Hosts allowed although they resolve to private "
        "addresses (the start URL hosts always are).")
    query_allowlist: list[str] | None = Field(
        None, description="When set, the only query parameters kept in URLs (faceted "
        "navigation); default: every parameter but those known to carry no content.")
    query_keep: list[str] = Field(
        default_factory=list, description="Query parameters that name content on this site "
        "although the built-in rules would strip them (e.g. `sid` holding a story id that "
        "looks like a session token, `ref` holding an article reference).")
    query_drop: list[str] = Field(
        default_factory=list, description="Query parameters that carry no content on this "
        "site, stripped on top of the built-in tracking and session ids (e.g. `sort`).")
    selectors: SelectorOverrides = Field(default_factory=SelectorOverrides)
    article_urls: ArticleUrlPatterns = Field(default_factory=ArticleUrlPatterns)
    disqus_api_key: str | None = Field(
        None, description="Public key of a Disqus API application: with it, comments that "
        "pages load from Disqus are archived through the Disqus API; without it they are "
        "counted in the run report, not archived.")
    disqus_forum: str | None = Field(
        None, description="The site's Disqus forum (shortname), for pages that load Disqus "
        "from a script file of their own instead of naming the forum.")
    disqus_api_url: str = Field(
        DISQUS_API_URL, description="Where the Disqus API answers (a proxy, or a local "
        "stand-in in tests).")

    def overrides(self) -> Overrides:
        """What the site file says about its pages, for extraction."""
        chosen = self.selectors
        return Overrides(tuple(chosen.title), tuple(chosen.authors), tuple(chosen.published),
                         tuple(chosen.body), tuple(chosen.remove),
                         chosen.comments.to_markup() if chosen.comments else None,
                         self.article_urls.to_rules())

    @field_validator("start_urls")
    @classmethod
    def _http_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @field_validator("disqus_api_url")
    @classmethod
    def _http_api(cls, url: str) -> str:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        return url

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        if name is not None:
            zone(name)
        return name

    @field_validator("query_allowlist", "query_keep", "query_drop")
    @classmethod
    def _parameter_names(cls, names: list[str] | None) -> list[str] | None:
        if names is None:
            return None
        for name in names:
            if not _PARAMETER_NAME.fullmatch(name):
                raise ValueError(f"not a query parameter name: {name!r}")
        return [n.lower() for n in names]

    @model_validator(mode="after")
    def _consistent_query_rules(self) -> SiteConfig:
        both = sorted(set(self.query_keep) & set(self.query_drop))
        if both:
            raise ValueError(f"query_keep and query_drop both name: {', '.join(both)}")
        if self.query_allowlist is not None:
            outside = sorted(set(self.query_keep) - set(self.query_allowlist))
            if outside:
                raise ValueError("query_keep names parameters that query_allowlist drops: "
                                 + ", ".join(outside))
        return self

    @model_validator(mode="after")
    def _default_domains(self) -> SiteConfig:
        if not self.allowed_domains:
            self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_urls})
        return self

    @property
    def query_rules(self) -> QueryRules:
        only = frozenset(self.query_allowlist) if self.query_allowlist is not None else None
        return QueryRules(frozenset(self.query_keep), frozenset(self.query_drop), only)

    @property
    def start_hosts(self) -> set[str]:
        return {urlsplit(u).hostname or "" for u in self.start_urls}


def load_site(path: str | Path) -> SiteConfig:
    """Load and validate a site file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SiteConfigError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise SiteConfigError(f"{path}: expected a mapping of settings")
    data.setdefault("name", path.stem)
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise SiteConfigError(f"{path}: {where}: {first['msg']}") from exc


def site_from_urls(urls: list[str]) -> SiteConfig:
    """A site with default settings for start URLs given on the command line."""
    host = urlsplit(urls[0]).hostname or "site"
    return SiteConfig(name=host.removeprefix("www."), start_urls=urls)


def load_sites(directory: str | Path) -> list[SiteConfig]:
    """Every `*.yaml` site file of a directory, sorted by name."""
    return [load_site(p) for p in sorted(Path(directory).glob("*.y*ml"))]
