"""Comment servers beside a fixture site, for crawl tests: a real Isso, and a stand-in for the
Disqus API answering in its recorded shape. Both listen on loopback addresses other than the
site's (127.0.0.3, 127.0.0.4), so that they are off the site's domain as in real life."""

from __future__ import annotations

import http.client
import json
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ISSO_ADDRESS = "127.0.0.3"
DISQUS_ADDRESS = "127.0.0.4"
REMARK42_ADDRESS = "127.0.0.5"
LIKER_ADDRESS = "127.0.1.1"  # another reader (Isso refuses an author's like of their own)
_REQUEST_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+" (\d{3})')
_COLOURS = re.compile(r"\x1b\[[\d;]*m")


def free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


@dataclass
class Posted:
    comment_id: int
    cookie: str


class IssoServer:
    """Isso 0.14 (`pip install isso`) in a child process, moderation on, guard off."""

    def __init__(self, workdir: Path, site_url: str) -> None:
        self.workdir = workdir
        self.port = free_port(ISSO_ADDRESS)
        self.base_url = f"http://{ISSO_ADDRESS}:{self.port}"
        self.db = workdir / "comments.db"
        self.request_log = workdir / "requests.log"
        self.config = workdir / "isso.cfg"
        self.config.write_text(
            f"[general]\ndbpath = {self.db}\nhost = {site_url}\n"
            "[moderation]\nenabled = true\n[guard]\nenabled = false\n"
            f"[server]\nlisten = {self.base_url}/\n", encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Self:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.isso_launcher", str(self.config),
             str(self.request_log)], cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=(self.workdir / "isso.log").open("wb"))
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.base_url}/info", timeout=2).read()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("Isso did not start: "
                                       + (self.workdir / "isso.log").read_text()) from None
                time.sleep(0.1)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    # --- the comment API, as Isso's own script calls it ---------------------------------

    def post(self, uri: str, text: str, author: str | None = None,
             parent: int | None = None) -> Posted:
        body = {"text": text, "author": author, "parent": parent, "title": "Fixture article"}
        response, headers = self._call("POST", f"/new?uri={uri}", body)
        return Posted(response["id"], headers["Set-Cookie"].split(";")[0])

    def edit(self, posted: Posted, text: str) -> None:
        self._call("PUT", f"/id/{posted.comment_id}", {"text": text}, cookie=posted.cookie)

    def delete(self, posted: Posted) -> None:
        self._call("DELETE", f"/id/{posted.comment_id}", None, cookie=posted.cookie)

    def like(self, posted: Posted) -> dict[str, int]:
        connection = http.client.HTTPConnection(ISSO_ADDRESS, self.port, timeout=10,
                                                source_address=(LIKER_ADDRESS, 0))
        connection.request("POST", f"/id/{posted.comment_id}/like", b"",
                           {"Content-Type": "application/json"})
        return json.loads(connection.getresponse().read())

    def activate(self, posted: Posted) -> None:
        """What the moderator's link in Isso's notification mail does."""
        from itsdangerous import URLSafeTimedSerializer

        with sqlite3.connect(self.db) as db:
            key = db.execute("SELECT value FROM preferences WHERE key = 'session-key'"
                             ).fetchone()[0]
        signed = URLSafeTimedSerializer(key).dumps(posted.comment_id)
        self._call("POST", f"/id/{posted.comment_id}/activate/{signed}", None, raw=True)

    def _call(self, method: str, path: str, body: Any, *, cookie: str | None = None,
              raw: bool = False) -> tuple[Any, Any]:
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        data = json.dumps(body).encode() if body is not None else b""
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            return (payload if raw else json.loads(payload)), response.headers

    # --- ground truth and what was asked -------------------------------------------------

    def stored(self, uri: str) -> list[dict[str, Any]]:
        """Every comment of a thread as Isso's database holds it."""
        with sqlite3.connect(self.db) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT comments.* FROM comments JOIN threads ON comments.tid = threads.id "
                "WHERE threads.uri = ? ORDER BY comments.id", (uri,)).fetchall()
        return [dict(r) for r in rows]

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, target, status) of every request Isso served."""
        text = self.request_log.read_text() if self.request_log.exists() else ""
        text = _COLOURS.sub("", text)
        return [(m, t, int(s)) for m, t, s in _REQUEST_LINE.findall(text)]


class _JsonHandler(BaseHTTPRequestHandler):
    """A stand-in's handler: JSON answers, no log (the server's `requests` is the record)."""

    def _answer(self, status: int, payload: dict[str, Any] | bytes,
                content_type: str = "application/json") -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: `requests` is the record."""


class _DisqusHandler(_JsonHandler):
    server: DisqusStandIn

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/robots.txt" and self.server.robots is not None:
            self._answer(200, self.server.robots.encode(), "text/plain")
        elif parts.path != "/api/3.0/threads/listPosts.json":
            self._answer(404, {"code": 1, "response": "Endpoint resource not valid."})
        elif query.get("api_key") != self.server.api_key:
            self._answer(400, {"code": 5, "response": "Invalid API key"})
        elif query.get("thread:ident") not in self.server.threads:
            self._answer(400, {"code": 2, "response": "Invalid argument, 'thread': Unable to "
                                                      "find thread"})
        else:
            self.server.arrived.set()
            self.server.released.wait(timeout=60)
            self._answer(200, self.server.page(query["thread:ident"], query.get("cursor")))



class _StandIn(ThreadingHTTPServer):
    """A stand-in API served from a thread of the test process while it is entered."""

    daemon_threads = True

    def __init__(self, address: str, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__((address, 0), handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class DisqusStandIn(_StandIn):
    """`threads/listPosts.json` over fixed threads (identifier -> posts), `page_size` posts a
    page with Disqus's cursor; `requests` records (path, User-Agent) of every request;
    `robots` is its robots.txt (else it answers 404).
    `hold()` keeps the thread's pages from answering (until `release()`), to stop a crawl
    while one is in flight; `arrived` is set when one is asked for."""

    def __init__(self, api_key: str, threads: dict[str, list[dict[str, Any]]],
                 page_size: int = 2, robots: str | None = None) -> None:
        super().__init__(DISQUS_ADDRESS, _DisqusHandler)
        self.api_key = api_key
        self.robots = robots
        self.threads = threads
        self.page_size = page_size
        self.requests: list[tuple[str, str]] = []
        self.arrived = threading.Event()
        self.released = threading.Event()
        self.released.set()

    @property
    def api_url(self) -> str:
        return f"http://{DISQUS_ADDRESS}:{self.server_address[1]}/api/3.0/"

    def hold(self) -> None:
        self.arrived.clear()
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def page(self, ident: str, cursor: str | None) -> dict[str, Any]:
        start = int(cursor.split(":")[0]) if cursor else 0
        posts = self.threads[ident][start:start + self.page_size]
        more = start + self.page_size < len(self.threads[ident])
        following = f"{start + self.page_size}:0:0" if more else None
        return {"code": 0, "cursor": {"prev": None, "hasNext": more, "next": following,
                                      "hasPrev": start > 0, "total": None, "id": following,
                                      "more": more},
                "response": posts}

    def __exit__(self, *exc: object) -> None:
        self.release()
        super().__exit__(*exc)


def disqus_post(pid: str, author: str, created: str, message: str,
                parent: int | None = None, **flags: Any) -> dict[str, Any]:
    """A post as `threads/listPosts` answers it."""
    return {"id": pid, "parent": parent, "thread": "9912", "forum": "newsexample",
            "createdAt": created, "message": message, "raw_message": message,
            "author": {"name": author, "username": author.lower(), "isAnonymous": False},
            "isApproved": True, "isDeleted": False, "isSpam": False, "isEdited": False,
            "isHighlighted": False, "isFlagged": False, "likes": 0, "dislikes": 0,
            "points": 0, "depth": 0 if parent is None else 1, "numReports": 0, **flags}



class _Remark42Handler(_JsonHandler):
    server: Remark42StandIn

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/api/v1/find":
            self._answer(404, {"code": 0, "error": "not found"})
        elif query.get("site") != self.server.site:
            self._answer(400, {"code": 12, "details": "can't find comments",
                               "error": "site not found"})
        else:
            comments = self.server.threads.get(query.get("url", ""), [])
            self._answer(200, {"comments": comments,
                               "info": {"url": query.get("url"), "count": len(comments)}})


class Remark42StandIn(_StandIn):
    """Remark42's `GET /api/v1/find` over fixed threads (page URL -> comments, in the shape
    `format=plain` answers) of one site; `requests` records every path asked."""

    def __init__(self, site: str, threads: dict[str, list[dict[str, Any]]]) -> None:
        super().__init__(REMARK42_ADDRESS, _Remark42Handler)
        self.site = site
        self.threads = threads
        self.requests: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://{REMARK42_ADDRESS}:{self.server_address[1]}"


def remark42_comment(cid: str, name: str, time: str, text: str, pid: str = "",
                     delete: bool = False) -> dict[str, Any]:
    """A comment as Remark42's `find` answers it (`format=plain`)."""
    return {"id": cid, "pid": pid, "text": "" if delete else text, "orig": text,
            "user": {"name": name, "id": f"anonymous_{cid}", "picture": "", "admin": False},
            "locator": {"site": "news", "url": ""}, "score": 0, "vote": 0, "time": time,
            "title": "", "delete": delete}
