"""Selectors as data for the main text: where bodies live and what inside them is not text.

Theme-specific tokens live with their layout (`layouts/`, `comments/`); a site file's
`selectors` win over all of them (`crawler.siteconfig.SelectorOverrides`).
"""

from __future__ import annotations

import re

# Where the main text lives, best first: containers that hold the body and nothing else.
# Broader ones (`article`, `main`, `#content`) also hold bylines, share bars and related
# links; a page without one of these is read by trafilatura instead.
BODY = (
    ".wp-block-post-content", "[itemprop=articleBody]", ".entry-content", ".post-content",
    ".story-body", ".article-body", ".article-content", ".post-body", ".td-post-content",
    ".entry-body", ".entry_content", ".post_content", ".story_body", ".article_body",
    ".article_content", ".post_body", "article .content",
)
# A body container inside one of these is a widget or a teaser, not the article.
NOT_BODY_REGIONS = (
    "aside", "nav", "footer", "header", ".sidebar", "#sidebar", ".widget-area",
    ".related", ".related-posts", "#comments", ".comments", ".comments-area",
    "[role=complementary]",
)
# Removed before the main text is read: navigation, chrome, share/newsletter/related blocks.
BOILERPLATE = (
    "script", "style", "noscript", "template", "iframe", "form", "nav", "header", "footer",
    "aside", "figure figcaption", "button", "svg",
    ".sharedaddy", ".sd-sharing-enabled", ".share", ".shares", ".share-buttons",
    ".social-share", ".sharing", ".jp-relatedposts", ".related", ".related-posts",
    ".related-articles", ".yarpp-related", ".newsletter", ".newsletter-signup", ".subscribe",
    ".subscription", ".mc4wp-form", ".advert", ".advertisement", ".ad-container", ".sidebar",
    ".widget", ".post-navigation", ".navigation", ".nav-links", ".post-nav-links",
    ".page-links", ".breadcrumbs", ".tags-links",
    ".cat-links", ".entry-meta", ".entry-footer", ".byline", ".author-bio", ".author-box",
    ".authorbox", ".author_info", ".author-info", ".about-author", ".postauthor", ".comments-area",
    "#comments", ".comment-respond", ".wp-block-buttons", "[role=navigation]",
    "[aria-hidden=true]",
)
# Lines that are boilerplate wherever they appear.
BOILERPLATE_LINES = re.compile(
    r"^(share this:?|related:?|like this:?|subscribe.*newsletter.*|sign up for .*newsletter.*|"
    r"advertisement|continue reading.*|read more:?|click to share.*|"
    r"if you enjoyed this (?:post|article).*)$",
    re.IGNORECASE,
)
