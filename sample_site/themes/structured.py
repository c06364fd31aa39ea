"""A modern news theme without WordPress classes: JSON-LD for the article, microdata comments.

Article facts live in `<script type="application/ld+json">` (`NewsArticle`); the body is
`div.story-body` (with an advertisement slot inside it). Comments exist only as
schema.org `Comment` microdata in `section.reader-comments`: `[itemprop=author]
[itemprop=name]`, `time[itemprop=dateCreated][datetime]`, `[itemprop=text]`; a reply
sits in its parent's `div.replies` and carries `<link itemprop="parentItem" href="#c-ID">`.
"""

from __future__ import annotations

import json

from sample_site.model import Article, Comment
from sample_site.themes.base import (
    ArticleView,
    RenderContext,
    article_meta,
    author_path,
    category_path,
    comment_page_path,
    document,
    esc_text,
    excerpt,
    head,
    paragraph_html,
    tag_path,
)
from sample_site.themes.chrome import (
    footer,
    newsletter_block,
    related_block,
    share_block,
    sidebar,
    site_header,
)
from sample_site.themes.listing import Listing, listing_page
from sample_site.timefmt import iso_local, news_datetime

AD_AFTER_PARAGRAPH = 2


def json_ld(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def news_article_data(ctx: RenderContext, view: ArticleView) -> dict[str, object]:
    a, zone = view.article, ctx.site.tz
    url = ctx.url(a.path)
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": excerpt(a, 30),
        "author": [
            {"@type": "Person", "name": n, "url": ctx.url(author_path(n))} for n in a.authors
        ],
        "datePublished": iso_local(a.published, zone),
        "dateModified": iso_local(a.modified or a.published, zone),
        "articleSection": a.section,
        "keywords": list(a.tags),
        "inLanguage": "en-US",
        "commentCount": len(a.comments),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "isAccessibleForFree": True,
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": ctx.site.name,
            "url": ctx.base_url + "/",
            "logo": {"@type": "ImageObject", "url": ctx.base_url + "/static/logo.png"},
        },
    }
    return data


def breadcrumb_data(ctx: RenderContext, article: Article) -> dict[str, object]:
    crumbs = [
        ("Home", ctx.base_url + "/"),
        (article.section, ctx.url(category_path(article.section))),
        (article.title, ctx.url(article.path)),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def render_article(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    scripts = json_ld(news_article_data(ctx, view)) + "\n" + json_ld(breadcrumb_data(ctx, a))
    head_html = head(
        ctx,
        title=f"{a.title} | {ctx.site.name}",
        canonical=view.canonical,
        meta=article_meta(ctx, view),
        extra=scripts,
    )
    topics = "".join(f'<li><a href="{ctx.url(tag_path(t))}">{esc_text(t)}</a></li>' for t in a.tags)
    body = f"""{site_header(ctx, title_class="brand")}
<div class="layout">
<main id="main">
<article class="story">
{_story_header(ctx, a)}
<div class="story-body">
{_story_body(ctx, a)}
</div>
<footer class="story-footer">
<ul class="topics">{topics}</ul>
{share_block(ctx.url(a.path), a.title)}
{newsletter_block(ctx)}
{related_block(ctx, a)}
</footer>
</article>
{_comments(ctx, view)}
</main>
{sidebar(ctx)}
</div>
{footer(ctx)}"""
    return document(head_html, "story-page", body)


def _story_header(ctx: RenderContext, a: Article) -> str:
    zone = ctx.site.tz
    authors = " and ".join(
        f'<a rel="author" href="{ctx.url(author_path(n))}">{esc_text(n)}</a>' for n in a.authors
    )
    updated = ""
    if a.modified:
        updated = (
            f'\n<time class="updated" datetime="{iso_local(a.modified, zone)}">Updated '
            f"{news_datetime(a.modified, zone)}</time>"
        )
    return f"""<header class="story-header">
<p class="kicker"><a href="{ctx.url(category_path(a.section))}">{esc_text(a.section)}</a></p>
<h1 class="headline">{esc_text(a.title)}</h1>
<div class="story-meta">
<span class="by">By {authors}</span>
<time class="published"
 datetime="{iso_local(a.published, zone)}">{news_datetime(a.published, zone)}</time>{updated}
</div>
</header>"""


def _story_body(ctx: RenderContext, a: Article) -> str:
    parts = []
    for i, text in enumerate(a.paragraphs):
        links = (k for k in a.links if k.paragraph == i)
        parts.append(f"<p>{paragraph_html(ctx, text, links)}</p>")
        if i + 1 == AD_AFTER_PARAGRAPH and len(a.paragraphs) > AD_AFTER_PARAGRAPH:
            parts.append(
                '<div class="ad-slot" aria-hidden="true"><span class="ad-label">'
                "Advertisement</span></div>"
            )
    return "\n".join(parts)


def _comment(ctx: RenderContext, article: Article, comment: Comment) -> str:
    zone = ctx.site.tz
    cid = comment.comment_id
    parent = ""
    if comment.parent_id is not None:
        parent = f'\n<link itemprop="parentItem" href="#c-{comment.parent_id}">'
    replies = article.replies_to(cid)
    nested = ""
    if replies:
        inner = "\n".join(_comment(ctx, article, r) for r in replies)
        nested = f'\n<div class="replies">\n{inner}\n</div>'
    text = "\n".join(f"<p>{esc_text(p)}</p>" for p in comment.paragraphs)
    scope = 'itemscope itemtype="https://schema.org/Comment"'
    when = news_datetime(comment.published, zone)
    return f"""<div {scope} id="c-{cid}" class="comment">{parent}
<div class="comment-head">
<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span
 itemprop="name">{esc_text(comment.author)}</span></span>
<time itemprop="dateCreated" datetime="{iso_local(comment.published, zone)}">{when}</time>
</div>
<div itemprop="text">
{text}
</div>
<div class="comment-actions"><button type="button" class="reply-button">Reply</button>
<button type="button" class="report-button">Report</button></div>{nested}
</div>"""


def _comments(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    inner = "\n".join(_comment(ctx, a, c) for c in view.threads)
    pager = ""
    if view.comment_pages > 1:
        links = []
        if view.comment_page > 1:
            prev = ctx.url(comment_page_path(a, view.comment_page - 1))
            if view.comment_page == 2:
                prev = ctx.url(a.path)
            links.append(f'<a rel="prev" href="{prev}#comments">Previous comments</a>')
        if view.comment_page < view.comment_pages:
            nxt = ctx.url(comment_page_path(a, view.comment_page + 1))
            links.append(f'<a rel="next" href="{nxt}#comments">More comments</a>')
        pager = '\n<nav class="comments-pager">' + " ".join(links) + "</nav>"
    return f"""<section class="reader-comments" id="comments">
<h2 class="reader-comments-title">Comments ({len(a.comments)})</h2>
{inner}{pager}
<p class="comments-policy">Comments are moderated. Read our
<a href="{ctx.url("/about/")}">community guidelines</a>.</p>
</section>"""


def _card(ctx: RenderContext, a: Article) -> str:
    zone = ctx.site.tz
    by = " and ".join(esc_text(n) for n in a.authors)
    return f"""<article class="story-card">
<a class="story-link" href="{ctx.link(a.path)}"><h2 class="headline">{esc_text(a.title)}</h2></a>
<p class="dek">{esc_text(excerpt(a, 30))}</p>
<p class="story-meta"><span class="by">By {by}</span>
<time datetime="{iso_local(a.published, zone)}">{news_datetime(a.published, zone)}</time></p>
</article>"""


def render_listing(ctx: RenderContext, listing: Listing) -> str:
    return listing_page(ctx, listing, card=_card)
