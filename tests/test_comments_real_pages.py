"""The comment layouts of blog platforms on the real pages of `../shared/corpora/`
(dragnet-train, read where they lie): on every page that carries a platform's comment
markup, that platform's layout reads each comment with its author, its text and its thread.

Pages are picked by their markup, not by name, so the checks hold for the family."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass

import pytest

from crawler.extraction.comments import PageComments, extract_comments
from crawler.extraction.document import parse, select
from tests.quality.corpus import DRAGNET, missing_reason

# Platform -> (its comment list in the raw page, one comment item in the parsed page).
FAMILIES = {
    "thesis": (re.compile(rb'<dl id="comment_list"'), "dl#comment_list dt.comment"),
    "typepad": (re.compile(rb'<p class="comment-footer">'), ".comments-content div.comment"),
    "disqus-html": (re.compile(rb'id="dsq-comments"'), "#dsq-comments li.comment"),
    "blogger": (re.compile(rb"""id=['"]comments-block['"]|class=['"]comment-thread['"]"""),
                "#comments-block dt, .comment-thread li.comment"),
}
_REPLY = re.compile(r"depth-(?:[2-9]|\d\d+)")
_REPLY_LINK = re.compile(r"(?:^|\n)\[?Reply\]?$", re.IGNORECASE)


@dataclass
class Reading:
    name: str
    comments: PageComments
    replies: int
    """Items the page marks as replies (WordPress's `depth-2` and deeper)."""


@pytest.fixture(scope="module")
def readings() -> dict[str, list[Reading]]:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    found: dict[str, list[Reading]] = {family: [] for family in FAMILIES}
    for path in sorted((DRAGNET / "pages").glob("*.html.gz")):
        html = gzip.decompress(path.read_bytes())
        for family, (marker, item) in FAMILIES.items():
            if marker.search(html):
                tree = parse(html)
                replies = sum(any(_REPLY.fullmatch(c) for c in el.classes)
                              for el in select(tree, item))
                found[family].append(Reading(path.name, extract_comments(tree), replies))
    return found


def _with_comments(readings: list[Reading]) -> list[Reading]:
    return [r for r in readings if any(c.has_content for c in r.comments.comments)]


@pytest.mark.parametrize("family", list(FAMILIES))
def test_the_platforms_layout_reads_its_pages(readings: dict[str, list[Reading]],
                                              family: str) -> None:
    pages = _with_comments(readings[family])

    assert len(pages) >= 10
    assert [r.name for r in pages if r.comments.layout != family] == []


@pytest.mark.parametrize("family", list(FAMILIES))
def test_every_comment_has_an_author_and_a_text(readings: dict[str, list[Reading]],
                                                family: str) -> None:
    comments = [c for r in readings[family] for c in r.comments.comments if c.has_content]

    assert comments
    assert [c for c in comments if not (c.author and c.text)] == []


@pytest.mark.parametrize("family", list(FAMILIES))
def test_no_comment_text_ends_in_its_reply_link(readings: dict[str, list[Reading]],
                                                family: str) -> None:
    texts = [c.text for r in readings[family] for c in r.comments.comments]

    assert [t for t in texts if _REPLY_LINK.search(t.strip())] == []


@pytest.mark.parametrize("family", ["thesis", "disqus-html"])
def test_every_reply_keeps_its_parent(readings: dict[str, list[Reading]], family: str) -> None:
    """Thesis nests replies in the parent's `dd`; the Disqus plugin prints them after the
    parent's closing tag."""
    pages = [r for r in readings[family] if r.replies]
    threaded = {r.name: sum(c.parent_index is not None or c.parent_source_id is not None
                            for c in r.comments.comments) for r in pages}

    assert pages
    assert threaded == {r.name: r.replies for r in pages}
