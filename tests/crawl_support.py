"""Crawling fixture sites from tests: loopback servers, a crawl in a child process, and what
it left behind (requests served, raw records, the run report), compared with ground truth.

Crawls run as the CLI runs them (`crawler.runner`), one process each; independent crawls
are started side by side with `in_parallel` to keep the suite fast.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import importlib
import itertools
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

from archive.layout import DataDir
from archive.reports import read_report
from crawler.rawzone import read_items
from crawler.runner import CrawlError, crawl, crawl_command
from crawler.siteconfig import SiteConfig
from sample_site.model import Article, Comment, Site
from sample_site.response import Response
from sample_site.server import CanaryServer, RequestRecord, SiteServer

SITE_NAME = "fixture"
RUN_ID = "run-1"
# Politeness off for local fixture sites; tests of politeness switch it back on.
FAST_SITE: dict[str, Any] = {"download_delay": 0, "concurrency": 4}
FAST_SETTINGS: dict[str, Any] = {"AUTOTHROTTLE_ENABLED": False}
T = TypeVar("T")


def iso_utc(value: datetime) -> str:
    """A UTC time as the raw zone writes it."""
    return value.isoformat().replace("+00:00", "Z")


class PatchedSiteServer(SiteServer):
    """A fixture site with some paths answered differently (e.g. a robots.txt that fails)."""

    def __init__(self, site: Site, patches: Mapping[str, Response], **kwargs: Any) -> None:
        super().__init__(site, **kwargs)
        self.patches = dict(patches)

    def _app(self) -> Callable[[str, str, Mapping[str, str]], Response]:
        site_app = super()._app()

        def answer(method: str, target: str, headers: Mapping[str, str]) -> Response:
            patched = self.patches.get(target)
            return patched if patched is not None else site_app(method, target, headers)

        return answer


class _StreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StreamServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        if self.path == "/robots.txt":
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/bomb":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(_bomb())))
            self.end_headers()
            self.wfile.write(_bomb())
            self.server.sent += len(_bomb())
            return
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if self.path == "/huge":
            self.send_header("Content-Length", str(self.server.cap))
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            while self.server.sent < self.server.cap:
                self.wfile.write(chunk)
                self.server.sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@functools.cache
def _bomb() -> bytes:
    return gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)


class StreamServer(ThreadingHTTPServer):
    """Pages too large to keep: `/endless` streams HTML with no length until the client hangs
    up (or `cap` bytes), `/huge` announces `cap` bytes, `/bomb` is 64 MiB of zeros gzipped
    to about 64 KiB. `sent` counts bytes written."""

    daemon_threads = True

    def __init__(self, cap: int = 256 * 1024 * 1024) -> None:
        super().__init__(("127.0.0.1", 0), _StreamHandler)
        self.cap = cap
        self.sent = 0
        self.paths: list[str] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def __enter__(self) -> StreamServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


@dataclass
class Crawl:
    """One finished crawl of a fixture site and everything it left behind."""

    site: Site
    config: SiteConfig
    data: DataDir
    run_id: str
    base_url: str
    requests: list[RequestRecord]
    canary_requests: list[RequestRecord]
    error: CrawlError | None = None
    records: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        run_dir = self.data.raw_site(self.run_id, self.config.name)
        self.records = list(read_items(run_dir)) if run_dir.exists() else []

    @property
    def report(self) -> dict[str, Any]:
        return read_report(self.data, self.run_id).get(f"crawl:{self.config.name}", {})

    @property
    def counts(self) -> dict[str, int]:
        return self.report.get("counts", {})

    @property
    def stats(self) -> dict[str, Any]:
        return self.report.get("stats", {})

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [r for r in self.records if r.get("type") == kind]

    @property
    def articles(self) -> list[dict[str, Any]]:
        return self.of_type("article")

    @property
    def comments(self) -> list[dict[str, Any]]:
        return self.of_type("comment")

    def path_of(self, url: str) -> str:
        return url.removeprefix(self.base_url)

    def article_at(self, path: str) -> dict[str, Any]:
        found = [a for a in self.articles if self.path_of(a["url"]) == path]
        assert len(found) == 1, f"{len(found)} article records for {path}"
        return found[0]

    def comments_of(self, path: str) -> list[dict[str, Any]]:
        aid = self.article_at(path)["article_id"]
        return [c for c in self.comments if c["article_id"] == aid]

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def requests_to(self, path: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.path == path]

    def log(self) -> str:
        path = self.data.runs / f"{self.run_id}.{self.config.name}.crawl.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""


def site_config(base_url: str, **overrides: Any) -> SiteConfig:
    values: dict[str, Any] = {"name": SITE_NAME, "start_urls": [f"{base_url}/"], **FAST_SITE}
    values.update(overrides)
    return SiteConfig(**values)


@contextlib.contextmanager
def served(site: Site, patches: Mapping[str, Response] | None = None,
           **server_options: Any) -> Iterator[tuple[SiteServer, CanaryServer]]:
    """The site on 127.0.0.1 and the canary on 127.0.0.2 (the site's off-site redirect
    points at the canary unless `canary_url` is given)."""
    with CanaryServer() as canary:
        server_options.setdefault("canary_url", canary.url)
        server = PatchedSiteServer(site, patches or {}, **server_options)
        with server:
            yield server, canary


class ForkedCrawl:
    """`python -m crawler.main ARGS`, forked from a process that has its modules loaded.

    Starting a crawl process costs about two seconds of imports; a test suite that runs
    dozens of crawls forks them from a `forkserver` (one clean, single-threaded process
    started once, never from the test process and its server threads) instead. The child
    runs `crawler.main.main`, the very function `python -m crawler.main` runs. The object
    answers like a `subprocess.Popen`. `answers` fake the first DNS answer for some names
    (a rebinding DNS server), to test the connect-time address check.
    """

    def __init__(self, argv: list[str], answers: Mapping[str, str] | None = None) -> None:
        self.process = _FORKS.Process(target=_crawl_main, args=(argv, dict(answers or {})),
                                      daemon=True)
        self.process.start()
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self.process.join(timeout)
        if self.process.exitcode is None:
            raise subprocess.TimeoutExpired("crawler.main", timeout or 0)
        return self.process.exitcode

    def send_signal(self, signum: int) -> None:
        os.kill(self.process.pid or 0, signum)

    def kill(self) -> None:
        self.process.kill()


def _crawl_main(argv: list[str], answers: dict[str, str]) -> None:
    from crawler.main import main

    if answers:
        _answer_first_lookups(answers)
    sys.exit(main(argv))


def _answer_first_lookups(answers: dict[str, str]) -> None:
    """Make the safety middleware's lookup of these names return these addresses, as a DNS
    server that rebinds would answer it; the connection still resolves them for real."""
    from crawler.middlewares import safety

    real = safety.resolve

    def resolve(host: str) -> tuple[str, ...]:
        return (answers[host],) if host in answers else real(host)

    safety.resolve = resolve  # type: ignore[assignment]


# What a crawl process imports: loaded once in the fork server (importing these installs
# no Twisted reactor; each forked crawl installs its own).
CRAWL_MODULES = (
    "scrapy.crawler", "scrapy.core.downloader.handlers.http11", "crawler.main",
    "crawler.spiders.site", "crawler.extensions.delay_floor", "crawler.extensions.progress",
    "crawler.extensions.summary", "crawler.extensions.warc", "crawler.middlewares.budget",
    "crawler.middlewares.fetch_time", "crawler.middlewares.retry_after",
    "crawler.middlewares.robots", "crawler.middlewares.safety", "crawler.middlewares.traps",
    "crawler.pipelines.crawl_state", "crawler.pipelines.dedupe", "crawler.pipelines.raw_zone",
)
for _module in CRAWL_MODULES:
    importlib.import_module(_module)
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload([__name__])


def crawl_argv(config: SiteConfig, data: DataDir, run_id: str,
               settings: Mapping[str, Any] | None = None) -> list[str]:
    """The arguments of `python -m crawler.main` for a crawl (as the runner builds them)."""
    command = crawl_command(config, data, run_id, settings={**FAST_SETTINGS, **(settings or {})})
    return command[command.index("crawler.main") + 1:]


def run_crawl(server: SiteServer, canary: CanaryServer, data: Path | DataDir, *,
              run_id: str = RUN_ID, settings: Mapping[str, Any] | None = None,
              via_runner: bool = False, rebinding: Mapping[str, str] | None = None,
              **site_options: Any) -> Crawl:
    """Crawl a served site into `data` and collect what the crawl did.

    `via_runner`: through `crawler.runner.crawl` in a new interpreter, as the CLI does;
    else forked (`ForkedCrawl`), which runs the same `crawler.main` and is faster.
    `rebinding`: host -> the address its first lookup answers (see `ForkedCrawl`).
    """
    data = data if isinstance(data, DataDir) else DataDir.at(data)
    config = site_config(server.base_url, **site_options)
    before = len(server.requests)
    canary_before = len(canary.requests)
    error = None
    try:
        if via_runner:
            crawl(config, data, run_id, settings={**FAST_SETTINGS, **(settings or {})},
                  timeout=240)
        else:
            code = ForkedCrawl(crawl_argv(config, data, run_id, settings), rebinding).wait(240)
            if code != 0:
                raise CrawlError(f"crawl of {config.name} exited {code}")
    except CrawlError as exc:
        error = exc
    return Crawl(server.site, config, data, run_id, server.base_url,
                 sent_by(server.requests[before:], config.user_agent),
                 canary.requests[canary_before:], error)


def crawl_fixture(site: Site, data: Path, *, patches: Mapping[str, Response] | None = None,
                  server_options: Mapping[str, Any] | None = None, **options: Any) -> Crawl:
    """Serve `site`, crawl it once, stop the servers."""
    with served(site, patches, **(server_options or {})) as (server, canary):
        return run_crawl(server, canary, data, **options)


def in_parallel(*jobs: Callable[[], T]) -> list[T]:
    """Run independent crawls side by side (each is a child process)."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return [f.result() for f in [pool.submit(job) for job in jobs]]


def start_crawl(server: SiteServer, data: DataDir, *, run_id: str = RUN_ID,
                settings: Mapping[str, Any] | None = None, **site_options: Any) -> ForkedCrawl:
    """Start a crawl process without waiting for it (to stop or kill it midway)."""
    config = site_config(server.base_url, **site_options)
    return ForkedCrawl(crawl_argv(config, data, run_id, settings))


def sent_by(records: list[RequestRecord], user_agent: str) -> list[RequestRecord]:
    """The requests of one crawl, when several crawl one server at once (each with its own
    User-Agent)."""
    return [r for r in records if r.headers.get("User-Agent") == user_agent]


def interrupt_after(process: ForkedCrawl, server: SiteServer, *,
                    requests: int, user_agent: str, signum: int = signal.SIGKILL,
                    timeout: float = 60.0) -> int:
    """Send `signum` once the server has seen `requests` requests from the crawl (known by
    its User-Agent); the exit status."""
    deadline = time.monotonic() + timeout
    while len(sent_by(server.requests, user_agent)) < requests:
        if process.poll() is not None:
            raise AssertionError(f"the crawl ended before it could be interrupted at "
                                 f"{requests} requests")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the crawl did not reach the interruption point in time")
        time.sleep(0.005)
    process.send_signal(signum)
    return process.wait(timeout=timeout)


# --- ground truth --------------------------------------------------------------------------


def thread_key(comment: Comment, tz: str) -> tuple[str, str]:
    """How a comment is recognised in the records whatever its id: author and UTC time."""
    return comment.author, iso_utc(comment.published_utc(tz))


def match_comments(article: Article, records: list[dict[str, Any]],
                   tz: str) -> dict[int, dict[str, Any]]:
    """Ground-truth comment id -> its record (by author and UTC time)."""
    by_key = {(r["author"], r["published_at"]): r for r in records}
    return {c.comment_id: by_key[thread_key(c, tz)] for c in article.comments
            if thread_key(c, tz) in by_key}


def duplicates(values: list[str]) -> dict[str, int]:
    return {v: n for v, n in Counter(values).items() if n > 1}


def gaps(records: list[RequestRecord]) -> list[float]:
    """Seconds between consecutive requests, as the server saw them arrive."""
    times = sorted(r.timestamp for r in records)
    return [b - a for a, b in itertools.pairwise(times)]
