"""Re-extract archived crawls offline: the WARC responses of raw runs through today's extractor.

The result is a new raw run (`reprocess-<time>`, `archive.versions.reprocess_run_id`) beside
the old ones, written with the crawler's own items (`crawler.items`, the record contract),
so `process` merges it like any crawl: the fetch time of each response is kept (from
`WARC-Date`), so relative dates resolve as they did, and the newer extraction of the same
fetch wins ties (`archive.versions`).

A site is re-read with the same settings as its crawl: its site file (the `site=<name>`
of the raw zone names it), the day/month order the crawl learnt (crawl state), and the
same timezone precedence: the site file's, else the zone the crawled run decided (its
records carry it), else WordPress's own setting in the archived REST index, else the
evidence of the first archived pages, else UTC.
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
from crawler.extraction import ExtractedPage, Overrides, PageContext, extract_page
from crawler.extraction.comment_systems import BY_SYSTEM
from crawler.extraction.comment_systems.disqus import redact
from crawler.extraction.comment_systems.replay import (
    ReplayedPage,
    Stored,
    answer_key,
    archived_threads,
)
from crawler.extraction.comments import finish
from crawler.extraction.dates import DateResolver, learnt_order
from crawler.extraction.timezones import (
    DEFAULT_UTC,
    SiteTimezone,
    date_flag,
    from_wordpress,
    infer_site_timezone,
    page_evidence,
)
from crawler.extraction.urls import DEFAULT_RULES, QueryRules
from crawler.extraction.wordpress_api import article_from_post, comments_from_api
from crawler.items import ArticleItem, CommentItem
from crawler.rawzone import RawItemWriter, read_items
from crawler.runner import new_run_id
from crawler.siteconfig import SiteConfig
from crawler.state import CrawlState

logger = logging.getLogger(__name__)
EVIDENCE_PAGES = 3

@dataclass
class Archived:
    url: str
    fetched_at: datetime
    content_type: str
    body: bytes


@dataclass(frozen=True)
class SiteSettings:
    """What re-extraction takes from a site's file (the defaults of a bare URL without one)
    and from its crawl state (the day/month order its crawls learnt)."""

    timezone: str | None = None
    language: str = "en"
    date_order: str | None = None
    overrides: Overrides = field(default_factory=Overrides)
    query_rules: QueryRules = DEFAULT_RULES

    @classmethod
    def of(cls, site: SiteConfig | None, learnt_order: str | None) -> SiteSettings:
        if site is None:
            return cls(date_order=learnt_order)
        return cls(site.timezone, site.language, site.date_order or learnt_order,
                   site.overrides(), site.query_rules)


@dataclass
class SiteReplay:
    """What one site's archived responses yield, with the spider's one-owner rule."""

    run_id: str
    site: SiteSettings = field(default_factory=SiteSettings)
    zone: SiteTimezone = DEFAULT_UTC
    date_order: str | None = None
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
            "crawl_run_id": replay.run_id, "via": via, "timezone": replay.zone.name,
            "timezone_source": replay.zone.source}


def _resolver(replay: SiteReplay, fetched_at: datetime) -> DateResolver:
    return DateResolver(replay.zone.name, fetched_at, formats=replay.formats,
                        languages=(replay.site.language,), date_order=replay.date_order,
                        zone_flag=date_flag(replay.zone))


def _replay_api(item: Archived, replay: SiteReplay) -> None:
    path = (api_route(item.url) or "").rstrip("/") or "/"
    data = json.loads(item.body)
    resolver = _resolver(replay, item.fetched_at)
    if path.endswith("/wp/v2/posts") and isinstance(data, list):
        for post in data:
            article = article_from_post(post, resolver, replay.site.query_rules)
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
    site = replay.site
    context = PageContext(fetched_at=item.fetched_at, timezone=replay.zone.name,
                          timezone_flag=date_flag(replay.zone), languages=(site.language,),
                          date_order=replay.date_order, overrides=site.overrides,
                          formats=replay.formats, query_rules=site.query_rules)
    page = extract_page(item.body, item.url, context, content_type=item.content_type)
    replay.date_order = replay.date_order or learnt_order(replay.formats)
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
        resolver = _resolver(replay, thread.answer.fetched_at)
        fetched = _fetch(thread.answer, replay, "html")
        for comment in finish(thread.page.comments, article.article_id, resolver,
                              thread.number, layout=thread.layout):
            replay.add({"type": "comment", "article_id": article.article_id,
                        "article_url": article.url, **comment.to_dict(), **fetched})


def _is_api(item: Archived) -> bool:
    return "json" in item.content_type and api_route(item.url) is not None


def decide_zone(site_dir: Path, site: SiteSettings) -> SiteTimezone:
    """The zone a site's archived run is read in (see the module docstring)."""
    if site.timezone:
        return SiteTimezone(site.timezone, "site_file")
    for record in read_items(site_dir):
        if record.get("timezone") and record.get("timezone_source"):
            return SiteTimezone(record["timezone"], record["timezone_source"],
                                "offset_only_timezone" in (record.get("date_flags") or [])
                                or record["timezone"].startswith(("Etc/", "UTC+", "UTC-")))
    observations: list[Any] = []
    hints = [site.language]
    pages = 0
    for item in warc_responses(site_dir):
        if _is_index(item):
            found = from_wordpress(_json(item.body))
            if found:
                return found
        elif "html" in item.content_type and pages < EVIDENCE_PAGES:
            seen, said = page_evidence(item.body.decode("utf-8", "replace"))
            observations += seen
            hints += said
            pages += 1
    return infer_site_timezone(observations, hints) or DEFAULT_UTC


def _is_index(item: Archived) -> bool:
    return _is_api(item) and (api_route(item.url) or "").rstrip("/") == ""


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def replay_site(site_dir: Path, run_id: str, site: SiteSettings | None = None) -> SiteReplay:
    """The API's records first, then the pages', whatever order they were fetched in: as in
    the crawl, an article the API delivers is the API's. The answers of comment systems'
    APIs are read with the page that embeds them."""
    site = site or SiteSettings()
    replay = SiteReplay(run_id, site, decide_zone(site_dir, site), site.date_order)
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


def site_settings(data: DataDir, site_dir: Path, sites: list[SiteConfig]) -> SiteSettings:
    """The settings the site of a raw zone directory was crawled with."""
    site = next((s for s in sites if data.raw_site("x", s.name).name == site_dir.name), None)
    path = data.crawl_state(site_dir.name.removeprefix("site="))
    if not path.exists():
        return SiteSettings.of(site, None)
    state = CrawlState(path)
    try:
        return SiteSettings.of(site, state.fact("date_order"))
    finally:
        state.close()


def reprocess(data: DataDir, *, run_id: str | None = None,
              sites: list[SiteConfig] | None = None) -> dict[str, Any]:
    """Re-extract every raw run (or one) into a new raw run, each site with its site file
    among `sites` (as `crawl` reads it); returns what it did."""
    runs = [run_id] if run_id else [r for r in data.run_ids() if not r.startswith("reprocess-")]
    new_run = reprocess_run_id(new_run_id())
    responses = records = 0
    session = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    for run in runs:
        for site_dir in data.raw_sites(run):
            replay = replay_site(site_dir, new_run, site_settings(data, site_dir, sites or []))
            target = data.raw_run(new_run) / site_dir.name
            writer = RawItemWriter(target, f"{run}-{session}")
            for record in replay.records:
                writer.write(record)
            writer.close()
            responses += sum(1 for _ in warc_responses(site_dir))
            records += len(replay.records)
    return {"run_id": new_run, "runs": runs, "responses": responses, "records": records}
