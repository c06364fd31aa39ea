"""The article-extraction benchmark's metric, as `../shared/corpora/README.md` states it.

Tokens are the `\\w+` matches of a text (Unicode, case kept); a text is the multiset of its
n-grams of tokens. Per page, true positives are the shingles both sides share (counted with
multiplicity), scaled with the false positives and negatives so that they sum to one: long
pages weigh no more than short ones. Precision and recall are means over the pages where
they are defined; a page where both sides are empty counts as perfect.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    if n == 1:
        return Counter((w,) for w in words)
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


@dataclass(frozen=True)
class Match:
    """One page's scaled true positives, false positives and false negatives."""

    tp: float
    fp: float
    fn: float

    @property
    def both_empty(self) -> bool:
        return self.tp == self.fp == self.fn == 0


def match(gold: str | None, predicted: str | None, n: int) -> Match:
    want, got = shingles(gold, n), shingles(predicted, n)
    tp = sum((want & got).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    total = tp + fp + fn
    if not total:
        return Match(0.0, 0.0, 0.0)
    return Match(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    pages: int

    @property
    def f1(self) -> float:
        if not self.precision + self.recall:
            return 0.0
        return 2 * self.precision * self.recall / (self.precision + self.recall)


def score(matches: Iterable[Match]) -> Score:
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for m in matches:
        pages += 1
        if m.both_empty:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if m.tp + m.fp > 0:
            precisions.append(m.tp / (m.tp + m.fp))
        if m.tp + m.fn > 0:
            recalls.append(m.tp / (m.tp + m.fn))
    return Score(_mean(precisions), _mean(recalls), pages)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 1.0


def leaked(gold_comments: str | None, gold_body: str | None, predicted_body: str | None,
           n: int = 4) -> tuple[int, int]:
    """Gold comment shingles found in the predicted body (not also in the gold body), and
    all gold comment shingles: how much comment text ended up inside the article text."""
    comment = shingles(gold_comments, n) - shingles(gold_body, n)
    return sum((comment & shingles(predicted_body, n)).values()), sum(comment.values())
