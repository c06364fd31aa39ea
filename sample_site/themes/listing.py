"""Home and archive listings: 10 articles a page, "Older posts" links with rel=next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import ceil

from sample_site.model import Article
from sample_site.themes.base import (
    RenderContext,
    author_path,
    document,
    esc_text,
    excerpt,
    head,
)
from sample_site.themes.chrome import footer, home_links_block, sidebar, site_header
from sample_site.timefmt import iso_local, wp_date

PER_PAGE = 10


@dataclass(frozen=True)
class Listing:
    """A paginated list of articles: the home page or an archive (author, category, tag)."""

    title: str
    base_path: str
    articles: tuple[Article, ...]
    page: int = 1
    heading: str = ""
    """Archive heading ("Category: Politics"); empty on the home page."""

    @property
    def total_pages(self) -> int:
        return max(1, ceil(len(self.articles) / PER_PAGE))

    @property
    def items(self) -> tuple[Article, ...]:
        start = (self.page - 1) * PER_PAGE
        return self.articles[start : start + PER_PAGE]

    def page_path(self, page: int) -> str:
        return self.base_path if page == 1 else f"{self.base_path}page/{page}/"

    @property
    def is_home(self) -> bool:
        return self.base_path == "/" and self.page == 1


def listing_head(ctx: RenderContext, listing: Listing) -> str:
    canonical = ctx.url(listing.page_path(listing.page))
    links = []
    if listing.page < listing.total_pages:
        links.append(f'<link rel="next" href="{ctx.link(listing.page_path(listing.page + 1))}">')
    if listing.page > 1:
        links.append(f'<link rel="prev" href="{ctx.link(listing.page_path(listing.page - 1))}">')
    meta = [
        ("description", ctx.site.title),
        ("og:locale", "en_US"),
        ("og:type", "website"),
        ("og:title", listing.title),
        ("og:url", canonical),
        ("og:site_name", ctx.site.name),
    ]
    return head(ctx, title=listing.title, canonical=canonical, meta=meta, extra="\n".join(links))


def posts_navigation(ctx: RenderContext, listing: Listing) -> str:
    parts = []
    if listing.page < listing.total_pages:
        older = ctx.link(listing.page_path(listing.page + 1))
        parts.append(
            f'<div class="nav-previous"><a href="{older}" rel="next">Older posts</a></div>'
        )
    if listing.page > 1:
        newer = ctx.link(listing.page_path(listing.page - 1))
        parts.append(f'<div class="nav-next"><a href="{newer}" rel="prev">Newer posts</a></div>')
    if not parts:
        return ""
    inner = "\n".join(parts)
    return f"""<nav class="navigation posts-navigation" aria-label="Posts">
<h2 class="screen-reader-text">Posts navigation</h2>
<div class="nav-links">
{inner}
</div>
</nav>"""


def entry_card(ctx: RenderContext, article: Article) -> str:
    authors = " and ".join(
        f'<a href="{ctx.link(author_path(n))}">{esc_text(n)}</a>' for n in article.authors
    )
    count = len(article.comments)
    label = "Leave a comment" if not count else f"{count} Comment{'s' if count != 1 else ''}"
    classes = f"post-{article.post_id} post type-post status-publish format-standard hentry entry"
    return f"""<article id="post-{article.post_id}" class="{classes}">
<header class="entry-header">
<h2 class="entry-title"><a href="{ctx.link(article.path)}"
 rel="bookmark">{esc_text(article.title)}</a></h2>
</header>
<div class="entry-meta"><span class="byline">By {authors}</span>
<span class="posted-on"><time class="entry-date published"
 datetime="{iso_local(article.published, ctx.site.tz)}">{wp_date(article.published)}</time></span>
<span class="comments-link"><a href="{ctx.link(article.path)}#comments">{label}</a></span></div>
<div class="entry-summary"><p>{esc_text(excerpt(article))}</p></div>
</article>"""


def listing_page(
    ctx: RenderContext,
    listing: Listing,
    card: Callable[[RenderContext, Article], str] = entry_card,
) -> str:
    """A home or archive page in the classic WordPress list layout."""
    heading = ""
    if listing.heading:
        heading = (
            '<header class="page-header">'
            f'<h1 class="page-title">{esc_text(listing.heading)}</h1></header>\n'
        )
    cards = "\n".join(card(ctx, a) for a in listing.items)
    extras = home_links_block(ctx) if listing.is_home else ""
    body = f"""<div id="page" class="site">
{site_header(ctx)}
<div id="content" class="site-content">
<section id="primary" class="content-area">
<main id="main" class="site-main">
{heading}{cards}
{posts_navigation(ctx, listing)}
</main>
</section>
{sidebar(ctx)}
</div>
{extras}
{footer(ctx)}
</div>"""
    body_class = "home blog" if listing.base_path == "/" else "archive"
    return document(listing_head(ctx, listing), body_class, body)
