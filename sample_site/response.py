"""What a route answers, before the server writes it to the socket."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

HTML = "text/html; charset=UTF-8"


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = HTML
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay_before_body: float = 0.0
    """Seconds of silence between the headers and the body (the `slow` fault)."""
    declared_length: int | None = None
    """Content-Length to announce when it differs from the body (`truncated_transfer`)."""
    compressible: bool = True
    """False for fault responses that must reach the client byte for byte."""
    validators: tuple[str, str] | None = None
    """(ETag, Last-Modified) when the page answers conditional requests."""

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def html_response(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def text_response(text: str, content_type: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"), content_type)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", None, [("Location", location)])


def wp_json(
    data: object, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> Response:
    """JSON the way PHP's json_encode writes it: ASCII only, slashes escaped."""
    body = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    return Response(status, body.encode(), "application/json; charset=UTF-8", list(headers or []))
