"""WordPress themes, block and classic: the post's fields as the shipped themes (Twenty
Ten to Twenty Twenty-Three) and the themes built like them print them."""

from __future__ import annotations

from crawler.extraction.layouts.markup import ArticleMarkup

BLOCK = ArticleMarkup(
    name="wordpress-block",
    detect=(".wp-block-post-title", ".wp-block-post-content"),
    title=("h1.wp-block-post-title", ".wp-block-post-title"),
    published=(".wp-block-post-date time", ".wp-block-post-date"),
    modified=(".wp-block-post-date.wp-block-post-date__modified-date time",),
    authors=(".wp-block-post-author__name", ".wp-block-post-author-name"),
    section=(".wp-block-post-terms.taxonomy-category a",),
    tags=(".wp-block-post-terms.taxonomy-post_tag a",),
    body=(".wp-block-post-content",),
)

CLASSIC = ArticleMarkup(
    name="wordpress-classic",
    detect=("article.type-post", ".hentry.type-post", "article.post", "body.single-post"),
    title=("h1.entry-title", ".entry-title", "h1.post-title", "h1"),
    published=("time.entry-date.published", "time.published", ".entry-date.published",
               "time.entry-date", ".posted-on time", ".entry-meta time", ".entry-date",
               ".post-date"),
    modified=("time.updated:not(.published)",),
    authors=(".byline .author .fn", ".byline .author a", ".byline a[rel=author]",
             ".entry-meta .author a", ".entry-meta .author .fn", ".posted-by .author a",
             ".entry-author .fn", ".entry-author-name", ".post-author a", ".author.vcard .fn",
             ".author.vcard a"),
    author_boxes=(".author-bio .author-title", ".author-info .author-title",
                  ".author-info h2", ".author-box .author-name", ".author-bio h2"),
    section=(".cat-links a", ".entry-categories a", ".post-categories a",
             "a[rel='category tag']", "a[rel=category]"),
    tags=(".tags-links a", ".entry-tags a", ".post-tags a", "a[rel=tag]"),
    body=(".entry-content", ".post-content"),
)
