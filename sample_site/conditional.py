"""HTTP conditional requests: answer 304 when the client's validators still match."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime

from sample_site.response import Response


def conditional(response: Response, headers: Mapping[str, str]) -> Response:
    """304 when the client's validators match; weak comparison, as for If-None-Match."""
    if response.status != 200 or not response.validators:
        return response
    etag, last_modified = response.validators
    lowered = {k.lower(): v for k, v in headers.items()}
    not_modified = False
    if "if-none-match" in lowered:
        tags = {t.strip().removeprefix("W/") for t in lowered["if-none-match"].split(",")}
        not_modified = "*" in tags or etag in tags
    elif "if-modified-since" in lowered:
        try:
            since = parsedate_to_datetime(lowered["if-modified-since"])
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            not_modified = parsedate_to_datetime(last_modified) <= since
        except (TypeError, ValueError):
            not_modified = False
    headers_out = [*response.headers, ("ETag", etag), ("Last-Modified", last_modified)]
    if not_modified:
        return Response(304, b"", None, headers_out, validators=response.validators)
    response.headers = headers_out
    return response
