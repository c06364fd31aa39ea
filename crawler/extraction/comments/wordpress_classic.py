"""WordPress classic themes: `wp_list_comments()` in its html5 and xhtml formats and its `ol`,
`ul` and `div` styles, with the callbacks of the common themes (Twenty Ten to Twenty
Twenty-One, Genesis, Thesis-era child themes). Threads are nested lists (`.children`)."""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found

MARKUP = CommentMarkup(
    name="wordpress-classic",
    container=("ol.commentlist", "ol.comment-list", "ul.commentlist", "ul.comment-list",
               "div.commentlist", "div.comment-list", ".comment-list", ".commentlist",
               "#comments ol", "#comments ul", "#comments", ".comments-area"),
    item=("li.comment", "div.comment", "article.comment", "li[id^=comment-]",
          "li[id^=li-comment-]"),
    author=(".comment-author .fn", ".comment-author cite", ".comment-author-name",
            ".comment-author a.url", ".comment-author", ".fn", "cite", ".commentauthor",
            ".comment-meta .author", ".author"),
    time=(".comment-metadata time", ".comment-meta time", "time", ".comment-metadata a",
          ".commentmetadata a", ".comment-meta a", ".comment-date", ".comment-time",
          ".comment-metadata", ".commentmetadata", ".comment-meta"),
    text=(".comment-content", ".comment-text", ".comment-entry", ".commenttext",
          ".comment_text", ".comment-body", "*"),
    not_text=(".comment-meta", ".commentmetadata", ".comment-metadata", ".comment-author",
              ".reply", ".comment-reply-link", ".says", ".comment-awaiting-moderation",
              ".edit-link", ".avatar", "footer.comment-meta", ".children"),
    next_page=(".comment-navigation a", ".comments-navigation a", ".nav-previous a",
               ".nav-next a", "a.page-numbers", ".navigation a"),
)


def read_page(tree: HtmlElement) -> Found:
    return read(tree, MARKUP)
