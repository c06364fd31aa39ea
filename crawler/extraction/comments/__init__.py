"""Reader comments as separate records, from every layout a page may print them in.

One module per layout (`LAYOUTS`, most trusted first): structured data (JSON-LD,
microdata), the WordPress block and classic comment lists, Blogger, TypePad and Movable
Type (wrapped, and their classic templates' bare paragraphs closed by a "Posted by" line),
Thesis and the other definition-list themes, Joomla's JComments and JomComment, Disqus's
crawlable copy, Livefyre's rendered stream, plain-text (print) layouts, and a generic
reader of repeated comment-like blocks for the rest. Every layout reads the page and
`choose` keeps the best reading, completed from the others. A site file's own comment
markup wins over all of them wherever it finds its container.

To add a layout: a module here with a `read_page(tree) -> Found` (most are a
`CommentMarkup` and one line), its place in `LAYOUTS`, and saved-page tests in
`tests/test_comments_<layout>.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from crawler.extraction.comments import (
    blogger,
    definition_list,
    disqus_html,
    generic,
    jcomments,
    jomcomment,
    json_ld,
    livefyre,
    microdata,
    plain_text,
    posted_lines,
    thesis,
    typepad,
    wordpress_block,
    wordpress_classic,
)
from crawler.extraction.comments.choose import choose
from crawler.extraction.comments.identity import comment_id, finish
from crawler.extraction.comments.markup import CommentMarkup, read
from crawler.extraction.comments.model import Found, Layout, RawComment
from crawler.extraction.comments.stated_count import stated_count

LAYOUTS: tuple[Layout, ...] = (
    json_ld.read_page,
    microdata.read_page,
    wordpress_block.read_page,
    disqus_html.read_page,
    livefyre.read_page,
    blogger.read_page,
    typepad.read_page,
    posted_lines.read_page,
    thesis.read_page,
    definition_list.read_page,
    jcomments.read_page,
    jomcomment.read_page,
    wordpress_classic.read_page,
    plain_text.read_page,
    generic.read_page,
)
"""Most trusted first: on a tie, the earlier layout's reading is kept, so the layouts
with markup of their own come before the classic WordPress list, whose `#comments`
container also holds other systems' copies."""


@dataclass
class PageComments:
    """The comments of one page as its best layout read them, before ids and times."""

    layout: str | None = None
    comments: list[RawComment] = field(default_factory=list)
    regions: list[HtmlElement] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    stated: int | None = None


def extract_comments(tree: HtmlElement, site_markup: CommentMarkup | None = None) -> PageComments:
    stated = stated_count(tree)
    if site_markup is not None:
        declared = read(tree, site_markup)
        if declared.regions:
            return _result(declared, [declared], stated)
    readings = [layout(tree) for layout in LAYOUTS]
    best = choose(readings, stated)
    if best is None:
        return PageComments(stated=stated)
    return _result(best, readings, stated)


def _result(best: Found, readings: list[Found], stated: int | None) -> PageComments:
    regions = list(best.regions)
    for reading in readings:
        if reading is not best and reading.layout != generic.NAME and reading.comments:
            regions += reading.regions
    return PageComments(best.layout, best.comments, regions, best.next_pages, stated)


__all__ = [
    "LAYOUTS",
    "CommentMarkup",
    "Found",
    "PageComments",
    "RawComment",
    "comment_id",
    "extract_comments",
    "finish",
]
