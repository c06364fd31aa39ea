"""Choosing among the layouts' readings (`crawler/extraction/comments/choose.py`): every
layout reads the page, the reading that gives the most is kept, and what it lacks is taken
from the others."""

from __future__ import annotations

from crawler.extraction.comments.choose import choose, quality
from crawler.extraction.comments.model import Found, RawComment


def _comment(n: int, *, author: str | None = "Ann", date: str | None = "June 1, 2021",
             text: str | None = None, source_id: str | None = None,
             parent: str | None = None, parent_index: int | None = None) -> RawComment:
    return RawComment(source_id, parent, author, date, text or f"Comment number {n}.",
                      parent_index=parent_index)


def test_no_reading_with_a_comment_chooses_nothing() -> None:
    assert choose([Found("json-ld"), Found("microdata")]) is None


def test_a_reading_of_empty_items_chooses_nothing() -> None:
    empty = Found("wordpress-classic", [RawComment(None, None, None, None, "")])

    assert choose([empty]) is None


def test_the_reading_with_more_comments_wins() -> None:
    partial = Found("json-ld", [_comment(1)])
    full = Found("wordpress-classic", [_comment(n) for n in range(1, 5)])

    assert choose([partial, full]) is full


def test_comments_with_authors_and_times_beat_bare_texts() -> None:
    bare = Found("generic", [_comment(n, author=None, date=None) for n in range(3)])
    full = Found("wordpress-classic", [_comment(n) for n in range(3)])

    assert choose([bare, full]) is full


def test_on_a_tie_the_more_trusted_layout_wins() -> None:
    first = Found("json-ld", [_comment(1)])
    second = Found("wordpress-classic", [_comment(1)])

    assert choose([first, second]) is first


def test_unresolvable_parents_lower_a_readings_quality() -> None:
    threaded = Found("a", [_comment(1, source_id="1"), _comment(2, source_id="2", parent="1")])
    dangling = Found("b", [_comment(1, source_id="1"), _comment(2, source_id="2", parent="9")])

    assert quality(threaded) > quality(dangling)


def test_far_more_comments_than_the_page_states_lowers_a_readings_quality() -> None:
    reading = Found("generic", [_comment(n) for n in range(12)])

    assert quality(reading, stated=3) < quality(reading, stated=12)


def test_the_kept_reading_takes_parents_from_another_reading_by_id() -> None:
    """Microdata without nesting holds the texts; the list around it holds the thread."""
    flat = Found("microdata", [_comment(1, source_id="11"), _comment(2, source_id="12"),
                               _comment(3, source_id="13")])
    nested = Found("wordpress-classic", [
        _comment(1, source_id="11", author=None), _comment(2, source_id="12", parent="11",
                                                           author=None),
        _comment(3, source_id="13", parent_index=1, author=None)])
    best = choose([flat, nested])

    assert best is flat
    assert [c.parent_source_id for c in best.comments] == [None, "11", None]
    assert [c.parent_index for c in best.comments] == [None, None, 1]


def test_the_kept_reading_takes_ids_from_the_same_comment_found_by_author_and_text() -> None:
    kept = Found("a", [_comment(n) for n in range(1, 4)])
    other = Found("b", [_comment(2, source_id="42"), _comment(3, author="Tom",
                                                             source_id="43")])
    best = choose([kept, other])

    assert best is kept
    assert [c.source_id for c in best.comments] == [None, "42", None]


def test_the_kept_reading_takes_authors_from_the_same_comment_found_by_id() -> None:
    kept = Found("a", [_comment(n, source_id=str(n), author=None) for n in range(1, 4)])
    other = Found("b", [_comment(2, source_id="2", author="Tom", date=None, text="other")])
    best = choose([kept, other])

    assert best is kept
    assert [c.author for c in best.comments] == [None, "Tom", None]


def test_an_iso_time_from_another_reading_replaces_a_written_one() -> None:
    written = Found("wordpress-classic", [_comment(1, date="June 1, 2021 at 10:04 am"),
                                          _comment(2, date="June 1, 2021 at 11:00 am")])
    iso = Found("json-ld", [_comment(1, date="2021-06-01T10:04:00+02:00")])
    best = choose([iso, written])

    assert best is written
    assert [c.date for c in best.comments] == ["2021-06-01T10:04:00+02:00",
                                               "June 1, 2021 at 11:00 am"]


def test_a_parent_the_kept_reading_has_is_not_overwritten() -> None:
    kept = Found("a", [_comment(1, source_id="1"), _comment(2, source_id="2", parent="1"),
                       _comment(3, source_id="3")])
    other = Found("b", [_comment(2, source_id="2", parent="3")])

    best = choose([kept, other])
    assert best is kept and kept.comments[1].parent_source_id == "1"
