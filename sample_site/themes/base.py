"""What every theme shares: the render context, comment paging, escaping, `<head>` metadata."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sample_site.model import Article, Comment, Link, Site, slugify
from sample_site.timefmt import iso_local

NBSP = "\xa0"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def esc_text(text: str) -> str:
    """Escape for element content; non-breaking spaces become `&nbsp;` as editors write them."""
    return html.escape(text, quote=False).replace(NBSP, "&nbsp;")


@dataclass(frozen=True)
class RenderContext:
    """What a theme needs besides the article: the site, where it is served, link decoration."""

    site: Site
    base_url: str
    session: Callable[[str], str] | None = None
    """Decorates internal links (the `session_ids` fault); None leaves them alone."""
    home_links: tuple[tuple[str, str], ...] = field(default=())
    """(label, path) links shown on the home page only (route faults)."""

    def url(self, path: str) -> str:
        """Absolute URL of a site path; absolute URLs pass through."""
        return path if "://" in path else self.base_url + path

    def link(self, path: str) -> str:
        """Absolute URL for an internal link, session-decorated when the fault is on."""
        url = self.url(path)
        if self.session and url.startswith(self.base_url):
            return self.session(url)
        return url

    @property
    def comment_anchor(self) -> str:
        return "c-" if self.site.theme == "structured" else "comment-"


@dataclass(frozen=True)
class ArticleView:
    """One rendering of an article: which comment page and which canonical URL."""

    article: Article
    canonical: str
    comment_page: int = 1
    comment_pages: int = 1
    threads: tuple[Comment, ...] = ()
    """Top-level comments shown on this page (their replies come with them)."""


def comment_pages(site: Site, article: Article) -> list[tuple[Comment, ...]]:
    """Top-level threads per comment page, oldest first (always at least one page)."""
    threads = article.top_level_comments()
    per_page = site.comments_per_page
    if per_page <= 0 or site.theme == "print" or article.fault or not threads:
        return [threads]
    return [threads[i : i + per_page] for i in range(0, len(threads), per_page)]


def comment_page_path(article: Article, page: int) -> str:
    return f"{article.path}comment-page-{page}/"


def comment_url(ctx: RenderContext, article: Article, comment: Comment) -> str:
    """Where a comment is shown: its comment page's URL and the comment's anchor."""
    by_id = {c.comment_id: c for c in article.comments}
    top = comment
    while top.parent_id is not None:
        top = by_id[top.parent_id]
    pages = comment_pages(ctx.site, article)
    page = next(i for i, threads in enumerate(pages, start=1) if top in threads)
    path = article.path if page == 1 else comment_page_path(article, page)
    return f"{ctx.url(path)}#{ctx.comment_anchor}{comment.comment_id}"


def article_view(
    ctx: RenderContext, article: Article, page: int = 1, canonical: str = ""
) -> ArticleView:
    pages = comment_pages(ctx.site, article)
    if not 1 <= page <= len(pages):
        raise IndexError(page)
    if not canonical:
        canonical = ctx.url(article.path)
        if page > 1:
            canonical = ctx.url(comment_page_path(article, page)) + "#comments"
    return ArticleView(article, canonical, page, len(pages), pages[page - 1])


def excerpt(article: Article, words: int = 55) -> str:
    tokens = article.text.split()
    if len(tokens) <= words:
        return " ".join(tokens)
    return " ".join(tokens[:words]) + " […]"


def paragraph_html(ctx: RenderContext, text: str, links: Iterable[Link]) -> str:
    """A paragraph's inner HTML, with its links wrapped around their anchor text."""
    out = esc_text(text)
    for link in links:
        anchor = esc_text(link.text)
        tag = f'<a href="{esc(ctx.url(link.href))}">{anchor}</a>'
        out = out.replace(anchor, tag, 1)
    return out


def body_paragraphs(ctx: RenderContext, article: Article) -> str:
    return "\n".join(
        f"<p>{paragraph_html(ctx, p, (k for k in article.links if k.paragraph == i))}</p>"
        for i, p in enumerate(article.paragraphs)
    )


def comment_paragraphs(comment: Comment) -> str:
    return "\n".join(f"<p>{esc_text(p)}</p>" for p in comment.paragraphs)


def author_path(name: str) -> str:
    return f"/author/{slugify(name)}/"


def category_path(name: str) -> str:
    return f"/category/{slugify(name)}/"


def tag_path(name: str) -> str:
    return f"/tag/{slugify(name)}/"


def avatar(name: str, size: int = 60) -> str:
    digest = hashlib.md5(name.lower().encode(), usedforsecurity=False).hexdigest()
    src = f"https://secure.gravatar.com/avatar/{digest}?s={size}&amp;d=mm&amp;r=g"
    return (
        f'<img alt="" src="{src}" class="avatar avatar-{size} photo" '
        f'height="{size}" width="{size}" loading="lazy">'
    )


def meta_tags(pairs: Iterable[tuple[str, str]]) -> str:
    lines = []
    for key, value in pairs:
        attr = "property" if key.startswith(("og:", "article:")) else "name"
        lines.append(f'<meta {attr}="{key}" content="{esc(value)}">')
    return "\n".join(lines)


def article_meta(ctx: RenderContext, view: ArticleView) -> list[tuple[str, str]]:
    """OpenGraph and `article:*` metadata, times in ISO 8601 with the local offset."""
    a, zone = view.article, ctx.site.tz
    pairs = [
        ("description", excerpt(a, 30)),
        ("author", ", ".join(a.authors)),
        ("og:locale", "en_US"),
        ("og:type", "article"),
        ("og:title", a.title),
        ("og:description", excerpt(a, 30)),
        ("og:url", view.canonical),
        ("og:site_name", ctx.site.name),
        ("article:published_time", iso_local(a.published, zone)),
    ]
    if a.modified:
        pairs.append(("article:modified_time", iso_local(a.modified, zone)))
        pairs.append(("og:updated_time", iso_local(a.modified, zone)))
    pairs.append(("article:section", a.section))
    pairs.extend(("article:tag", t) for t in a.tags)
    pairs.append(("twitter:card", "summary_large_image"))
    return pairs


def head(
    ctx: RenderContext,
    *,
    title: str,
    canonical: str,
    meta: Iterable[tuple[str, str]] = (),
    extra: str = "",
) -> str:
    base = ctx.base_url
    rest = ""
    if ctx.site.rest_api:
        rest = f'<link rel="https://api.w.org/" href="{base}/wp-json/">\n'
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc_text(title)}</title>
<link rel="canonical" href="{esc(canonical)}">
{meta_tags(meta)}
<link rel="alternate" type="application/rss+xml" title="{esc(ctx.site.name)} &raquo; Feed"
 href="{base}/feed/">
{rest}<link rel="stylesheet" id="theme-style-css"
 href="{base}/wp-content/themes/{ctx.site.theme}/style.css?ver=1.4" media="all">
<script src="{base}/wp-includes/js/jquery/jquery.min.js?ver=3.6.0" id="jquery-core-js"></script>
{extra}
</head>"""


def document(head_html: str, body_class: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US">
{head_html}
<body class="{body_class}">
{body}
</body>
</html>
"""
