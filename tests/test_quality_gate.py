"""The real-page gate: `extract_page` on the human-marked pages of `../shared/corpora/`,
beside trafilatura on the same pages in the same run (`python -m tests.quality` prints it)."""

from __future__ import annotations

import pytest

from tests.quality import floors
from tests.quality.corpus import corpus_hash, gold_pages, missing_reason
from tests.quality.run import extract_all
from tests.quality.table import Row, row

# Both extractors over 966 pages: about a minute on two idle cores, several on a busy machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def rows() -> dict[str, Row]:
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    results = extract_all(gold_pages())
    return {"ours": row(results, "ours"), "trafilatura": row(results, "trafilatura")}


@pytest.fixture(scope="module")
def pinned() -> dict:
    return floors.load()


def test_floors_were_pinned_on_this_corpus(pinned: dict) -> None:
    if missing_reason():
        pytest.skip(missing_reason())
    assert pinned["corpus"] == corpus_hash(), (
        "the corpus changed: re-pin with `python -m tests.quality --pin`")


@pytest.mark.parametrize("score", floors.GATED)
def test_score_stays_at_or_above_its_floor(rows: dict[str, Row], pinned: dict,
                                           score: str) -> None:
    assert rows["ours"].to_dict()[score] >= pinned["floors"][score]


@pytest.mark.parametrize("score", floors.GATED)
def test_score_is_above_trafilatura_in_the_same_run(rows: dict[str, Row], score: str) -> None:
    assert getattr(rows["ours"], score) > getattr(rows["trafilatura"], score)


@pytest.mark.parametrize("count", floors.CAPPED)
def test_count_stays_at_or_below_its_pinned_value(rows: dict[str, Row], pinned: dict,
                                                  count: str) -> None:
    assert rows["ours"].to_dict()[count] <= pinned["floors"][count]


def test_every_comment_record_has_an_author_or_a_text(rows: dict[str, Row]) -> None:
    assert rows["ours"].empty_comment_records == 0


def test_no_real_page_makes_extraction_fail(rows: dict[str, Row]) -> None:
    assert rows["ours"].errors == 0


def test_fewer_comment_less_pages_get_comments_than_with_trafilatura(
        rows: dict[str, Row]) -> None:
    assert rows["ours"].false_comment_pages < rows["trafilatura"].false_comment_pages
