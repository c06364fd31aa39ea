"""An article layout described as data: where a theme prints the post's title, byline,
dates, terms and body; and the one reader of such a description."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.document import select, text_of
from crawler.extraction.metadata import Metadata, split_names

# Lists of other posts on a single post's page: nothing in them describes this post. Blogger
# prints the post itself in a widget of its own (`div.widget.Blog`).
OTHER_POSTS = (
    ".wp-block-query", ".wp-block-latest-posts", ".wp-block-latest-comments",
    ".widget:not(.Blog)",
    "aside", ".sidebar", "#sidebar", ".related", ".related-posts", ".jp-relatedposts",
    ".yarpp-related", "nav", ".post-navigation", ".comments-area", "#comments",
)
# "By Jane Doe" in the languages WordPress themes are translated to.
_BY = re.compile(r"^(?:by|von|par|por|di|da|door|av|af|przez|od|de|από|от|автор)\s*:?\s+",
                 re.IGNORECASE)
_NOT_A_NAME = re.compile(r"\b(?:posts?|articles?|view|all|more|profile|beiträge|artikel)\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class ArticleMarkup:
    name: str
    detect: tuple[str, ...]
    """The layout applies to a page where one of these matches."""
    title: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    """Byline elements holding one name each."""
    author_boxes: tuple[str, ...] = ()
    """Headings of an author box ("By Jane Doe"): read only where no byline names anyone."""
    section: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    body: tuple[str, ...] = ()


def applies(tree: HtmlElement, markup: ArticleMarkup) -> bool:
    return any(select(tree, css) for css in markup.detect)


def read(tree: HtmlElement, markup: ArticleMarkup) -> Metadata:
    """The post's own fields as the layout prints them, outside lists of other posts."""
    others = set(select(tree, ", ".join(OTHER_POSTS)))
    own = _Own(tree, others)
    authors = [_BY.sub("", a) for a in own.texts(markup.authors)] or [
        name for text in own.texts(markup.author_boxes) if (name := _name_of(text))]
    return Metadata(
        title=own.text(markup.title),
        authors=[n for a in authors for n in split_names(a) if not _NOT_A_NAME.search(n)],
        published=own.stamp(markup.published),
        modified=own.stamp(markup.modified),
        section=own.text(markup.section),
        tags=own.texts(markup.tags),
    )


def _name_of(heading: str) -> str | None:
    name = _BY.sub("", heading, count=1)
    return name if name != heading and 0 < len(name.split()) <= 6 else None


class _Own:
    def __init__(self, tree: HtmlElement, others: set[HtmlElement]) -> None:
        self.tree = tree
        self.others = others

    def elements(self, css: tuple[str, ...]) -> list[HtmlElement]:
        """Matches of the first selector with any, outside lists of other posts."""
        for selector in css:
            found = [el for el in select(self.tree, selector)
                     if el not in self.others
                     and not any(a in self.others for a in el.iterancestors())]
            if found:
                return found
        return []

    def text(self, css: tuple[str, ...]) -> str | None:
        return next((t for el in self.elements(css) if (t := text_of(el))), None)

    def texts(self, css: tuple[str, ...]) -> list[str]:
        return [t for el in self.elements(css) if (t := text_of(el))]

    def stamp(self, css: tuple[str, ...]) -> str | None:
        """A date as the element states it for machines (`<time datetime>`, `content`, the
        `title` of a microformats `<abbr class=published>`, as Blogger and Movable Type
        print it beside a bare "4:02 PM"), else as it shows it."""
        for el in self.elements(css):
            value = (el.get("datetime") or el.get("content")
                     or (el.get("title") if el.tag == "abbr" else None) or text_of(el))
            if value:
                return value
        return None
