"""Comment ids that survive the next crawl, and the records of one page's comments.

A comment's id is the site's own id where it has one. Otherwise it is a hash of the article,
the author and the normalised text: never of a time as written ("2 hours ago" changes from
crawl to crawl) nor of a position (a new comment above moves every other). Two comments that
share author and text on one page are told apart by their absolute time, or failing that by
their order among those twins.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from crawler.extraction.comments.model import RawComment
from crawler.extraction.dates import DateResolver
from crawler.extraction.records import ExtractedComment, ResolvedDate


def normalised(text: str | None) -> str:
    return " ".join((text or "").split())


def comment_id(article_id: str, source_id: str | None, author: str | None, text: str) -> str:
    if source_id:
        return f"{article_id}-{source_id}"
    key = f"{normalised(author)}\x1f{normalised(text)}"
    return f"{article_id}-h{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _twin_id(base: str, date: ResolvedDate, occurrence: int) -> str:
    if date.value is not None and "relative_date" not in date.flags:
        stamp = hashlib.sha256(date.value.isoformat().encode()).hexdigest()[:8]
        return f"{base}-t{stamp}"
    return f"{base}-{occurrence}"


def finish(
    raw: list[RawComment], article_id: str, resolver: DateResolver, page: int = 1,
    layout: str | None = None,
) -> list[ExtractedComment]:
    """Ids, parents and UTC times for the comments of one page, in page order; a comment
    with neither author nor text is not a comment and is left out."""
    by_index: dict[int, str] = {}
    by_source: dict[str, str] = {}
    bases: Counter[str] = Counter()
    taken: set[str] = set()
    out: list[ExtractedComment] = []
    for index, item in enumerate(raw):
        if not item.has_content:
            continue
        published = resolver.resolve(item.date)
        cid = base = comment_id(article_id, item.source_id, item.author, item.text)
        bases[base] += 1
        if cid in taken:
            cid = _twin_id(base, published, bases[base])
        taken.add(cid)
        by_index[index] = cid
        if item.source_id:
            by_source[item.source_id] = cid
        out.append(ExtractedComment(
            comment_id=cid, source_id=item.source_id,
            parent_id=_parent(item, article_id, by_index, by_source),
            author=item.author, published=published, text=item.text, page=page,
            page_order=len(out) + 1, layout=layout,
        ))
    return out


def _parent(item: RawComment, article_id: str, by_index: dict[int, str],
            by_source: dict[str, str]) -> str | None:
    if item.parent_source_id:
        return by_source.get(item.parent_source_id) or f"{article_id}-{item.parent_source_id}"
    if item.parent_index is not None:
        return by_index.get(item.parent_index)
    return None
