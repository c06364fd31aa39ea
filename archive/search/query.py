"""The query model every backend answers the same way.

Text is split into words and "quoted phrases"; every word and phrase must match in one of
the searched fields (title and text for articles; text and the article's title for
comments). Filters: publication period (UTC, `to` inclusive of its whole day or month),
site, author. Sorted by relevance, newest or oldest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

Kind = Literal["articles", "comments"]
Sort = Literal["relevance", "newest", "oldest"]
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "articles": ("title", "text"),
    "comments": ("text", "article_title"),
}
AUTHOR_FIELD: dict[str, str] = {"articles": "authors", "comments": "author"}
_TOKENS = re.compile(r'"([^"]+)"|(\S+)')
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_period(value: str, *, end: bool = False) -> datetime:
    """Start of a YYYY, YYYY-MM or YYYY-MM-DD period in UTC, or the start of the next one
    when `end` (so `--to 2019-02` takes in all of February). Full ISO times pass through."""
    match = _PERIOD.match(value.strip())
    if not match:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    year, month, day = (int(g) if g else None for g in match.groups())
    start = date(year, month or 1, day or 1)
    if not end:
        return datetime(start.year, start.month, start.day, tzinfo=UTC)
    if day:
        nxt = start + timedelta(days=1)
    elif month:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
    else:
        nxt = date(year + 1, 1, 1)
    return datetime(nxt.year, nxt.month, nxt.day, tzinfo=UTC)


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    kind: Kind = "articles"
    published_from: datetime | None = None  # inclusive
    published_before: datetime | None = None  # exclusive
    site: str | None = None
    author: str | None = None
    sort: Sort = "relevance"
    limit: int = 10
    offset: int = 0

    @property
    def terms(self) -> list[str]:
        return [m.group(2) for m in _TOKENS.finditer(self.text) if m.group(2)]

    @property
    def phrases(self) -> list[str]:
        return [m.group(1).strip() for m in _TOKENS.finditer(self.text) if m.group(1)]

    @property
    def fields(self) -> tuple[str, ...]:
        return SEARCH_FIELDS[self.kind]


@dataclass
class Hit:
    kind: Kind
    id: str
    title: str | None
    authors: list[str]
    published_at: datetime | None
    site: str
    url: str
    snippet: str
    score: float | None = None
    article_id: str | None = None

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return data


@dataclass
class SearchResult:
    total: int
    hits: list[Hit] = field(default_factory=list)
