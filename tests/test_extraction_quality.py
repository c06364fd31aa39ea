"""The extraction quality gate: scores on the generated corpus never fall below the floors."""

from __future__ import annotations

import json

import pytest

from tests.quality import FLOORS, corpus, corpus_hash, score


@pytest.fixture(scope="module")
def pinned() -> dict:
    return json.loads(FLOORS.read_text())


@pytest.fixture(scope="module")
def cases() -> list:
    return corpus()


def test_floors_were_pinned_on_this_corpus(pinned: dict, cases: list) -> None:
    assert pinned["corpus"] == corpus_hash(cases), (
        "the corpus changed: re-pin with `python -m tests.quality --pin`")


def test_no_score_falls_below_its_floor(pinned: dict, cases: list) -> None:
    scores = score(cases)
    below = {k: (scores[k], floor) for k, floor in pinned["floors"].items() if scores[k] < floor}
    assert not below, f"scores below their floors (score, floor): {below}"
