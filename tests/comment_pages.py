"""A minimal article page around a comment section written by a test, for the comment
layouts that are not WordPress's; the article text is long enough to be one."""

from __future__ import annotations

from tests.wordpress_markup import PARAGRAPHS, paragraphs

ARTICLE_TITLE = "Harbour plan splits the council"


def article_with(comments: str, *, head: str = "") -> str:
    return (f"<html><head><title>{ARTICLE_TITLE}</title>{head}</head><body>"
            f"<div class='post hentry'><h3 class='post-title entry-title'>{ARTICLE_TITLE}</h3>"
            "<abbr class='published' title='2012-07-01T09:00:00Z'>July 1, 2012</abbr>"
            f"<div class='post-body entry-content'>{paragraphs(PARAGRAPHS * 2)}</div></div>"
            f"{comments}</body></html>")
