"""Print view in the seed's layout (the WP-Print plugin): plain paragraphs, textual times.

Comments carry no ids and no machine-readable times: each is a
`<p><strong>#1 Comment By</strong> Name <strong>On</strong> February 11, 2019 @ 1:26 pm</p>`
followed by its paragraphs, all inside `div#comments`. Replies cannot be shown, so
comments appear flat, in page order. Listing pages use the shared WordPress list layout.
"""

from __future__ import annotations

from datetime import datetime

from sample_site.themes.base import (
    ArticleView,
    RenderContext,
    article_meta,
    body_paragraphs,
    comment_paragraphs,
    document,
    esc,
    esc_text,
    head,
)
from sample_site.themes.chrome import (
    footer,
    newsletter_block,
    related_block,
    share_block,
    sidebar,
    site_header,
)
from sample_site.themes.listing import listing_page
from sample_site.timefmt import wp_date, wp_time

render_listing = listing_page


def stamp(local: datetime) -> str:
    """The print view's date and time: "February 11, 2019 @ 1:26 pm"."""
    return f"{wp_date(local)} @ {wp_time(local)}"


def render_article(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    head_html = head(
        ctx,
        title=f"{ctx.site.name} » {a.title} » Print",
        canonical=view.canonical,
        meta=article_meta(ctx, view),
    )
    authors = " and ".join(a.authors)
    body = f"""{site_header(ctx, title_class="site-name")}
<div id="page">
<p class="site-title">- {esc_text(ctx.site.name)} - {ctx.base_url} -</p>
<h1>{esc_text(a.title)}</h1>
<p class="byline">Posted By {esc_text(authors)} On {stamp(a.published)} In {esc_text(a.section)}</p>
<div class="post-content">
{body_paragraphs(ctx, a)}
</div>
{share_block(ctx.url(a.path), a.title)}
{newsletter_block(ctx)}
{related_block(ctx, a)}
{_comments(ctx, view)}
{_print_footer(ctx, view)}
</div>
{sidebar(ctx)}
{footer(ctx)}"""
    return document(head_html, "print single-post", body)


def _comments(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    count = len(a.comments)
    noun = "Comment" if count == 1 else "Comments"
    blocks = []
    for number, comment in enumerate(a.threaded(), start=1):
        blocks.append(
            f"<p><strong>#{number} Comment By</strong> {esc_text(comment.author)} "
            f"<strong>On</strong> {stamp(comment.published)}</p>\n{comment_paragraphs(comment)}"
        )
    inner = "\n".join(blocks)
    return f"""<div id="comments">
<p class="comments-toggle">{count} {noun} (<a href="#"
 class="comments-open">Open</a> | <a href="#" class="comments-close">Close</a>)</p>
<p class="comments-count">{count} {noun} To &quot;{esc_text(a.title)}&quot;</p>
{inner}
</div>"""


def _print_footer(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    url = ctx.url(a.path)
    links = "\n".join(
        f'<p>[{n}] {esc_text(link.text)}: <a href="{esc(ctx.url(link.href))}">'
        f"{esc_text(ctx.url(link.href))}</a></p>"
        for n, link in enumerate(a.links, start=1)
    )
    listed = f"<p><strong>URLs in this post:</strong></p>\n{links}\n" if links else ""
    return f"""<div id="print-footer">
<p>Article printed from {esc_text(ctx.site.name)}: <a href="{ctx.base_url}/">{ctx.base_url}</a></p>
<p>URL to article: <a href="{url}">{url}</a></p>
{listed}<p>Click <a href="javascript:window.print()">here</a> to print.</p>
</div>"""
