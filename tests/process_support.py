"""Raw runs built by code, as the crawler writes them, for the process tests.

`Story` is an article with its comments; `Story.records(fetched, run_id)` gives the raw
records a crawl at `fetched` would have written (`crawler.items` fields, ids computed
with the crawler's own functions), and `write_run` puts them in a raw run directory.
Texts are made of pseudo-words from a seeded generator, so two stories never share a
5-word shingle by chance, and a story's text is the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

from archive.layout import DataDir
from archive.process import Archive
from crawler.extraction.comments import comment_id
from crawler.extraction.urls import article_id, clean_url, site_of
from crawler.rawzone import SUCCESS_MARKER, RawItemWriter

_SYLLABLES = ["ka", "lo", "mi", "ten", "ra", "su", "vel", "no", "pi", "dor", "ex", "ul",
              "tra", "me", "zo", "qui", "han", "bel", "cor", "fin", "gra", "ish", "ju", "wex"]


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = vocabulary()


def sentence_words(seed: int | str, count: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VOCABULARY) for _ in range(count)]


def paragraph(seed: int | str, words: int = 75) -> str:
    text = " ".join(sentence_words(seed, words))
    return text[0].upper() + text[1:] + "."


def body(seed: int | str, paragraphs: int = 8, words: int = 75) -> str:
    """A ~600-word article text: `paragraphs` paragraphs separated by a blank line."""
    return "\n\n".join(paragraph(f"{seed}/{i}", words) for i in range(paragraphs))


def syndicated(text: str, seed: int | str) -> str:
    """The same text with a new first paragraph, as a syndicating site publishes it."""
    return "\n\n".join([paragraph(f"lead/{seed}", 40), *text.split("\n\n")[1:]])


def at(day: int, hour: int = 12, month: int = 3, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


@dataclass(frozen=True)
class Comment:
    source_id: str
    author: str
    text: str
    published: datetime | None
    parent: str | None = None  # source id of the comment this one replies to


@dataclass(frozen=True)
class Story:
    url: str
    title: str
    text: str
    published: datetime | None
    comments: tuple[Comment, ...] = ()
    authors: tuple[str, ...] = ("Ann Writer",)

    @property
    def article_id(self) -> str:
        return article_id(clean_url(self.url))

    @property
    def site(self) -> str:
        return site_of(self.url)

    def comment_id(self, comment: Comment) -> str:
        return comment_id(self.article_id, comment.source_id, comment.author,
                          iso(comment.published))

    def with_comments(self, *comments: Comment) -> Story:
        return replace(self, comments=tuple(comments))

    def records(self, fetched: datetime, run_id: str) -> list[dict[str, Any]]:
        """The raw records of one crawl of this story (article, comments, done)."""
        fetch = {"fetch_url": self.url, "fetched_at": fetched.isoformat(),
                 "crawl_run_id": run_id, "via": "page", "timezone": "UTC"}
        out = [{
            "type": "article", "article_id": self.article_id, "url": self.url,
            "site": self.site, "title": self.title, "authors": list(self.authors),
            "published_at": iso(self.published),
            "published_raw": iso(self.published), "date_flags": [], "modified_at": None,
            "language": "en", "section": "News", "tags": ["politics"], "text": self.text,
            **fetch,
        }]
        for order, comment in enumerate(self.comments, start=1):
            parent = next((self.comment_id(c) for c in self.comments
                           if comment.parent and c.source_id == comment.parent), None)
            out.append({
                "type": "comment", "comment_id": self.comment_id(comment),
                "source_id": comment.source_id, "article_id": self.article_id,
                "article_url": self.url, "parent_id": parent, "author": comment.author,
                "published_at": iso(comment.published),
                "published_raw": iso(comment.published), "date_flags": [],
                "text": comment.text, "page": 1, "page_order": order, **fetch,
            })
        out.append({"type": "done", "article_id": self.article_id, "url": self.url,
                    "crawl_run_id": run_id})
        return out


def story(n: int, *, site: str = "news.example", day: int = 5, month: int = 3,
          comments: int = 3, text: str | None = None) -> Story:
    """The n-th test story: a ~600-word text, `comments` comments an hour apart."""
    published = at(day, 9, month)
    url = f"https://{site}/2024/{month:02d}/{day:02d}/story-{n}/"
    thread = tuple(Comment(str(100 * n + i), f"reader{i}",
                           f"Comment {i} on story {n}: " + " ".join(
                               sentence_words(f"c{n}/{i}", 12)),
                           published + timedelta(hours=i + 1))
                   for i in range(comments))
    return Story(url, f"Story number {n}", text if text is not None else body(f"story{n}"),
                 published, thread)


@dataclass
class RunBuilder:
    """Collects raw records of one run, then writes them as the crawler would."""

    run_id: str
    records: list[dict[str, Any]] = field(default_factory=list)

    def crawl(self, *stories: Story, fetched: datetime) -> RunBuilder:
        for item in stories:
            self.records.extend(item.records(fetched, self.run_id))
        return self

    def add(self, *records: dict[str, Any]) -> RunBuilder:
        self.records.extend(records)
        return self

    def write(self, data: DataDir, site: str = "example") -> Path:
        return write_run(data, self.run_id, self.records, site=site)


def write_run(data: DataDir, run_id: str, records: Iterable[dict[str, Any]], *,
              site: str = "example", session: str = "s1", complete: bool = True) -> Path:
    """Records as a raw run: `DIR/raw/run=<id>/site=<site>/items-<session>.jsonl`."""
    run_dir = data.raw_site(run_id, site)
    writer = RawItemWriter(run_dir, session)
    for record in records:
        writer.write(record)
    writer.close()
    if complete:
        (run_dir / SUCCESS_MARKER).write_text("")
    return run_dir


def rows(data: DataDir, entity: str, parquet: str | None = None) -> list[dict[str, Any]]:
    """Every row of an entity as downstream readers see it, sorted by primary key."""
    archive = Archive.open(data, parquet)
    store = archive.articles if entity == "articles" else archive.comments
    key = store.entity.primary_key
    return sorted(store.dataset().to_table().to_pylist(), key=lambda r: r[key])


def snapshot(data: DataDir, parquet: str | None = None) -> dict[str, list[dict[str, Any]]]:
    return {entity: rows(data, entity, parquet) for entity in ("articles", "comments")}


def by_id(data: DataDir, entity: str) -> dict[str, dict[str, Any]]:
    key = "article_id" if entity == "articles" else "comment_id"
    return {r[key]: r for r in rows(data, entity)}


def hive_table(data: DataDir, entity: str) -> Any:
    """The entity read the way a downstream job does: plain hive discovery, no schema."""
    return ds.dataset(data.parquet / entity, format="parquet", partitioning="hive").to_table()
