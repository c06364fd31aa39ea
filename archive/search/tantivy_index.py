"""The embedded search backend: tantivy indexes on disk, no server.

`DIR/index/<version>/{articles,comments}` with `DIR/index/CURRENT` naming the live
version. A full rebuild writes a new version beside the live one and switches `CURRENT`
with an atomic rename, so searches never meet a half-built index; `cleanup` then removes
the versions it replaced. Incremental updates replace documents by id inside the live
version and commit atomically.

Each version records the index schema it was built with (`SCHEMA.json`); when the record
schemas change, `schema_drift` says so and the index step builds a new version. Paging
follows the shared contract of `archive.search.query`: offsets within the first
`MAX_WINDOW` hits, a cursor (here: the next offset and the version) beyond.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import tantivy

from archive.search.query import (
    AUTHOR_FIELD,
    CursorError,
    Hit,
    SearchQuery,
    SearchResult,
    decode_cursor,
    encode_cursor,
)
from schemas.fields import Entity, Kind
from schemas.records import ARTICLE, COMMENT

logger = logging.getLogger(__name__)
ENTITIES: dict[str, Entity] = {"articles": ARTICLE, "comments": COMMENT}
SCHEMA_FILE = "SCHEMA.json"
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
                       "/": "&#x2F;"})
WRITER_HEAP = 128_000_000
WRITER_THREADS = min(os.cpu_count() or 1, 4)
SNIPPET_CHARS = 240
# tantivy stores dates as i64 nanoseconds: the open ends of a range stay inside that span.
_EARLIEST = datetime(1700, 1, 1, tzinfo=UTC)
_LATEST = datetime(2260, 1, 1, tzinfo=UTC)


def tantivy_schema(entity: Entity) -> tantivy.Schema:
    """The index schema, derived from the record schema."""
    builder = tantivy.SchemaBuilder()
    for f in entity.fields:
        if f.kind is Kind.TEXT:
            builder.add_text_field(f.name, stored=True, tokenizer_name="en_stem")
        elif f.kind in (Kind.ID, Kind.KEYWORD, Kind.KEYWORDS, Kind.URL):
            builder.add_text_field(f.name, stored=True, tokenizer_name="raw", fast=True)
        elif f.kind is Kind.TIMESTAMP:
            builder.add_date_field(f.name, stored=True, indexed=True, fast=True)
        elif f.kind is Kind.INT:
            builder.add_integer_field(f.name, stored=True, indexed=True, fast=True)
        elif f.kind is Kind.BOOL:
            builder.add_boolean_field(f.name, stored=True, indexed=True, fast=True)
    return builder.build()


def schema_record() -> dict[str, list[list[str]]]:
    """What a version's `SCHEMA.json` holds: every entity's fields and their kinds."""
    return {name: [[f.name, str(f.kind)] for f in entity.fields]
            for name, entity in ENTITIES.items()}


_SCHEMAS = {name: tantivy_schema(entity) for name, entity in ENTITIES.items()}


def _document(row: dict[str, Any]) -> tantivy.Document:
    doc = tantivy.Document()
    for name, value in row.items():
        if value is None or value == []:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                doc.add_boolean(name, item)
            elif isinstance(item, datetime):
                doc.add_date(name, item)
            elif isinstance(item, int):
                doc.add_integer(name, item)
            else:
                doc.add_text(name, str(item))
    return doc


class TantivyIndex:
    name = "tantivy"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._indexes: dict[tuple[str, str], tantivy.Index] = {}
        self._fresh: set[str] = set()
        self._figures: dict[str, int] = {}

    # --- versions --------------------------------------------------------------------

    def current(self) -> str | None:
        pointer = self.root / "CURRENT"
        return pointer.read_text().strip() if pointer.exists() else None

    def _open(self, version: str, entity: str, create: bool = False) -> tantivy.Index:
        """The index of one entity in one version, opened once per process."""
        if (version, entity) not in self._indexes:
            path = self.root / version / entity
            if create:
                path.mkdir(parents=True, exist_ok=True)
            self._indexes[version, entity] = tantivy.Index(
                _SCHEMAS[entity], path=str(path), reuse=not create)
        return self._indexes[version, entity]

    def schema_drift(self) -> str | None:
        """Why the live version no longer fits the record schemas, or None."""
        version = self.current()
        path = self.root / str(version) / SCHEMA_FILE
        recorded = json.loads(path.read_text()) if path.exists() else None
        if recorded == schema_record():
            return None
        changed = sorted(name for name, fields in schema_record().items()
                         if (recorded or {}).get(name) != fields)
        return f"index schema of {', '.join(changed)} changed (version {version})"

    def new_version(self) -> str:
        version = f"v{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:6]}"
        for entity in ENTITIES:
            self._open(version, entity, create=True)
        (self.root / version / SCHEMA_FILE).write_text(json.dumps(schema_record()))
        self._fresh.add(version)
        return version

    def publish(self, version: str) -> None:
        """Make `version` live atomically."""
        staging = self.root / f".CURRENT.{uuid.uuid4().hex}"
        staging.write_text(version)
        os.replace(staging, self.root / "CURRENT")
        self._indexes = {key: index for key, index in self._indexes.items() if key[0] == version}

    def cleanup(self, version: str) -> dict[str, list[str]]:
        """Remove every other version (best effort: a failure is logged and retried next run)."""
        removed, failed = [], []
        for old in sorted(self.root.iterdir()) if self.root.exists() else []:
            if old.is_dir() and old.name != version and old.name.startswith("v"):
                try:
                    shutil.rmtree(old)
                    removed.append(old.name)
                except OSError as exc:
                    logger.warning("could not remove old index %s (%s); the next run retries",
                                   old, exc)
                    failed.append(old.name)
        return {"removed": removed, "failed": failed}

    # --- writing ---------------------------------------------------------------------

    def upsert(self, version: str, entity: str, tables: Iterable[pa.Table]) -> int:
        """Add or replace rows by primary key; returns the number of rows written."""
        index = self._open(version, entity)
        key = ENTITIES[entity].primary_key
        replacing = version not in self._fresh  # a version built here has nothing to replace
        index.reload()
        before = index.searcher().num_docs
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        written = 0
        for table in tables:
            for row in table.to_pylist():
                if replacing:
                    writer.delete_documents_by_term(key, row[key])
                writer.add_document(_document(row))
                written += 1
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        created = index.searcher().num_docs - before
        for name, value in ((f"{entity}/indexed", created),
                            (f"{entity}/updated", written - created),
                            (f"{entity}/dead_lettered", 0)):
            self._figures[name] = self._figures.get(name, 0) + value
        return written

    def figures(self) -> dict[str, int]:
        """Indexed (new), updated (replaced) and dead-lettered (never) documents per entity."""
        return dict(sorted(self._figures.items()))

    # --- what the Elasticsearch backend also answers -------------------------------------

    def pending_dead_letters(self, version: str) -> list[dict[str, Any]]:
        return []  # the embedded index takes every document

    def dead_letter_files(self) -> list[Path]:
        return []

    def retire_dead_letters(self, before: list[Path]) -> int:
        return 0

    def partition_counts(self, entity: str, partitions: list[tuple[str, ...]]
                         ) -> dict[tuple[str, ...], int]:
        """Documents per partition of the live version."""
        version = self.current()
        if version is None:
            return dict.fromkeys(partitions, 0)
        index = self._open(version, entity)
        index.reload()
        searcher, schema = index.searcher(), _SCHEMAS[entity]
        keys = ENTITIES[entity].partition_by
        counts = {}
        for partition in partitions:
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, tantivy.Query.term_query(schema, key, value))
                for key, value in zip(keys, partition, strict=True)])
            counts[partition] = searcher.search(query, limit=1, count=True).count or 0
        return counts

    def count(self, entity: str) -> int:
        version = self.current()
        if version is None:
            return 0
        index = self._open(version, entity)
        index.reload()
        return index.searcher().num_docs

    # --- searching -------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        query.check_window()
        version = self.current()
        offset = query.offset
        if query.after is not None:
            state = decode_cursor(query, self.name)
            if state["v"] != version:
                raise CursorError("the index was rebuilt since this cursor was made: run the "
                                  "search again")
            offset = int(state["o"])
        if version is None:
            return SearchResult(0)
        result = self._search(version, query, offset)
        following = offset + len(result.hits)
        if result.hits and following < result.total:
            result.next = encode_cursor(query, self.name, {"v": version, "o": following})
        return result

    def _search(self, version: str, query: SearchQuery, offset: int) -> SearchResult:
        index = self._open(version, query.kind)
        index.reload()
        schema = _SCHEMAS[query.kind]
        searcher = index.searcher()
        compiled = self._compile(index, schema, query)
        kwargs: dict[str, Any] = {"limit": query.limit, "offset": offset}
        if query.sort != "relevance":
            kwargs["order_by_field"] = "published_at"
            kwargs["order"] = tantivy.Order.Desc if query.sort == "newest" else tantivy.Order.Asc
        result = searcher.search(compiled, **kwargs)
        text_query = self._text_query(index, query)
        snippets = (tantivy.SnippetGenerator.create(searcher, text_query, schema, "text")
                    if text_query is not None else None)
        hits = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            snippet = (_marked(snippets.snippet_from_doc(doc)) if snippets else "") or \
                html_encode(_first(doc, "text", "")[:SNIPPET_CHARS])
            hits.append(_hit(query, doc, snippet,
                             score if query.sort == "relevance" else None))
        return SearchResult(result.count or 0, hits)

    def _text_query(self, index: tantivy.Index, query: SearchQuery) -> tantivy.Query | None:
        parts = [index.parse_query(_escape(term), list(query.fields)) for term in query.terms]
        parts += [index.parse_query(f'"{_escape(p)}"', list(query.fields))
                  for p in query.phrases]
        if not parts:
            return None
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, p) for p in parts])

    def _compile(self, index: tantivy.Index, schema: tantivy.Schema,
                 query: SearchQuery) -> tantivy.Query:
        clauses = []
        text = self._text_query(index, query)
        if text is not None:
            clauses.append((tantivy.Occur.Must, text))
        if query.published_from or query.published_before:
            low = max(query.published_from or _EARLIEST, _EARLIEST)
            high = min(query.published_before or _LATEST, _LATEST)
            clauses.append((tantivy.Occur.Must, tantivy.Query.range_query(
                schema, "published_at", tantivy.FieldType.Date, low, high,
                include_lower=True, include_upper=False)))
        if query.site:
            clauses.append((tantivy.Occur.Must,
                            tantivy.Query.term_query(schema, "site", query.site)))
        if query.author:
            clauses.append((tantivy.Occur.Must, tantivy.Query.term_query(
                schema, AUTHOR_FIELD[query.kind], query.author)))
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)


def html_encode(text: str) -> str:
    """Text as Elasticsearch's `html` highlight encoder writes it (Lucene's
    SimpleHTMLEncoder), so that snippets are safe to embed on both backends."""
    return text.translate(_HTML)


def _marked(snippet: tantivy.Snippet) -> str:
    """The snippet's fragment with `<b>…</b>` around matches and the text between them
    HTML-encoded: the same form as Elasticsearch's highlights with those tags."""
    fragment = snippet.fragment().encode("utf-8")  # ranges are byte offsets
    pieces, last = [], 0
    for match in sorted(snippet.highlighted(), key=lambda r: r.start):
        pieces += [_text(fragment[last:match.start]), "<b>",
                   _text(fragment[match.start:match.end]), "</b>"]
        last = match.end
    pieces.append(_text(fragment[last:]))
    return "".join(pieces)


def _text(raw: bytes) -> str:
    return html_encode(raw.decode("utf-8", errors="replace"))


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in '+-&|!(){}[]^"~*?:\\/' else c for c in text)


def _first(doc: tantivy.Document, name: str, default: Any = None) -> Any:
    values = doc.to_dict().get(name) or []
    return values[0] if values else default


def _hit(query: SearchQuery, doc: tantivy.Document, snippet: str, score: float | None) -> Hit:
    data = doc.to_dict()
    if query.kind == "articles":
        return Hit("articles", _first(doc, "article_id"), _first(doc, "title"),
                   data.get("authors", []), _first(doc, "published_at"), _first(doc, "site"),
                   _first(doc, "url"), snippet, score, _first(doc, "article_id"))
    author = _first(doc, "author")
    return Hit("comments", _first(doc, "comment_id"), _first(doc, "article_title"),
               [author] if author else [], _first(doc, "published_at"), _first(doc, "site"),
               _first(doc, "article_url"), snippet, score, _first(doc, "article_id"))
