"""Elasticsearch failures as one-line errors that say what to do.

The client's own exceptions carry nested reprs and, for connection errors, several lines;
the CLI and the Airflow log need one line naming the operation, the status and the reason.
No message here ever contains a credential: only the URL's scheme, host and port.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit


class ElasticsearchError(RuntimeError):
    """An Elasticsearch operation failed; the message is one line."""


class ElasticsearchUnavailable(ElasticsearchError):
    """The cluster could not be reached (refused, timed out, TLS failure)."""


class BulkFailed(ElasticsearchError):
    """Documents were rejected for a reason that retrying did not cure (backpressure that
    outlasted the retries, a flood-stage block, an unhealthy cluster)."""


# Statuses Elasticsearch answers without a JSON body (the HTTP layer refuses the request).
BODILESS = {413: ("request_entity_too_large",
                  "the request is larger than the cluster's http.max_content_length")}


def safe_url(url: str) -> str:
    """Scheme, host and port only: never userinfo, path or query."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def error_summary(error: Any) -> tuple[str, str]:
    """(type, reason) of an Elasticsearch error body, a bulk item error or an exception."""
    if isinstance(error, dict):
        return str(error.get("type", "error")), " ".join(str(error.get("reason", "")).split())
    if isinstance(error, str):
        return "error", " ".join(error.split())
    body = getattr(error, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return error_summary(body["error"])
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return "error", " ".join(body["error"].split())
    status = _status(error)
    if status in BODILESS:
        return BODILESS[status]
    return type(error).__name__, " ".join(str(getattr(error, "message", error)).split())


def _status(error: Any) -> int:
    meta = getattr(error, "meta", None)
    return int(getattr(meta, "status", None) or getattr(error, "status_code", None) or 0)


@contextmanager
def translated(operation: str, url: str) -> Iterator[None]:
    """Turn client exceptions raised inside the block into one-line `ElasticsearchError`s."""
    from elasticsearch import ApiError, TransportError

    try:
        yield
    except ElasticsearchError:
        raise
    except ApiError as exc:
        kind, reason = error_summary(exc)
        raise ElasticsearchError(
            f"Elasticsearch at {safe_url(url)} refused to {operation}: "
            f"HTTP {_status(exc)} {kind}: {reason}"[:1000]) from exc
    except TransportError as exc:
        kind = type(exc).__name__
        raise ElasticsearchUnavailable(
            f"Elasticsearch at {safe_url(url)} is unreachable ({kind}) while trying to "
            f"{operation}; check ELASTICSEARCH_URL, the cluster's health and "
            "ELASTICSEARCH_CA_CERTS") from exc
