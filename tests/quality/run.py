"""Extract every gold page with the project and with trafilatura, in one run, on every core."""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

from crawler.extraction import PageContext, extract_page
from tests.quality.corpus import GoldPage

# The pages are from 2012; a fixed fetch time keeps relative dates reproducible.
FETCHED_AT = datetime(2013, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Extracted:
    body: str
    comments: str
    comment_records: int = 0
    empty_records: int = 0
    error: str | None = None
    not_article: str | None = None
    """Why the page was not taken for an article (every gold page is one)."""


@dataclass(frozen=True)
class PageResult:
    page: GoldPage
    ours: Extracted
    trafilatura: Extracted


def ours(page: GoldPage) -> Extracted:
    try:
        found = extract_page(page.html(), page.url, PageContext(fetched_at=FETCHED_AT))
    except Exception as exc:  # a crash is a result to report, not a reason to stop the run
        return Extracted("", "", error=f"{type(exc).__name__}: {exc}")
    parts = [part for c in found.comments for part in (c.author or "", c.text) if part]
    empty = sum(1 for c in found.comments if not (c.author or "").strip() and not c.text.strip())
    return Extracted(found.article.text, "\n".join(parts), len(found.comments), empty,
                     not_article=None if found.kind.is_article else found.kind.reason)


def theirs(page: GoldPage) -> Extracted:
    """trafilatura as the corpus README measured it: comments out of the body for the body
    score, `include_comments=True` for the comments."""
    html = page.html()
    body = trafilatura.extract(html, include_comments=False) or ""
    document = trafilatura.bare_extraction(html, include_comments=True)
    comments = (getattr(document, "comments", None) or "") if document is not None else ""
    return Extracted(body, comments)


def _both(page: GoldPage) -> PageResult:
    return PageResult(page, ours(page), theirs(page))


def extract_all(pages: Iterable[GoldPage], workers: int | None = None) -> list[PageResult]:
    pages = list(pages)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return [_both(p) for p in pages]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_both, pages, chunksize=8))
