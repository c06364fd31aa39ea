"""Extraction quality on a generated corpus, with floors pinned beside the corpus hash.

`python -m tests.quality` prints the scores; `--pin` stores them as the new floors and
refuses to lower a floor unless `--allow-lower` is given. `tests/test_extraction_quality.py`
fails when a score drops below its floor or when the corpus changed without re-pinning.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from crawler.extraction import PageContext, extract_page
from sample_site.generate import build_site
from tests.pages import FETCHED_AT, Page, article_page, words

FLOORS = Path(__file__).parent / "fixtures" / "extraction_floors.json"
THEMES = ("classic", "print", "structured")
SEEDS = (101, 202, 303)


@dataclass(frozen=True)
class Case:
    theme: str
    page: Page
    truth: object  # sample_site.model.Article
    timezone: str


def corpus() -> list[Case]:
    cases = []
    for theme in THEMES:
        for seed in SEEDS:
            site = build_site(theme, n_articles=8, seed=seed, include_seed_article=seed == 101)
            cases += [Case(theme, article_page(site, a), a, site.timezone)
                      for a in site.articles]
    return cases


def corpus_hash(cases: list[Case]) -> str:
    digest = hashlib.sha256()
    for case in cases:
        digest.update(case.page.url.encode() + case.page.body)
    return digest.hexdigest()[:16]


def token_f1(found: str, truth: str) -> float:
    got, want = Counter(words(found).split()), Counter(words(truth).split())
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def score(cases: list[Case]) -> dict[str, float]:
    totals: Counter[str] = Counter()
    for case in cases:
        page = extract_page(case.page.body, case.page.url, PageContext(fetched_at=FETCHED_AT),
                            content_type=case.page.content_type)
        truth = case.truth
        totals["articles"] += 1
        totals["title"] += page.article.title == truth.title
        totals["authors"] += page.article.authors == list(truth.authors)
        totals["published"] += page.article.published.value == truth.published_utc(
            case.timezone)
        totals["text_f1"] += token_f1(page.article.text, truth.text)
        expected = {(c.author, c.published_utc(case.timezone), words(c.text))
                    for c in truth.comments}
        found = {(c.author, c.published.value, words(c.text)) for c in page.comments}
        totals["comments_expected"] += len(expected)
        totals["comments_found"] += len(found)
        totals["comments_right"] += len(expected & found)
    n = totals["articles"]
    return {
        "title_accuracy": round(totals["title"] / n, 4),
        "author_accuracy": round(totals["authors"] / n, 4),
        "published_accuracy": round(totals["published"] / n, 4),
        "text_f1": round(totals["text_f1"] / n, 4),
        "comment_recall": round(totals["comments_right"] / max(totals["comments_expected"], 1),
                                4),
        "comment_precision": round(totals["comments_right"] / max(totals["comments_found"], 1),
                                   4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.quality", description=__doc__)
    parser.add_argument("--pin", action="store_true", help="store the scores as floors")
    parser.add_argument("--allow-lower", action="store_true", help="let --pin lower a floor")
    args = parser.parse_args(argv)
    cases = corpus()
    scores = score(cases)
    print(json.dumps({"corpus": corpus_hash(cases), "pages": len(cases), **scores}, indent=2))
    if not args.pin:
        return 0
    old = json.loads(FLOORS.read_text()) if FLOORS.exists() else {"floors": {}}
    lowered = [k for k, v in scores.items() if v < old["floors"].get(k, 0)]
    if lowered and not args.allow_lower:
        print(f"refusing to lower {', '.join(lowered)}: pass --allow-lower", file=sys.stderr)
        return 1
    FLOORS.write_text(json.dumps({"corpus": corpus_hash(cases), "floors": scores}, indent=2)
                      + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
