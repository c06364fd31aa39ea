"""Site chrome around every page: header menu, sidebar, footer, and the blocks WordPress
plugins append to a post (Jetpack sharing, newsletter box, related posts).
"""

from __future__ import annotations

from urllib.parse import quote

from sample_site.model import Article, Comment, Site
from sample_site.themes.base import RenderContext, category_path, esc, esc_text
from sample_site.timefmt import wp_date

MENU = ("Politics", "Foreign Policy", "Economy", "Culture")


def site_header(ctx: RenderContext, *, title_class: str = "site-title") -> str:
    items = "\n".join(
        f'<li class="menu-item menu-item-type-taxonomy"><a href="{ctx.link(category_path(m))}">'
        f"{esc_text(m)}</a></li>"
        for m in MENU
    )
    return f"""<header id="masthead" class="site-header">
<div class="site-branding">
<p class="{title_class}"><a href="{ctx.link("/")}" rel="home">{esc_text(ctx.site.name)}</a></p>
<p class="site-description">{esc_text(ctx.site.title)}</p>
</div>
<nav id="site-navigation" class="main-navigation" aria-label="Top Menu">
<ul id="menu-primary" class="main-menu">
<li class="menu-item menu-item-home"><a href="{ctx.link("/")}">Home</a></li>
{items}
<li class="menu-item"><a href="{ctx.link("/about/")}">About</a></li>
</ul>
</nav>
</header>"""


def recent_comments(site: Site, count: int = 5) -> list[tuple[Comment, Article]]:
    pairs = [(c, a) for a in site.all_articles for c in a.comments]
    pairs.sort(key=lambda p: (p[0].published, p[0].comment_id), reverse=True)
    return pairs[:count]


def sidebar(ctx: RenderContext) -> str:
    posts = "\n".join(
        f'<li><a href="{ctx.link(a.path)}">{esc_text(a.title)}</a></li>'
        for a in ctx.site.newest_first[:5]
    )
    comments = "\n".join(
        f'<li class="recentcomments"><span class="comment-author-link">{esc_text(c.author)}</span>'
        f' on <a href="{ctx.link(a.path)}#{ctx.comment_anchor}{c.comment_id}">'
        f"{esc_text(a.title)}</a></li>"
        for c, a in recent_comments(ctx.site)
    )
    return f"""<aside id="secondary" class="widget-area" role="complementary">
<section id="search-2" class="widget widget_search">
<form role="search" method="get" class="search-form" action="{ctx.base_url}/">
<label><span class="screen-reader-text">Search for:</span>
<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s"></label>
<input type="submit" class="search-submit" value="Search">
</form>
</section>
<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2>
<ul>
{posts}
</ul>
</section>
<section id="recent-comments-2" class="widget widget_recent_comments">
<h2 class="widget-title">Recent Comments</h2>
<ul id="recentcomments">
{comments}
</ul>
</section>
</aside>"""


def footer(ctx: RenderContext) -> str:
    years = sorted({a.published.year for a in ctx.site.all_articles} or {2020})
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    members = ""
    if ctx.site.theme != "print":
        members = f'<li class="menu-item"><a href="{ctx.link("/private/")}">Members area</a></li>\n'
    return f"""<footer id="colophon" class="site-footer">
<div class="site-info">
<nav class="footer-navigation" aria-label="Footer Menu">
<ul class="footer-menu">
<li class="menu-item"><a href="{ctx.link("/about/")}">About</a></li>
{members}<li class="menu-item"><a href="{ctx.base_url}/feed/">RSS</a></li>
</ul>
</nav>
<p class="copyright">Copyright &copy; {span} {esc_text(ctx.site.name)}. All rights reserved.</p>
<a href="https://wordpress.org/" class="imprint">Proudly powered by WordPress</a>
</div>
</footer>"""


def home_links_block(ctx: RenderContext) -> str:
    if not ctx.home_links:
        return ""
    items = "\n".join(
        f'<li><a href="{esc(ctx.link(path))}">{esc_text(label)}</a></li>'
        for label, path in ctx.home_links
    )
    return f"""<nav class="fault-links" aria-label="More">
<h2 class="widget-title">More</h2>
<ul>
{items}
</ul>
</nav>"""


def share_block(url: str, title: str) -> str:
    """Jetpack's sharing buttons (off-site targets only)."""
    q_url = quote(url, safe="")
    q_title = quote(title, safe="")
    return f"""<div class="sharedaddy sd-sharing-enabled">
<div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">
<h3 class="sd-title">Share this:</h3>
<div class="sd-content"><ul>
<li class="share-twitter"><a rel="nofollow noopener noreferrer"
 class="share-twitter sd-button share-icon" target="_blank" title="Click to share on Twitter"
 href="https://twitter.com/intent/tweet?url={q_url}&amp;text={q_title}"><span>Twitter</span></a></li>
<li class="share-facebook"><a rel="nofollow noopener noreferrer"
 class="share-facebook sd-button share-icon" target="_blank" title="Click to share on Facebook"
 href="https://www.facebook.com/sharer/sharer.php?u={q_url}"><span>Facebook</span></a></li>
<li class="share-email"><a rel="nofollow noopener noreferrer"
 class="share-email sd-button share-icon" target="_blank" title="Click to email a link to a friend"
 href="mailto:?subject={q_title}&amp;body={q_url}"><span>Email</span></a></li>
<li class="share-end"></li>
</ul></div>
</div>
</div>"""


def newsletter_block(ctx: RenderContext) -> str:
    return f"""<div id="newsletter-signup" class="newsletter-signup widget_blog_subscription">
<h3 class="newsletter-title">Subscribe to our newsletter</h3>
<p>Get the latest articles and the best reader comments delivered to your inbox every morning.</p>
<form action="{ctx.base_url}/subscribe/" method="post" class="newsletter-form">
<input type="email" name="email" placeholder="Email Address" required>
<button type="submit">Sign me up</button>
</form>
</div>"""


def related_articles(site: Site, article: Article, count: int = 3) -> list[Article]:
    ordered = list(site.newest_first)
    if article not in ordered:
        return ordered[:count]
    start = ordered.index(article)
    rotated = ordered[start + 1 :] + ordered[:start]
    return rotated[:count]


def related_block(ctx: RenderContext, article: Article) -> str:
    items = "\n".join(
        f"""<div class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{r.post_id}">
<h4 class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a"
 href="{ctx.link(r.path)}" title="{esc(r.title)}" rel="nofollow">{esc_text(r.title)}</a></h4>
<p class="jp-relatedposts-post-date">{wp_date(r.published)}</p>
<p class="jp-relatedposts-post-context">In &quot;{esc_text(r.section)}&quot;</p>
</div>"""
        for i, r in enumerate(related_articles(ctx.site, article))
    )
    return f"""<div id="jp-relatedposts" class="jp-relatedposts">
<h3 class="jp-relatedposts-headline"><em>Related</em></h3>
<div class="jp-relatedposts-items jp-relatedposts-items-visual">
{items}
</div>
</div>"""
