"""Saved pages of real-world layouts: each field checked on its own against `expected.json`.

`tests/fixtures/pages/<case>/` holds `page.html`, `meta.json` (the URL it was fetched
from, the fetch time, the site's timezone and why the case is here) and `expected.json`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extraction import ExtractedPage, PageContext, extract_page

CASES = sorted((Path(__file__).parent / "fixtures" / "pages").iterdir())


def _load(case: Path) -> tuple[ExtractedPage, dict]:
    meta = json.loads((case / "meta.json").read_text())
    context = PageContext(fetched_at=datetime.fromisoformat(meta["fetched_at"]),
                          timezone=meta["timezone"])
    page = extract_page((case / "page.html").read_bytes(), meta["url"], context)
    return page, json.loads((case / "expected.json").read_text())


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request: pytest.FixtureRequest) -> tuple[ExtractedPage, dict]:
    return _load(request.param)


def test_canonical_url(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    assert page.article.url == expected["url"]


def test_title(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    assert page.article.title == expected["title"]


def test_authors(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    assert page.article.authors == expected["authors"]


def test_published_at(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    assert page.article.published.iso == expected["published_at"]


def test_section_tags_language(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    for field in ("section", "tags", "language"):
        if field in expected:
            assert getattr(page.article, field) == expected[field], field


def test_main_text_without_boilerplate(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    text = page.article.text
    assert text.startswith(expected["text_starts"]) and text.endswith(expected["text_ends"])
    assert len(text.split("\n\n")) == expected["paragraphs"]


def test_comment_authors_times_and_texts(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    assert [(c.source_id, c.author, c.published.iso, c.text) for c in page.comments] == [
        (c["source_id"], c["author"], c["published_at"], c["text"])
        for c in expected["comments"]]


def test_comment_threads(case: tuple[ExtractedPage, dict]) -> None:
    page, expected = case
    ids = {c.source_id: c.comment_id for c in page.comments}
    assert [c.parent_id for c in page.comments] == [
        ids[c["parent"]] if c["parent"] else None for c in expected["comments"]]
