"""Where the Elasticsearch cluster is and how to authenticate, from the environment only.

`ELASTICSEARCH_URL`, then `ELASTICSEARCH_API_KEY` or `ELASTICSEARCH_USERNAME` plus
`ELASTICSEARCH_PASSWORD`, `ELASTICSEARCH_CA_CERTS` (a PEM file; certificates are always
verified), and optionally `ELASTICSEARCH_INDEX_PREFIX` and `ELASTICSEARCH_REPLICAS`.
Secrets never appear in a repr, a log line or an error message: the dataclass hides them
and a URL carrying `user:password@` is refused rather than echoed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from schemas.elasticsearch import DEFAULT_PREFIX

_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
REQUEST_TIMEOUT = 60.0
# Transport-level retries: connection errors and 502/503/504 on any request. 429 is left
# to the bulk helper, which backs off; the transport would retry it immediately.
TRANSPORT_RETRIES = 3
TRANSPORT_RETRY_STATUS = (502, 503, 504)


class ElasticsearchConfigError(ValueError):
    """The environment does not describe a usable connection (message names the variable)."""


@dataclass(frozen=True)
class ElasticsearchSettings:
    url: str
    api_key: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_certs: str | None = None
    index_prefix: str = DEFAULT_PREFIX
    replicas: int | None = None
    request_timeout: float = REQUEST_TIMEOUT

    @classmethod
    def from_env(cls, url: str | None = None,
                 environ: Mapping[str, str] | None = None) -> ElasticsearchSettings:
        """Settings from the environment; an explicit `url` wins over `ELASTICSEARCH_URL`."""
        env = os.environ if environ is None else environ
        url = url or env.get("ELASTICSEARCH_URL", "")
        if not url:
            raise ElasticsearchConfigError("ELASTICSEARCH_URL is not set")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ElasticsearchConfigError(
                "ELASTICSEARCH_URL must be an http(s) URL such as https://localhost:9200")
        if parts.username or parts.password:
            raise ElasticsearchConfigError(
                "ELASTICSEARCH_URL must not carry credentials: use ELASTICSEARCH_API_KEY or "
                "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD")
        prefix = env.get("ELASTICSEARCH_INDEX_PREFIX") or DEFAULT_PREFIX
        if not _PREFIX.match(prefix):
            raise ElasticsearchConfigError(
                "ELASTICSEARCH_INDEX_PREFIX must be lowercase letters, digits, '-' or '_'")
        replicas = env.get("ELASTICSEARCH_REPLICAS")
        if replicas is not None and not replicas.isdigit():
            raise ElasticsearchConfigError("ELASTICSEARCH_REPLICAS must be a whole number")
        username, password = env.get("ELASTICSEARCH_USERNAME"), env.get("ELASTICSEARCH_PASSWORD")
        if bool(username) != bool(password):
            raise ElasticsearchConfigError(
                "set both ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, or neither")
        ca_certs = env.get("ELASTICSEARCH_CA_CERTS") or None
        if ca_certs and not os.path.isfile(ca_certs):
            raise ElasticsearchConfigError(f"ELASTICSEARCH_CA_CERTS: no file at {ca_certs}")
        return cls(url=url.rstrip("/"), api_key=env.get("ELASTICSEARCH_API_KEY") or None,
                   username=username or None, password=password or None, ca_certs=ca_certs,
                   index_prefix=prefix, replicas=int(replicas) if replicas else None)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never be printed (used by tests and by error scrubbing)."""
        return tuple(s for s in (self.api_key, self.password) if s)

    def client_options(self) -> dict[str, Any]:
        """Keyword arguments for `elasticsearch.Elasticsearch`."""
        options: dict[str, Any] = {
            "hosts": [self.url],
            "request_timeout": self.request_timeout,
            "max_retries": TRANSPORT_RETRIES,
            "retry_on_status": TRANSPORT_RETRY_STATUS,
            "retry_on_timeout": True,
        }
        if self.api_key:
            options["api_key"] = self.api_key
        elif self.username and self.password:
            options["basic_auth"] = (self.username, self.password)
        if self.ca_certs:
            options["ca_certs"] = self.ca_certs
        return options


def connect(settings: ElasticsearchSettings) -> Any:
    """A client for `settings` (imported lazily: the embedded backend never needs it)."""
    from elasticsearch import Elasticsearch

    return Elasticsearch(**settings.client_options())


def scrub(message: str, settings: ElasticsearchSettings) -> str:
    """`message` with every secret of `settings` masked, as a last line of defence."""
    for secret in settings.secrets:
        message = message.replace(secret, "***")
    return message
