"""The real-page metric behaves as the corpus README defines it."""

from __future__ import annotations

import pytest

from tests.quality import metric


def test_tokens_are_unicode_word_runs_with_case_kept() -> None:
    assert metric.tokens("Größe: 3,5 Äpfel — l'été") == ["Größe", "3", "5", "Äpfel", "l", "été"]


def test_a_perfect_prediction_scores_one() -> None:
    m = metric.match("one two three four five", "one two three four five", 4)
    assert (m.tp, m.fp, m.fn) == (1.0, 0.0, 0.0)


def test_shingles_count_with_multiplicity() -> None:
    m = metric.match("a b a b a b", "a b", 1)
    assert m.tp == pytest.approx(2 / 6)
    assert m.fn == pytest.approx(4 / 6)


def test_counts_are_scaled_so_long_pages_weigh_no_more() -> None:
    short = metric.match("w x y z", "w x y z extra", 1)
    long = metric.match(" ".join(["w x y z"] * 100), " ".join(["w x y z extra"] * 100), 1)
    assert short == long


def test_a_page_with_both_sides_empty_counts_as_perfect() -> None:
    score = metric.score([metric.match(None, "", 1), metric.match("a", "b", 1)])
    assert (score.precision, score.recall) == (0.5, 0.5)


def test_precision_skips_pages_with_nothing_predicted() -> None:
    score = metric.score([metric.match("a b", "", 1), metric.match("a b", "a b", 1)])
    assert score.precision == 1.0
    assert score.recall == 0.5


def test_f1_is_the_harmonic_mean_of_the_means() -> None:
    score = metric.Score(precision=1.0, recall=0.5, pages=2)
    assert score.f1 == pytest.approx(2 / 3)


def test_leaked_counts_comment_text_found_in_the_body_but_not_in_the_gold_body() -> None:
    found, total = metric.leaked(gold_comments="great post thanks a lot",
                                 gold_body="the article text here",
                                 predicted_body="the article text here great post thanks a",
                                 n=4)
    assert (found, total) == (1, 2)
