"""Discovery documents: robots.txt, the WordPress sitemaps, a Google News sitemap, RSS."""

from __future__ import annotations

from xml.sax.saxutils import escape

from sample_site.model import Article, Site
from sample_site.themes.base import RenderContext, body_paragraphs, excerpt
from sample_site.timefmt import iso_local, rfc822_utc

NEWS_SITEMAP_SIZE = 2
FEED_SIZE = 10


def robots_txt(site: Site, base_url: str) -> str:
    lines = [
        "User-agent: *",
        "Disallow: /wp-admin/",
        "Allow: /wp-admin/admin-ajax.php",
        "Disallow: /private/",
    ]
    if "crawl_delay" in site.faults:
        lines.append("Crawl-delay: 1")
    lines += ["", f"Sitemap: {base_url}/wp-sitemap.xml", f"Sitemap: {base_url}/news-sitemap.xml"]
    return "\n".join(lines) + "\n"


def _lastmod(site: Site, article: Article) -> str:
    return iso_local(article.modified or article.published, site.tz)


def sitemap_index(site: Site, base_url: str) -> str:
    newest = site.newest_first[0] if site.newest_first else None
    lastmod = f"<lastmod>{_lastmod(site, newest)}</lastmod>" if newest else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base_url}/wp-sitemap-posts-post-1.xml</loc>{lastmod}</sitemap>
<sitemap><loc>{base_url}/news-sitemap.xml</loc>{lastmod}</sitemap>
</sitemapindex>
"""


def posts_sitemap(site: Site, base_url: str) -> str:
    urls = "\n".join(
        f"<url><loc>{base_url}{a.path}</loc><lastmod>{_lastmod(site, a)}</lastmod></url>"
        for a in site.newest_first
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


def news_sitemap(site: Site, base_url: str) -> str:
    entries = "\n".join(
        f"""<url>
<loc>{base_url}{a.path}</loc>
<news:news>
<news:publication><news:name>{escape(site.name)}</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{iso_local(a.published, site.tz)}</news:publication_date>
<news:title>{escape(a.title)}</news:title>
</news:news>
</url>"""
        for a in site.newest_first[:NEWS_SITEMAP_SIZE]
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>
"""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss_feed(site: Site, base_url: str) -> str:
    ctx = RenderContext(site, base_url)
    zone = site.tz
    items = []
    for a in site.newest_first[:FEED_SIZE]:
        url = base_url + a.path
        categories = "\n".join(f"<category>{_cdata(c)}</category>" for c in (a.section, *a.tags))
        creators = "\n".join(f"<dc:creator>{_cdata(n)}</dc:creator>" for n in a.authors)
        items.append(
            f"""<item>
<title>{escape(a.title)}</title>
<link>{url}</link>
<comments>{url}#respond</comments>
{creators}
<pubDate>{rfc822_utc(a.published, zone)}</pubDate>
{categories}
<guid isPermaLink="false">{base_url}/?p={a.post_id}</guid>
<description>{_cdata(excerpt(a))}</description>
<content:encoded>{_cdata(body_paragraphs(ctx, a))}</content:encoded>
<slash:comments>{len(a.comments)}</slash:comments>
</item>"""
        )
    newest = site.newest_first[0] if site.newest_first else None
    build = (
        f"<lastBuildDate>{rfc822_utc(newest.last_changed, zone)}</lastBuildDate>" if newest else ""
    )
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
 xmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
<title>{escape(site.name)}</title>
<atom:link href="{base_url}/feed/" rel="self" type="application/rss+xml" />
<link>{base_url}</link>
<description>{escape(site.title)}</description>
{build}
<language>en-US</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
{body}
</channel>
</rss>
"""
