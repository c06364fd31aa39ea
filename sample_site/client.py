"""A tiny HTTP client for tests: one request, no redirects followed, raw bytes back."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> Fetched:
    """GET `url` (absolute) and return status, headers and body, redirects untouched.

    A body shorter than its Content-Length raises `http.client.IncompleteRead`.
    """
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=10)
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        return Fetched(response.status, response.msg, response.read())
    finally:
        connection.close()
