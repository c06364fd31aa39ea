"""A stricter test double of an Elasticsearch cluster, for the version compose runs.

No Elasticsearch can run on these machines, so the backend is tested against this double:
a real HTTP server on 127.0.0.1 that the official client talks to, answering as the server
version in `docker-compose.yml` would. It allows only the methods and paths that version's
REST API has for each API the project calls (`tests/fixtures/elasticsearch/
rest_api_routes.json`, with where each comes from), rejects ids over 512 bytes (the whole
bulk request, as the server's request validation does), bodies over
`http.max_content_length`, documents its strict mappings refuse, result windows past
10,000 and unbounded highlighting of long text, and takes injected 429s, 5xx and per-item
errors. Full-text queries are refused: those run against tantivy and a live cluster.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.es_double.server import ElasticsearchDouble

__all__ = ["ElasticsearchDouble", "compose_stack_version"]

ROOT = Path(__file__).resolve().parents[2]
_DEFAULT = re.compile(r"\$\{STACK_VERSION:-([0-9.]+)\}")


def compose_stack_version() -> str:
    """The Elasticsearch version `docker compose up` starts (the `STACK_VERSION` default)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    found = _DEFAULT.search(compose["services"]["es01"]["image"])
    if not found:
        raise ValueError("docker-compose.yml: es01's image does not default STACK_VERSION")
    return found.group(1)
