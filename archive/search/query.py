"""The query model every backend answers the same way.

Text is split into words and "quoted phrases"; every word and phrase must match in one of
the searched fields (title and text for articles; text and the article's title for
comments). Filters: publication period (UTC, `to` inclusive of its whole day or month),
site, author. Sorted by relevance, newest or oldest first.

Paging: `offset` and `limit` reach the first `MAX_WINDOW` hits (Elasticsearch's default
`index.max_result_window`; the embedded index keeps the same bound so that both backends
behave alike). Past it, each `SearchResult` carries `next`, an opaque cursor for the page
after it: pass it back as `after` (the CLI's `--after`). A query asking past the window
with `offset` is refused with `SearchWindowError`, the same on every backend; a cursor
that does not belong to the query, or can no longer be followed (the index was rebuilt
since, or a cursor was left unused for longer than its keep-alive), raises `CursorError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from archive.times import to_utc

Kind = Literal["articles", "comments"]
Sort = Literal["relevance", "newest", "oldest"]
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "articles": ("title", "text"),
    "comments": ("text", "article_title"),
}
AUTHOR_FIELD: dict[str, str] = {"articles": "authors", "comments": "author"}
_TOKENS = re.compile(r'"([^"]+)"|(\S+)')
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MAX_WINDOW = 10_000


class SearchWindowError(ValueError):
    """The query asks for hits past `MAX_WINDOW` by offset."""


class CursorError(ValueError):
    """A cursor that is not this query's, or can no longer be followed."""


def parse_period(value: str, *, end: bool = False) -> datetime:
    """Start of a YYYY, YYYY-MM or YYYY-MM-DD period in UTC, or the start of the next one
    when `end` (so `--to 2019-02` takes in all of February). Full ISO times pass through."""
    match = _PERIOD.match(value.strip())
    if not match:
        return to_utc(value)  # type: ignore[return-value]
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
    after: str | None = None  # the `next` cursor of the previous page

    @property
    def terms(self) -> list[str]:
        return [m.group(2) for m in _TOKENS.finditer(self.text) if m.group(2)]

    @property
    def phrases(self) -> list[str]:
        return [m.group(1).strip() for m in _TOKENS.finditer(self.text) if m.group(1)]

    @property
    def fields(self) -> tuple[str, ...]:
        return SEARCH_FIELDS[self.kind]


    def key(self) -> str:
        """What a cursor is bound to: the query without its paging."""
        parts = [self.text, self.kind, self.published_from, self.published_before, self.site,
                 self.author, self.sort]
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]

    def check_window(self) -> None:
        """Refuse paging that no backend answers the same way (see the module docstring)."""
        if self.limit < 1 or self.offset < 0:
            raise SearchWindowError("limit must be at least 1 and offset at least 0")
        if self.after is not None and self.offset:
            raise SearchWindowError("a cursor (--after) continues where its page ended: "
                                    "give no offset with it")
        if self.offset + self.limit > MAX_WINDOW:
            raise SearchWindowError(
                f"hits {self.offset + 1}-{self.offset + self.limit} lie past the first "
                f"{MAX_WINDOW}: page there with the cursor each page returns (--after), "
                "not with --offset")


def encode_cursor(query: SearchQuery, backend: str, state: dict[str, Any]) -> str:
    payload = json.dumps({"b": backend, "q": query.key(), **state}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(query: SearchQuery, backend: str) -> dict[str, Any]:
    """The state in `query.after`, checked to belong to this query on this backend."""
    text = query.after or ""
    try:
        state = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError) as exc:
        raise CursorError("not a search cursor: pass the `next` value of a result") from exc
    if not isinstance(state, dict) or state.get("b") != backend or state.get("q") != query.key():
        raise CursorError("this cursor belongs to another search: run that search again, "
                          "or this one without --after")
    return state


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
    next: str | None = None  # cursor for the page after this one, None on the last page
