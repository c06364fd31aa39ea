"""Serve a fixture site (and a canary host) on loopback, in a background thread.

`SiteServer` answers through `sample_site.routes.Router`; both servers record every
request so tests can assert what a crawler did (and did not) fetch. HTTP/1.1 with
keep-alive; gzip when the client accepts it (ETag then weak, as nginx does).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from sample_site.generate import bundled_site
from sample_site.model import Site
from sample_site.response import Response
from sample_site.routes import Router

App = Callable[[str, str, Mapping[str, str]], Response]
GZIP_MIN_BYTES = 256


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str
    """Path with query string, exactly as on the request line."""
    headers: dict[str, str]
    timestamp: float
    """`time.monotonic()` when the request arrived."""
    status: int
    client: str


class RequestLog:
    """Thread-safe record of served requests."""

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 1 << 20))
        self._serve()

    def version_string(self) -> str:
        return "nginx"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is the record."""

    def _serve(self) -> None:
        arrived = time.monotonic()
        headers = dict(self.headers.items())
        response = self.server.app(self.command, self.path, headers)
        self.server.log.append(
            RequestRecord(
                self.command, self.path, headers, arrived, response.status, self.client_address[0]
            )
        )
        try:
            self._write(response, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _write(self, response: Response, request_headers: Mapping[str, str]) -> None:
        body = response.body
        extra = list(response.headers)
        accepts_gzip = "gzip" in request_headers.get("Accept-Encoding", "").lower()
        if response.compressible and accepts_gzip and len(body) >= GZIP_MIN_BYTES:
            body = gzip.compress(body, mtime=0)
            extra = [(k, f"W/{v}" if k == "ETag" else v) for k, v in extra]
            extra += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        if response.status != 304:
            declared = response.declared_length
            self.send_header("Content-Length", str(declared if declared is not None else len(body)))
        for name, value in extra:
            self.send_header(name, value)
        if response.declared_length is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD" or response.status == 304:
            return
        if response.delay_before_body:
            self.wfile.flush()
            time.sleep(response.delay_before_body)
        self.wfile.write(body)
        self.wfile.flush()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App, log: RequestLog) -> None:
        self.app = app
        self.log = log
        super().__init__(address, _Handler)


class _BackgroundServer:
    """Start/stop plumbing shared by the site and canary servers."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._log = RequestLog()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._started = False

    @property
    def base_url(self) -> str:
        if not self._started:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self.port}"

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the requests served so far, oldest first."""
        return self._log.snapshot()

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear_requests(self) -> None:
        self._log.clear()

    def _app(self) -> App:
        raise NotImplementedError

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), self._dispatch, self._log)
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._started = True
        self._application = self._app()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._httpd = None

    def _dispatch(self, method: str, target: str, headers: Mapping[str, str]) -> Response:
        return self._application(method, target, headers)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class SiteServer(_BackgroundServer):
    """A fixture site on `host:port` (port 0 picks a free one); see `sample_site.routes`."""

    def __init__(
        self,
        site: Site,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        canary_url: str | None = None,
        slow_seconds: float = 3.0,
    ) -> None:
        super().__init__(host, port)
        self.site = site
        self.canary_url = canary_url
        self.slow_seconds = slow_seconds

    def _app(self) -> App:
        router = Router(
            self.site, self.base_url, canary_url=self.canary_url, slow_seconds=self.slow_seconds
        )
        return router.handle

    def url(self, path: str) -> str:
        return self.base_url + path


class CanaryServer(_BackgroundServer):
    """A "foreign" host on 127.0.0.2 that must never be contacted by a correct crawl."""

    def __init__(self, host: str = "127.0.0.2", port: int = 0) -> None:
        super().__init__(host, port)

    @property
    def url(self) -> str:
        return self.base_url + "/stolen"

    def _app(self) -> App:
        def answer(method: str, target: str, headers: Mapping[str, str]) -> Response:
            return Response(200, b"canary\n", "text/plain")

        return answer


def serve_in_background(
    site: Site | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    canary_url: str | None = None,
    slow_seconds: float = 3.0,
) -> SiteServer:
    """Start a `SiteServer` (the bundled site by default) and return it; call `.stop()` after."""
    server = SiteServer(
        site or bundled_site(), host, port, canary_url=canary_url, slow_seconds=slow_seconds
    )
    return server.start()
