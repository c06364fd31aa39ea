"""WordPress Twenty Nineteen markup: `article.post`, `.entry-content`, `ol.comment-list`.

Replies nest in `ul.children`, as in older WordPress themes. Comment pages follow
WordPress: `…/comment-page-N/`, linked by `nav.comment-navigation`.
"""

from __future__ import annotations

from sample_site.model import Article, Comment, slugify
from sample_site.themes.base import (
    ArticleView,
    RenderContext,
    article_meta,
    author_path,
    avatar,
    body_paragraphs,
    category_path,
    comment_page_path,
    comment_paragraphs,
    document,
    esc,
    esc_text,
    head,
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
from sample_site.themes.listing import listing_page
from sample_site.timefmt import iso_local, wp_date, wp_time

render_listing = listing_page


def render_article(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    extra = f'<link rel="shortlink" href="{ctx.base_url}/?p={a.post_id}">'
    if ctx.site.rest_api:
        extra += (
            f'\n<link rel="alternate" type="application/json" '
            f'href="{ctx.base_url}/wp-json/wp/v2/posts/{a.post_id}">'
        )
    head_html = head(
        ctx,
        title=f"{a.title} – {ctx.site.name}",
        canonical=view.canonical,
        meta=article_meta(ctx, view),
        extra=extra,
    )
    body = f"""<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
{site_header(ctx)}
<div id="content" class="site-content">
<section id="primary" class="content-area">
<main id="main" class="site-main">
{_entry(ctx, view)}
{_post_navigation(ctx, a)}
{_comments_area(ctx, view)}
</main>
</section>
{sidebar(ctx)}
</div>
{footer(ctx)}
</div>"""
    body_class = (
        f"post-template-default single single-post postid-{a.post_id} single-format-standard"
    )
    return document(head_html, body_class, body)


def _entry(ctx: RenderContext, view: ArticleView) -> str:
    a, zone = view.article, ctx.site.tz
    url = ctx.url(a.path)
    authors = " and ".join(
        f'<span class="author vcard"><a class="url fn n" href="{ctx.url(author_path(n))}">'
        f"{esc_text(n)}</a></span>"
        for n in a.authors
    )
    updated = ""
    if a.modified:
        updated = (
            f'<time class="updated" datetime="{iso_local(a.modified, zone)}">'
            f"{wp_date(a.modified)}</time>"
        )
    tags = ", ".join(
        f'<a href="{ctx.url(tag_path(t))}" rel="tag">{esc_text(t)}</a>' for t in a.tags
    )
    classes = " ".join(
        [
            f"post-{a.post_id} post type-post status-publish format-standard hentry",
            f"category-{slugify(a.section)}",
            *(f"tag-{slugify(t)}" for t in a.tags),
            "entry",
        ]
    )
    return f"""<article id="post-{a.post_id}" class="{classes}">
<header class="entry-header">
<h1 class="entry-title">{esc_text(a.title)}</h1>
<div class="entry-meta">
<span class="byline"><span class="screen-reader-text">Posted by</span> {authors}</span>
<span class="posted-on"><a href="{url}" rel="bookmark"><time class="entry-date published"
 datetime="{iso_local(a.published, zone)}">{wp_date(a.published)}</time>{updated}</a></span>
<span class="cat-links"><span class="screen-reader-text">Posted in</span>
<a href="{ctx.url(category_path(a.section))}" rel="category tag">{esc_text(a.section)}</a></span>
<span class="comment-count"><a href="{url}#comments">{len(a.comments)} Comments</a></span>
</div>
</header>
<div class="entry-content">
{body_paragraphs(ctx, a)}
{share_block(url, a.title)}
{newsletter_block(ctx)}
{related_block(ctx, a)}
</div>
<footer class="entry-footer">
<span class="tags-links"><span class="screen-reader-text">Tags:</span>Tagged {tags}</span>
</footer>
</article>"""


def _post_navigation(ctx: RenderContext, article: Article) -> str:
    ordered = list(ctx.site.newest_first)
    if article not in ordered:
        return ""
    i = ordered.index(article)
    parts = []
    if i + 1 < len(ordered):
        older = ordered[i + 1]
        parts.append(
            f'<div class="nav-previous"><a href="{ctx.url(older.path)}" rel="prev">'
            f'<span class="meta-nav">Previous Post</span> '
            f'<span class="post-title">{esc_text(older.title)}</span></a></div>'
        )
    if i > 0:
        newer = ordered[i - 1]
        parts.append(
            f'<div class="nav-next"><a href="{ctx.url(newer.path)}" rel="next">'
            f'<span class="meta-nav">Next Post</span> '
            f'<span class="post-title">{esc_text(newer.title)}</span></a></div>'
        )
    inner = "\n".join(parts)
    return f"""<nav class="navigation post-navigation" aria-label="Posts">
<h2 class="screen-reader-text">Post navigation</h2>
<div class="nav-links">
{inner}
</div>
</nav>"""


class _Counter:
    """WordPress's running even/odd and thread-even/odd comment classes."""

    def __init__(self) -> None:
        self.comments = 0
        self.threads = 0

    def classes(self, depth: int, has_children: bool) -> str:
        parts = ["comment"]
        parts += ["odd", "alt"] if self.comments % 2 else ["even"]
        self.comments += 1
        if depth == 1:
            parts += ["thread-odd", "thread-alt"] if self.threads % 2 else ["thread-even"]
            self.threads += 1
        parts.append(f"depth-{depth}")
        if has_children:
            parts.append("parent")
        return " ".join(parts)


def _comment(
    ctx: RenderContext, view: ArticleView, comment: Comment, depth: int, counter: _Counter
) -> str:
    article = view.article
    replies = article.replies_to(comment.comment_id)
    url = ctx.url(article.path)
    if view.comment_page > 1:
        url = ctx.url(comment_page_path(article, view.comment_page))
    cid = comment.comment_id
    classes = counter.classes(depth, bool(replies))
    children = ""
    if replies:
        inner = "\n".join(_comment(ctx, view, r, depth + 1, counter) for r in replies)
        children = f'\n<ul class="children">\n{inner}\n</ul>'
    stamp = f"{wp_date(comment.published)} at {wp_time(comment.published)}"
    return f"""<li id="comment-{cid}" class="{classes}">
<article id="div-comment-{cid}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard">
{avatar(comment.author)}
<b class="fn">{esc_text(comment.author)}</b> <span class="says">says:</span>
</div>
<div class="comment-metadata">
<a href="{url}#comment-{cid}"><time
 datetime="{iso_local(comment.published, ctx.site.tz)}">{stamp}</time></a>
</div>
</footer>
<div class="comment-content">
{comment_paragraphs(comment)}
</div>
<div class="reply"><a rel="nofollow" class="comment-reply-link"
 href="{url}?replytocom={cid}#respond" data-commentid="{cid}" data-postid="{article.post_id}"
 data-belowelement="div-comment-{cid}"
 data-respondelement="respond" aria-label="Reply to {esc(comment.author)}">Reply</a></div>
</article>{children}
</li>"""


def _comment_navigation(ctx: RenderContext, view: ArticleView) -> str:
    if view.comment_pages <= 1:
        return ""
    a = view.article
    parts = []
    if view.comment_page > 1:
        older = ctx.url(comment_page_path(a, view.comment_page - 1)) + "#comments"
        parts.append(f'<div class="nav-previous"><a href="{older}">Older Comments</a></div>')
    if view.comment_page < view.comment_pages:
        newer = ctx.url(comment_page_path(a, view.comment_page + 1)) + "#comments"
        parts.append(f'<div class="nav-next"><a href="{newer}">Newer Comments</a></div>')
    inner = "\n".join(parts)
    return f"""<nav class="navigation comment-navigation" aria-label="Comments">
<h2 class="screen-reader-text">Comments navigation</h2>
<div class="nav-links">
{inner}
</div>
</nav>"""


def _comments_area(ctx: RenderContext, view: ArticleView) -> str:
    a = view.article
    count = len(a.comments)
    title = ""
    if count:
        label = "One thought" if count == 1 else f"{count} thoughts"
        title = f'<h2 class="comments-title">{label} on &ldquo;{esc_text(a.title)}&rdquo;</h2>\n'
    counter = _Counter()
    items = "\n".join(_comment(ctx, view, c, 1, counter) for c in view.threads)
    listing = f'<ol class="comment-list">\n{items}\n</ol>\n' if items else ""
    nav = _comment_navigation(ctx, view)
    return f"""<div id="comments" class="comments-area">
{title}{nav}
{listing}{nav}
{_respond(ctx, a)}
</div>"""


def _respond(ctx: RenderContext, article: Article) -> str:
    return f"""<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="{ctx.base_url}/wp-comments-post.php" method="post" id="commentform"
 class="comment-form" novalidate>
<p class="comment-notes">Your email address will not be published.
Required fields are marked <span class="required">*</span></p>
<p class="comment-form-comment"><label for="comment">Comment</label>
<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
<p class="comment-form-author"><label for="author">Name *</label>
<input id="author" name="author" type="text" value="" size="30" maxlength="245" required></p>
<p class="comment-form-email"><label for="email">Email *</label>
<input id="email" name="email" type="email" value="" size="30" maxlength="100" required></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit"
 value="Post Comment"><input type="hidden" name="comment_post_ID" value="{article.post_id}"
 id="comment_post_ID"><input type="hidden" name="comment_parent" id="comment_parent" value="0"></p>
</form>
</div>"""
