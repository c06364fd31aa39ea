"""Synthetic raw runs for the process benchmark, written as the crawler writes them.

A corpus of `articles` articles over `runs` nightly runs on 20 sites. Run r brings
articles/runs new articles published in its month, plus a recrawl of 10 % of the
previous run's articles (a new comment each, one comment edited), like a nightly crawl
inside its recrawl window. About 600 words per article in eight paragraphs, 0 to 10
comments (5 on average) of 15 to 60 words. Among the new articles, 2 % are syndicated
copies of an earlier article on another site (a new first paragraph) and 0.5 % exact
copies under another URL. Words follow a Zipf law over a 20,000-word vocabulary, so
shingles repeat across articles about as in real text. Everything is a function of the
article number: the same arguments always write the same files.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from crawler.extraction.urls import article_id
from sample_site import text as sample_text

SITES = [f"site{n:02d}.example" for n in range(20)]
PARAGRAPHS, PARAGRAPH_WORDS = 8, 75
START = datetime(2023, 1, 1, tzinfo=UTC)
RECRAWL_SHARE = 0.10
NEAR_COPY_SHARE = 0.02
EXACT_COPY_SHARE = 0.005


def _vocabulary(size: int = 20_000) -> tuple[list[str], list[float]]:
    words: dict[str, None] = {}
    for group in (sample_text.SUBJECTS, sample_text.VERBS_PAST, sample_text.OBJECTS,
                  sample_text.TAILS, sample_text.OPENERS, sample_text.EVENTS,
                  sample_text.TOPICS, sample_text.COMMENT_SENTENCES):
        for phrase in group:
            for word in phrase.lower().split():
                words.setdefault(word.strip(".,;:!?“”\"'’"), None)
    rng = random.Random(3)
    syllables = ["ar", "be", "con", "de", "en", "for", "ga", "in", "lo", "men", "or", "pre",
                 "ro", "sta", "ter", "un", "vi", "wa", "tion", "ly", "ing", "ed", "er", "al"]
    while len(words) < size:
        words.setdefault("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))), None)
    vocabulary = [w for w in words if w][:size]
    weights = np.cumsum(1.0 / np.arange(1, len(vocabulary) + 1))
    return vocabulary, weights / weights[-1]


VOCABULARY, CUMULATIVE = _vocabulary()
# Word numbers for 2**20 equal slices of [0, 1): sampling is one integer draw and a lookup.
_LOOKUP = np.searchsorted(CUMULATIVE, (np.arange(2**20) + 0.5) / 2**20)


class _Words:
    """A seeded stream of Zipf-distributed words."""

    def __init__(self, seed: int, size: int = 1024) -> None:
        self.generator = np.random.default_rng(seed)
        self.buffer: list[str] = []
        self.size = size

    def take(self, count: int) -> str:
        while len(self.buffer) < count:
            draws = self.generator.integers(0, 2**20, max(self.size, count))
            self.buffer.extend(map(VOCABULARY.__getitem__, _LOOKUP[draws].tolist()))
        words, self.buffer = self.buffer[:count], self.buffer[count:]
        return " ".join(words)

    def paragraph(self, count: int = PARAGRAPH_WORDS) -> str:
        text = self.take(count)
        return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class Plan:
    articles: int
    runs: int

    @property
    def per_run(self) -> int:
        return max(1, self.articles // self.runs)

    def run_id(self, run: int) -> str:
        return f"{(START + timedelta(days=30 * run + 31)).strftime('%Y%m%dT%H%M%SZ')}-r{run:02d}"

    def fetched(self, run: int) -> datetime:
        return START + timedelta(days=30 * run + 31, hours=2)

    def new_articles(self, run: int) -> range:
        return range(run * self.per_run, (run + 1) * self.per_run)


def _kind(number: int) -> str:
    """original, near (syndicated copy) or exact (same text, another URL), by number."""
    draw = int(hashlib.blake2b(str(number).encode(), digest_size=4).hexdigest(), 16) / 2**32
    if number < 100 or draw >= NEAR_COPY_SHARE + EXACT_COPY_SHARE:
        return "original"
    return "near" if draw < NEAR_COPY_SHARE else "exact"


def _source(number: int) -> int:
    """The earlier article a copy copies."""
    return random.Random(number * 7919).randrange(max(1, number - 5000), number)


def _original_text(number: int) -> list[str]:
    words = _Words(number, PARAGRAPHS * PARAGRAPH_WORDS)
    return [words.paragraph() for _ in range(PARAGRAPHS)]


def article_text(number: int) -> str:
    kind = _kind(number)
    if kind == "original":
        return "\n\n".join(_original_text(number))
    source = article_text(_source(number)).split("\n\n")
    if kind == "exact":
        return "\n\n".join(source)
    return "\n\n".join([_Words(2**40 + number, 50).paragraph(50), *source[1:]])


def _published(plan: Plan, number: int) -> datetime:
    run = number // plan.per_run
    offset = random.Random(number + 17).randrange(30 * 24 * 60)
    return START + timedelta(days=30 * run, minutes=offset)


def _site(number: int) -> str:
    return SITES[number % len(SITES)]


def records(plan: Plan, number: int, run: int) -> Iterator[dict[str, Any]]:
    """The raw records of one crawl of article `number` in run `run`."""
    site = _site(number)
    published = _published(plan, number)
    url = f"https://{site}/{published:%Y/%m/%d}/story-{number}/"
    aid = article_id(url)
    fetch = {"fetch_url": url, "fetched_at": plan.fetched(run).isoformat(),
             "crawl_run_id": plan.run_id(run), "via": "page", "timezone": "UTC"}
    rng = random.Random(number * 31 + 1)
    words = _Words(2**41 + number)
    yield {"type": "article", "article_id": aid, "url": url, "site": site,
           "title": words.take(8).title(), "authors": [f"Author {number % 97}"],
           "published_at": published.isoformat().replace("+00:00", "Z"),
           "published_raw": published.strftime("%B %d, %Y %H:%M"), "date_flags": [],
           "modified_at": None, "language": "en", "section": "News",
           "tags": [words.take(1)], "text": article_text(number), **fetch}
    count = rng.randint(0, 10)
    recrawls = run - number // plan.per_run
    for index in range(count + recrawls):  # a recrawl finds one more comment
        when = published + timedelta(hours=index + 1)
        body = words.take(15 + (number + index) % 46)
        if recrawls and index == 0:
            body += " (edited)"
        yield {"type": "comment", "comment_id": f"{aid}-{index + 1}", "source_id": str(index + 1),
               "article_id": aid, "article_url": url, "parent_id": None,
               "author": f"reader{(number + index) % 5000}",
               "published_at": when.isoformat().replace("+00:00", "Z"),
               "published_raw": when.strftime("%B %d, %Y %H:%M"), "date_flags": [],
               "text": body, "page": 1, "page_order": index + 1, **fetch}
    yield {"type": "done", "article_id": aid, "url": url, "crawl_run_id": plan.run_id(run)}


def run_articles(plan: Plan, run: int) -> list[int]:
    numbers = list(plan.new_articles(run))
    if run > 0:
        previous = plan.new_articles(run - 1)
        step = max(1, round(1 / RECRAWL_SHARE))
        numbers += list(previous)[::step]
    return numbers


def run_file(plan: Plan, run: int, raw: Path) -> Path:
    return raw / f"run={plan.run_id(run)}" / "site=bench" / "items-s1.jsonl"


def write_run(plan: Plan, run: int, raw: Path) -> Path:
    """Write one run (`run=<id>/site=bench/items-s1.jsonl`) unless it is there already."""
    path = run_file(plan, run, raw)
    done = path.parent / "_SUCCESS"
    if done.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for number in run_articles(plan, run):
            for record in records(plan, number, run):
                handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True))
                handle.write("\n")
    done.write_text("")
    return path


def raw_counts(plan: Plan, raw: Path) -> dict[str, int]:
    """Records, articles, comments and bytes of the written runs."""
    counts = {"articles": 0, "comments": 0, "records": 0, "bytes": 0}
    for run in range(plan.runs):
        path = run_file(plan, run, raw)
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                kind = line[line.index('"type": "') + 9:].split('"', 1)[0]
                counts["records"] += 1
                if kind in ("article", "comment"):
                    counts[f"{kind}s"] += 1
        counts["bytes"] += path.stat().st_size
    return counts


def planted_copies(plan: Plan) -> dict[int, tuple[int, str]]:
    """Article number → (the article it copies, kind), for every planted copy."""
    return {n: (_source(n), _kind(n)) for n in range(plan.articles) if _kind(n) != "original"}
