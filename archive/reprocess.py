"""Re-extract archived crawls offline: the WARC responses of raw runs through today's extractor.

The result is a new raw run (`reprocess-<time>`, `archive.versions.reprocess_run_id`) beside
the old ones, written with the crawler's own items (`crawler.items`, the record contract),
so `process` merges it like any crawl: the fetch time of each response is kept (from
`WARC-Date`), so relative dates resolve as they did, and the newer extraction of the same
fetch wins ties (`archive.versions`).
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.layout import DataDir
from archive.times import to_utc
from archive.versions import reprocess_run_id
from crawler.discovery import api_route
from crawler.extraction import ExtractedPage, PageContext, extract_page
from crawler.extraction.comment_systems import BY_SYSTEM
from crawler.extraction.comment_systems.disqus import redact
from crawler.extraction.comment_systems.replay import (
    ReplayedPage,
    Stored,
    answer_key,
    archived_threads,
)
from crawler.extraction.comments import finish
from crawler.extraction.dates import DateResolver
from crawler.extraction.wordpress_api import article_from_post, comments_from_api
from crawler.items import ArticleItem, CommentItem
from crawler.rawzone import RawItemWriter
from crawler.runner import new_run_id

logger = logging.getLogger(__name__)

@dataclass
class Archived:
    url: str
    fetched_at: datetime
    content_type: str
    body: bytes


@dataclass
class SiteReplay:
    """What one site's archived responses yield, with the spider's one-owner rule."""

    run_id: str
    timezone: str | None = None
    formats: list[str] = field(default_factory=list)
    owner: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    posts: dict[str, tuple[str, str]] = field(default_factory=dict)  # post id -> (aid, url)
    records: list[dict[str, Any]] = field(default_factory=list)

    def add(self, values: dict[str, Any]) -> None:
        item = ArticleItem if values["type"] == "article" else CommentItem
        record = dict(item(**values))  # the crawler's contract: an unknown field fails
        key = record.get("comment_id") or record["article_id"]
        if key in self.seen:
            return
        if record["type"] == "article":
            self.owner.setdefault(record["article_id"], record["via"])
        elif self.owner.get(record["article_id"], record["via"]) != record["via"]:
            return
        self.seen.add(key)
        self.records.append(record)


def warc_responses(site_dir: Path) -> Iterator[Archived]:
    """HTTP 200 responses of a site's WARC files, in archive order.

    A record cut short by a killed crawl ends its file: what came before it is read, the
    rest is skipped with a warning.
    """
    for path in sorted(site_dir.glob("responses-*.warc.gz")):
        with path.open("rb") as stream:
            try:
                yield from _responses(ArchiveIterator(stream))
            except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as exc:
                logger.warning("%s: stopped at a damaged record (%s)", path, exc)


def _responses(records: ArchiveIterator) -> Iterator[Archived]:
    for record in records:
        if record.rec_type != "response" or record.http_headers is None:
            continue
        if record.http_headers.get_statuscode() != "200":
            continue
        date = record.rec_headers.get_header("WARC-Date")
        yield Archived(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            fetched_at=to_utc(date),
            content_type=record.http_headers.get_header("Content-Type") or "",
            body=record.content_stream().read(),
        )


def _fetch(item: Archived, replay: SiteReplay, via: str) -> dict[str, Any]:
    return {"fetch_url": item.url, "fetched_at": item.fetched_at.astimezone(UTC).isoformat(),
            "crawl_run_id": replay.run_id, "via": via, "timezone": replay.timezone}


def _replay_api(item: Archived, replay: SiteReplay) -> None:
    path = (api_route(item.url) or "").rstrip("/") or "/"
    data = json.loads(item.body)
    resolver = DateResolver(replay.timezone, item.fetched_at, formats=replay.formats)
    if path == "/" and isinstance(data, dict):
        replay.timezone = replay.timezone or data.get("timezone_string") or None
    elif path.endswith("/wp/v2/posts") and isinstance(data, list):
        for post in data:
            article = article_from_post(post, resolver)
            replay.posts[str(post["id"])] = (article.article_id, article.url)
            replay.add({"type": "article", **article.to_dict(), **_fetch(item, replay, "rest")})
    elif path.endswith("/wp/v2/comments") and isinstance(data, list):
        query = parse_qs(urlsplit(item.url).query)
        post = replay.posts.get((query.get("post") or [""])[0])
        if post is None:
            return
        page = int((query.get("page") or ["1"])[0])
        for comment in comments_from_api(data, post[0], resolver, page):
            replay.add({"type": "comment", "article_id": post[0], "article_url": post[1],
                        **comment.to_dict(), **_fetch(item, replay, "rest")})


def _replay_page(item: Archived, replay: SiteReplay, answers: dict[str, Stored]) -> None:
    context = PageContext(fetched_at=item.fetched_at, timezone=replay.timezone,
                          formats=replay.formats)
    page = extract_page(item.body, item.url, context, content_type=item.content_type)
    replay.timezone = replay.timezone or page.timezone
    article = page.article
    if article.is_article and article.text:
        replay.add({"type": "article", **article.to_dict(), **_fetch(item, replay, "html")})
    if article.article_id not in replay.owner:
        return
    threads = list(archived_threads(page.embeds, item.url, answers))
    replaced = {BY_SYSTEM[t.system].html_copy for t in threads} - {None}  # the API's win
    for comment in page.comments:
        if comment.layout not in replaced:
            replay.add({"type": "comment", "article_id": article.article_id,
                        "article_url": article.url, **comment.to_dict(),
                        **_fetch(item, replay, "html")})
    _replay_threads(page, threads, replay)


def _replay_threads(page: ExtractedPage, threads: list[ReplayedPage],
                    replay: SiteReplay) -> None:
    """The comments the page's comment system served, from its archived API answers."""
    article = page.article
    for thread in threads:
        resolver = DateResolver(replay.timezone, thread.answer.fetched_at)
        fetched = _fetch(thread.answer, replay, "html")
        for comment in finish(thread.page.comments, article.article_id, resolver,
                              thread.number, layout=thread.layout):
            replay.add({"type": "comment", "article_id": article.article_id,
                        "article_url": article.url, **comment.to_dict(), **fetched})


def _is_api(item: Archived) -> bool:
    return "json" in item.content_type and api_route(item.url) is not None


def replay_site(site_dir: Path, run_id: str) -> SiteReplay:
    """The API's records first, then the pages', whatever order they were fetched in: as in
    the crawl, an article the API delivers is the API's. The answers of comment systems'
    APIs are read with the page that embeds them."""
    replay = SiteReplay(run_id)
    answers: dict[str, Stored] = {}
    for item in warc_responses(site_dir):
        if _is_api(item):
            _replay_api(item, replay)
        elif "json" in item.content_type:
            answers[answer_key(item.url)] = _redacted(item)
    for item in warc_responses(site_dir):
        if not _is_api(item) and "html" in item.content_type:
            _replay_page(item, replay, answers)
    return replay


def _redacted(item: Archived) -> Archived:
    """A comment API answer as records may name it: its URL without the API key."""
    return Archived(redact(item.url), item.fetched_at, item.content_type, item.body)


def reprocess(data: DataDir, *, run_id: str | None = None) -> dict[str, Any]:
    """Re-extract every raw run (or one) into a new raw run; returns what it did."""
    runs = [run_id] if run_id else [r for r in data.run_ids() if not r.startswith("reprocess-")]
    new_run = reprocess_run_id(new_run_id())
    responses = records = 0
    session = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    for run in runs:
        for site_dir in data.raw_sites(run):
            replay = replay_site(site_dir, new_run)
            target = data.raw_run(new_run) / site_dir.name
            writer = RawItemWriter(target, f"{run}-{session}")
            for record in replay.records:
                writer.write(record)
            writer.close()
            responses += sum(1 for _ in warc_responses(site_dir))
            records += len(replay.records)
    return {"run_id": new_run, "runs": runs, "responses": responses, "records": records}
