"""Pages of generated fixture sites, rendered without a server, for extraction tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sample_site.model import Article, Site
from sample_site.routes import Router

BASE_URL = "https://news.example"
FETCHED_AT = datetime(2021, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Page:
    url: str
    body: bytes
    content_type: str | None


def render(site: Site, path: str, base_url: str = BASE_URL) -> Page:
    response = Router(site, base_url, slow_seconds=0).handle("GET", path, {})
    assert response.status == 200, f"{path}: HTTP {response.status}"
    return Page(base_url + path, response.body, response.content_type)


def article_page(site: Site, article: Article, page: int = 1) -> Page:
    path = article.path if page == 1 else f"{article.path}comment-page-{page}/"
    return render(site, path)


def words(text: str) -> str:
    """Text compared word by word (the seed keeps non-breaking spaces; we normalise them)."""
    return " ".join(text.split())
