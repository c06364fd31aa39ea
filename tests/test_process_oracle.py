"""`process` on a generated corpus against rows computed independently from its raw records.

The corpus is the benchmark's generator (`bench.synthetic`) at a small size: three nightly
runs, recrawls that bring a new and an edited comment, planted exact and syndicated copies.
The expected rows are computed here from the raw records alone, by the rules of
`schemas/README.md` written out plainly (newest fetch wins, first/last seen, positions by
time, edits counted, the language from py3langid's own `classify`), not with the archive's
code; duplicates are checked as the clusters the generator planted. Every column of every
row is compared.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from datetime import datetime
from typing import Any

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from archive.layout import DataDir
from archive.process import process
from bench.synthetic import Plan, planted_copies, records, run_articles, write_run
from tests.process_support import by_id

PLAN = Plan(articles=240, runs=3)
Row = dict[str, Any]
_LANGID = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _language(text: str, declared: str | None, min_chars: int) -> str | None:
    if len(text) < min_chars:
        return declared
    code, confidence = _LANGID.classify(text[:500])
    return code if confidence >= 0.8 else declared


def _crawls() -> dict[str, list[tuple[int, list[Row]]]]:
    """Per article id: (run, raw records) of every crawl, oldest first."""
    crawls: dict[str, list[tuple[int, list[Row]]]] = defaultdict(list)
    for run in range(PLAN.runs):
        for number in run_articles(PLAN, run):
            found = list(records(PLAN, number, run))
            crawls[found[0]["article_id"]].append((run, found))
    return crawls


def _expected_comments(article: Row, versions: list[list[Row]]) -> dict[str, Row]:
    history: dict[str, list[Row]] = defaultdict(list)
    for crawl in versions:
        for record in crawl[1:]:
            if record["type"] == "comment":
                history[record["comment_id"]].append(record)
    rows = {}
    for cid, seen in history.items():
        newest, texts = seen[-1], [r["text"] for r in seen]
        edits = sum(1 for a, b in itertools.pairwise(texts) if a != b)
        rows[cid] = {
            "comment_id": cid, "source_id": newest["source_id"],
            "article_id": newest["article_id"],
            "parent_id": None, "author": newest["author"],
            "published_at": _time(newest["published_at"]),
            "published_raw": newest["published_raw"], "date_flags": [], "text": newest["text"],
            "language": _language(newest["text"], None, 80) or article["language"],
            "word_count": len(newest["text"].split()),
            "content_hash": hashlib.sha256(newest["text"].encode()).hexdigest(),
            "edited": edits > 0, "edit_count": edits, "removed_at": None,
            "site": article["site"], "article_title": article["title"],
            "article_url": article["url"], "first_seen_at": _time(seen[0]["fetched_at"]),
            "last_seen_at": _time(newest["fetched_at"]),
            "fetched_at": _time(newest["fetched_at"]), "crawl_run_id": newest["crawl_run_id"],
            "extractor_version": None, "layout": None, "timezone": "UTC",
            "timezone_source": None, "month": article["month"]}
    ordered = sorted(rows.values(), key=lambda c: (c["published_at"], c["comment_id"]))
    for position, row in enumerate(ordered, start=1):
        row["position"] = position
    return rows


def _expected() -> tuple[dict[str, Row], dict[str, Row]]:
    articles, comments = {}, {}
    for aid, crawls in _crawls().items():
        versions = [found for _, found in crawls]
        raw = versions[-1][0]
        published = _time(raw["published_at"])
        article = {
            "article_id": aid, "url": raw["url"], "site": raw["site"], "title": raw["title"],
            "authors": raw["authors"], "published_at": published,
            "published_raw": raw["published_raw"], "date_flags": [], "modified_at": None,
            "language": _language(raw["text"], raw["language"], 40),
            "section": raw["section"], "tags": raw["tags"], "text": raw["text"],
            "word_count": len(raw["text"].split()), "comment_count_stated": None,
            "comment_system": None,
            "content_hash": hashlib.sha256(raw["text"].encode()).hexdigest(),
            "first_seen_at": _time(versions[0][0]["fetched_at"]),
            "last_seen_at": _time(raw["fetched_at"]), "fetched_at": _time(raw["fetched_at"]),
            "crawl_run_id": raw["crawl_run_id"], "extractor_version": None, "layout": None,
            "timezone": "UTC", "timezone_source": None, "month": f"{published:%Y-%m}"}
        thread = _expected_comments(article, versions)
        article["comment_count"] = len(thread)
        articles[aid] = article
        comments.update(thread)
    return articles, comments


@pytest.fixture(scope="module")
def expected() -> tuple[dict[str, Row], dict[str, Row]]:
    return _expected()


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    data = DataDir.at(tmp_path_factory.mktemp("oracle"))
    for run in range(PLAN.runs):
        write_run(PLAN, run, data.raw)
    process(data, workers=1)
    return data


def test_every_article_row_is_the_expected_row(archived: DataDir, expected: tuple) -> None:
    articles, _ = expected
    stored = by_id(archived, "articles")
    assert stored.keys() == articles.keys()
    for aid, row in stored.items():
        row = {k: v for k, v in row.items() if k not in ("duplicate_of", "duplicate_kind")}
        assert row == articles[aid]


def test_every_comment_row_is_the_expected_row(archived: DataDir, expected: tuple) -> None:
    _, comments = expected
    stored = by_id(archived, "comments")
    assert stored.keys() == comments.keys()
    assert stored == comments
    assert any(row["edit_count"] for row in stored.values())


def test_every_planted_copy_is_marked_in_its_cluster(archived: DataDir) -> None:
    stored = by_id(archived, "articles")
    ids = {number: next(records(PLAN, number, number // PLAN.per_run))["article_id"]
           for number in range(PLAN.articles)}

    def original(aid: str) -> str:
        return stored[aid]["duplicate_of"] or aid

    planted = planted_copies(PLAN)
    assert planted, "the corpus should plant copies"
    for copy, (source, kind) in planted.items():
        a, b = ids[copy], ids[source]
        assert original(a) == original(b), (copy, source)
        marked = stored[a] if stored[a]["duplicate_of"] else stored[b]
        assert marked["duplicate_kind"] == ("exact" if kind == "exact" else "near")
    copies = {ids[n] for n in planted} | {ids[s] for s, _ in planted.values()}
    assert all(row["duplicate_of"] is None for aid, row in stored.items() if aid not in copies)


def test_processing_the_corpus_again_changes_nothing(archived: DataDir) -> None:
    before = (by_id(archived, "articles"), by_id(archived, "comments"))
    process(archived, force=True, workers=1)
    assert (by_id(archived, "articles"), by_id(archived, "comments")) == before
