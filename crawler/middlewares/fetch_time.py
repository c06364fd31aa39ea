"""Stamps each response with its fetch time (`meta["fetched_at"]`, ISO 8601 UTC).

The one clock reading of a fetch: records, WARC dates and relative dates all use it, so
re-extracting later gives the same times.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request
from scrapy.http import Response


class FetchTimeMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        request.meta["fetched_at"] = datetime.now(UTC).isoformat()
        return response
