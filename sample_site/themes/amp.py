"""The AMP copy of an article (`…/slug/amp/`): minimal AMP markup, canonical to the article."""

from __future__ import annotations

from sample_site.model import Article
from sample_site.themes.base import RenderContext, body_paragraphs, esc, esc_text
from sample_site.timefmt import iso_local, wp_date

AMP_BOILERPLATE = (
    "<style amp-boilerplate>body{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;"
    "animation:-amp-start 8s steps(1,end) 0s 1 normal both}</style>"
)


def render_amp(ctx: RenderContext, article: Article) -> str:
    canonical = ctx.url(article.path)
    authors = ", ".join(article.authors)
    published = iso_local(article.published, ctx.site.tz)
    return f"""<!doctype html>
<html amp lang="en-US">
<head>
<meta charset="utf-8">
<title>{esc_text(article.title)} – {esc_text(ctx.site.name)}</title>
<link rel="canonical" href="{esc(canonical)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<script async src="https://cdn.ampproject.org/v0.js"></script>
{AMP_BOILERPLATE}
</head>
<body class="amp-wp">
<header class="amp-wp-header"><a href="{ctx.base_url}/">{esc_text(ctx.site.name)}</a></header>
<article class="amp-wp-article">
<header class="amp-wp-article-header">
<h1 class="amp-wp-title">{esc_text(article.title)}</h1>
<div class="amp-wp-meta amp-wp-byline">
<span class="amp-wp-author author vcard">{esc_text(authors)}</span></div>
<div class="amp-wp-meta amp-wp-posted-on">
<time datetime="{published}">{wp_date(article.published)}</time></div>
</header>
<div class="amp-wp-article-content">
{body_paragraphs(ctx, article)}
</div>
<footer class="amp-wp-article-footer">
<div class="amp-wp-meta amp-wp-comments-link">
<a href="{canonical}#respond">Leave a Comment</a></div>
</footer>
</article>
</body>
</html>
"""
