"""Which layout's reading of the comments to keep, and what the others add to it.

Every layout reads the page; each reading is scored by what it gives: comments with text,
with an author, with a time, with their thread. The best one is kept, and a comment it
read without a time, an author, a parent or an id takes them from the same comment in
another reading (found by id, else by author and text), so that neither a partial JSON-LD
list nor microdata without threads can cost the comments their parents.
"""

from __future__ import annotations

from crawler.extraction.comments.identity import normalised
from crawler.extraction.comments.model import Found, RawComment

_ISO_START = 4


def quality(found: Found, stated: int | None = None) -> float:
    comments = [c for c in found.comments if c.has_content]
    if not comments:
        return 0.0
    score = sum(0.45 * bool(c.text.strip()) + 0.3 * bool(c.author) + 0.15 * bool(c.date)
                + 0.1 * bool(c.parent_source_id or c.parent_index is not None)
                for c in comments)
    if stated is not None and len(comments) > 2 * stated + 2:
        score *= 0.5  # a reading with far more comments than the page says picked up other text
    return score * (0.5 + 0.5 * _parents_resolved(comments))


def _parents_resolved(comments: list[RawComment]) -> float:
    ids = {c.source_id for c in comments if c.source_id}
    refs = [c.parent_source_id for c in comments if c.parent_source_id]
    return sum(r in ids for r in refs) / len(refs) if refs else 1.0


def choose(readings: list[Found], stated: int | None = None) -> Found | None:
    """The best reading, completed from the others; None when no layout found a comment.
    On a tie the earlier (more trusted) layout wins."""
    scored = [(quality(f, stated), -i, f) for i, f in enumerate(readings)]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    best = max(scored, key=lambda s: (s[0], s[1]))[2]
    for other in readings:
        if other is not best and other.comments:
            _complete(best, other)
    return best


def _key(comment: RawComment) -> tuple[str, str]:
    return normalised(comment.author).lower(), normalised(comment.text)[:80].lower()


def _complete(best: Found, other: Found) -> None:
    by_id = {c.source_id: j for j, c in enumerate(other.comments) if c.source_id}
    by_key = {_key(c): j for j, c in enumerate(other.comments) if c.has_content}
    matched: dict[int, int] = {}
    for i, comment in enumerate(best.comments):
        j = by_id.get(comment.source_id) if comment.source_id else None
        j = j if j is not None else by_key.get(_key(comment))
        if j is not None:
            matched[j] = i
    for j, i in matched.items():
        _fill(best.comments[i], other.comments[j], matched)


def _fill(mine: RawComment, theirs: RawComment, matched: dict[int, int]) -> None:
    mine.author = mine.author or theirs.author
    mine.source_id = mine.source_id or theirs.source_id
    if theirs.date and (not mine.date or (_is_iso(theirs.date) and not _is_iso(mine.date))):
        mine.date = theirs.date
    if mine.parent_source_id or mine.parent_index is not None:
        return
    if theirs.parent_source_id:
        mine.parent_source_id = theirs.parent_source_id
    elif theirs.parent_index is not None and theirs.parent_index in matched:
        mine.parent_index = matched[theirs.parent_index]


def _is_iso(value: str) -> bool:
    value = value.strip()
    return len(value) >= 10 and value[:_ISO_START].isdigit() and value[_ISO_START] == "-"
