"""`crawler.state`: what a nightly run fetches again, and how."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.state import CrawlState

NOW = datetime(2025, 6, 1, tzinfo=UTC)
WINDOW = timedelta(days=14)
KEY = "news.test/2025/05/30/story"


@pytest.fixture
def state(tmp_path: Path) -> CrawlState:
    return CrawlState(tmp_path / "state" / "news.sqlite")


def remember(state: CrawlState, published: datetime | None, *, etag: str | None = '"v1"',
             modified: str | None = "Fri, 30 May 2025 10:00:00 GMT") -> None:
    state.record(KEY, f"http://{KEY}/", published.isoformat() if published else None,
                 (NOW - timedelta(days=1)).isoformat(), etag, modified)


def test_a_new_article_is_fetched(state: CrawlState) -> None:
    decision = state.decide(KEY, NOW, WINDOW)
    assert (decision.fetch, decision.reason, decision.headers) == (True, "new", {})


def test_an_old_article_is_left_alone(state: CrawlState) -> None:
    remember(state, NOW - timedelta(days=100))
    decision = state.decide(KEY, NOW, WINDOW)
    assert (decision.fetch, decision.reason) == (False, "outside_recrawl_window")


def test_a_young_article_is_asked_for_conditionally(state: CrawlState) -> None:
    remember(state, NOW - timedelta(days=2))
    decision = state.decide(KEY, NOW, WINDOW)
    assert decision.fetch and decision.reason == "recrawl_window"
    assert decision.headers == {"If-None-Match": '"v1"',
                                "If-Modified-Since": "Fri, 30 May 2025 10:00:00 GMT"}


def test_a_newer_lastmod_brings_an_old_article_back(state: CrawlState) -> None:
    remember(state, NOW - timedelta(days=100))
    assert state.decide(KEY, NOW, WINDOW, lastmod=NOW - timedelta(hours=1)).reason \
        == "changed_lastmod"
    assert not state.decide(KEY, NOW, WINDOW, lastmod=NOW - timedelta(days=3)).fetch


def test_an_article_without_a_date_stays_in_the_window(state: CrawlState) -> None:
    remember(state, None, etag=None, modified=None)
    decision = state.decide(KEY, NOW, WINDOW)
    assert decision.fetch and decision.headers == {}


def test_a_later_record_keeps_the_known_publication_time(state: CrawlState) -> None:
    remember(state, NOW - timedelta(days=100))
    remember(state, None, etag='"v2"')
    known = state.known(KEY)
    assert known is not None
    assert known.published_at == NOW - timedelta(days=100) and known.etag == '"v2"'
