"""What a comment layout reads off a page, before ids, parents and times are settled."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml.html import HtmlElement


@dataclass
class RawComment:
    """One comment as a layout found it: strings as the page wrote them."""

    source_id: str | None
    parent_source_id: str | None
    author: str | None
    date: str | None
    text: str
    parent_index: int | None = None
    """Position (in the layout's list) of the comment this one replies to, where the page
    shows threads by nesting rather than by id."""

    @property
    def has_content(self) -> bool:
        return bool((self.author or "").strip() or self.text.strip())


@dataclass
class Found:
    """What one layout read off a page: its comments in page order, and where they sit."""

    layout: str
    comments: list[RawComment] = field(default_factory=list)
    regions: list[HtmlElement] = field(default_factory=list)
    """The page's comment sections this layout read: the body reader leaves them out."""
    next_pages: list[str] = field(default_factory=list)
    """Links (as written, relative or absolute) to further pages of this comment list."""


Layout = Callable[[HtmlElement], Found]
