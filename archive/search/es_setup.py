"""One-shot, idempotent setup of Elasticsearch and Kibana for pressarchive.

    python -m archive.search.es_setup [--timeout 300] [--skip-kibana]

Run by the compose `setup` service (or by hand) with an administrator's credentials:

1. waits until the cluster answers (yellow or green), for at most `--timeout` seconds;
2. sets the `kibana_system` password when `KIBANA_SYSTEM_PASSWORD` is given;
3. creates or updates the roles of `infra/elasticsearch/roles.json` (the indexer's writer
   role, the analysts' read-only role) and the users `pressarchive_writer` and
   `pressarchive_analyst` when `PRESSARCHIVE_WRITER_PASSWORD` / `..._ANALYST_PASSWORD` are set;
4. installs the index templates and, on an empty cluster, an empty live version behind the
   aliases, so that Kibana's data views resolve before the first `pressarchive index`;
5. when `KIBANA_URL` is set: waits for Kibana, gives the analyst role its Kibana privileges
   (through Kibana's role API, the supported way) and imports the saved objects
   (overwriting earlier copies).

Environment: `ELASTICSEARCH_URL`, `ELASTICSEARCH_CA_CERTS`, and either `ELASTIC_PASSWORD`
(the `elastic` superuser, used only here) or `ELASTICSEARCH_API_KEY` /
`ELASTICSEARCH_USERNAME` + `ELASTICSEARCH_PASSWORD` of an account with `manage_security`;
optional `KIBANA_URL`, `KIBANA_CA_CERTS` (defaults to `ELASTICSEARCH_CA_CERTS`),
`KIBANA_SYSTEM_PASSWORD`, `PRESSARCHIVE_WRITER_PASSWORD`, `PRESSARCHIVE_ANALYST_PASSWORD`,
`ELASTICSEARCH_INDEX_PREFIX`, `ELASTICSEARCH_REPLICAS`. Every step can run again.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import ssl
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from archive.search.es_config import ElasticsearchConfigError, ElasticsearchSettings, connect
from archive.search.es_errors import (
    ElasticsearchError,
    ElasticsearchUnavailable,
    safe_url,
    translated,
)
from archive.search.es_indices import Indices
from archive.search.es_kibana import saved_objects, to_ndjson
from schemas.elasticsearch import DEFAULT_PREFIX
from schemas.records import ENTITIES

logger = logging.getLogger("pressarchive.setup")
ROLES_PATH = Path(__file__).resolve().parents[2] / "infra" / "elasticsearch" / "roles.json"
USERS = {
    "pressarchive_writer": ("PRESSARCHIVE_WRITER_PASSWORD", ["pressarchive_writer"]),
    "pressarchive_analyst": ("PRESSARCHIVE_ANALYST_PASSWORD", ["pressarchive_analyst"]),
}
POLL_SECONDS = 2.0


class SetupError(RuntimeError):
    """A setup step failed; the message is one line."""


def load_roles(prefix: str = DEFAULT_PREFIX, path: Path = ROLES_PATH) -> dict[str, Any]:
    """The role definitions, with index names moved to `prefix` when it is not the default."""
    text = path.read_text()
    if prefix != DEFAULT_PREFIX:
        text = text.replace(f'"{DEFAULT_PREFIX}-', f'"{prefix}-')
    return json.loads(text)


def admin_settings(environ: Mapping[str, str]) -> ElasticsearchSettings:
    """Connection settings for the administrator: `ELASTIC_PASSWORD` means the `elastic`
    superuser unless explicit ELASTICSEARCH_* credentials are given."""
    env = dict(environ)
    explicit = env.get("ELASTICSEARCH_API_KEY") or env.get("ELASTICSEARCH_USERNAME")
    if env.get("ELASTIC_PASSWORD") and not explicit:
        env["ELASTICSEARCH_USERNAME"] = "elastic"
        env["ELASTICSEARCH_PASSWORD"] = env["ELASTIC_PASSWORD"]
    return ElasticsearchSettings.from_env(None, env)


# --- Elasticsearch ---------------------------------------------------------------------------

def wait_for_elasticsearch(client: Any, url: str, timeout: float) -> None:
    from elasticsearch import ApiError, TransportError

    deadline = time.monotonic() + timeout
    while True:
        try:
            client.options(request_timeout=15).cluster.health(wait_for_status="yellow",
                                                               timeout="10s")
            return
        except ApiError as exc:
            if exc.meta.status in (401, 403):
                with translated("authenticate the setup user", url):
                    raise
            reason = f"HTTP {exc.meta.status}"
        except TransportError as exc:
            reason = type(exc).__name__
        if time.monotonic() > deadline:
            raise ElasticsearchUnavailable(
                f"Elasticsearch at {safe_url(url)} not ready after {timeout:.0f}s ({reason})")
        logger.info("waiting for Elasticsearch at %s (%s)", safe_url(url), reason)
        time.sleep(POLL_SECONDS)


def put_roles(client: Any, roles: dict[str, Any]) -> None:
    """Each role's Elasticsearch part (Kibana privileges are added through Kibana)."""
    for name, role in roles.items():
        client.security.put_role(name=name, description=role.get("description"),
                                 **role["elasticsearch"])
        logger.info("role %s: ready", name)


def put_users(client: Any, environ: Mapping[str, str]) -> None:
    for username, (variable, roles) in USERS.items():
        password = environ.get(variable)
        if not password:
            logger.info("user %s: skipped (%s not set)", username, variable)
            continue
        client.security.put_user(username=username, password=password, roles=roles,
                                 full_name=f"pressarchive ({roles[0]})")
        logger.info("user %s: ready", username)


def bootstrap_indices(indices: Indices, version: str | None = None) -> str | None:
    """An empty live version when no alias exists yet; returns it (None when not needed)."""
    if any(indices.holders(entity) for entity in ENTITIES):
        return None
    from archive.search.elasticsearch_backend import new_version_name

    version = version or new_version_name()
    indices.create(version)
    indices.finish_load(version)
    indices.swap(version)
    logger.info("created empty indices %s behind the aliases", version)
    return version


UI_SETTINGS = {"dateFormat:tz": "UTC", "dateFormat:dow": "Monday"}

# --- Kibana ----------------------------------------------------------------------------------

class Kibana:
    """The few Kibana API calls the setup needs, over urllib (no extra dependency)."""

    def __init__(self, url: str, settings: ElasticsearchSettings,
                 ca_certs: str | None = None) -> None:
        self.url = url.rstrip("/")
        self._auth = _authorization(settings)
        self._context = (ssl.create_default_context(cafile=ca_certs or settings.ca_certs)
                         if self.url.startswith("https:") else None)

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str = "application/json") -> tuple[int, Any]:
        headers = {"kbn-xsrf": "true", "Accept": "application/json"}
        if self._auth:
            headers["Authorization"] = self._auth
        if body is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.url + path, data=body, headers=headers,
                                         method=method)
        try:
            with urllib.request.urlopen(request, timeout=30, context=self._context) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw) if raw else None
        except ValueError:
            return status, raw.decode("utf-8", "replace")[:300]

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                status, _ = self.request("GET", "/api/status")
            except OSError as exc:
                status, reason = None, type(exc).__name__
            else:
                reason = f"HTTP {status}"
            if status == 200:
                return
            if status in (401, 403):
                raise SetupError(f"Kibana at {safe_url(self.url)} refused the setup user "
                                 f"({reason})")
            if time.monotonic() > deadline:
                raise SetupError(f"Kibana at {safe_url(self.url)} not ready after "
                                 f"{timeout:.0f}s ({reason})")
            logger.info("waiting for Kibana at %s (%s)", safe_url(self.url), reason)
            time.sleep(POLL_SECONDS)

    def put_role(self, name: str, role: dict[str, Any]) -> None:
        body = {k: role[k] for k in ("description", "elasticsearch", "kibana") if k in role}
        status, answer = self.request("PUT", f"/api/security/role/{name}",
                                      json.dumps(body).encode())
        if status not in (200, 204):
            raise SetupError(f"Kibana refused role {name}: HTTP {status} {_brief(answer)}")
        logger.info("role %s: Kibana privileges ready", name)

    def show_times_in_utc(self) -> None:
        """Kibana shows dates in the browser's zone by default; the archive's are UTC."""
        status, answer = self.request("POST", "/api/kibana/settings",
                                      json.dumps({"changes": UI_SETTINGS}).encode())
        if status != 200:
            raise SetupError(f"Kibana refused its settings: HTTP {status} {_brief(answer)}")
        logger.info("Kibana settings: %s", ", ".join(f"{k}={v}" for k, v in UI_SETTINGS.items()))

    def import_objects(self, ndjson: str) -> int:
        boundary = f"pressarchive-{uuid.uuid4().hex}"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="saved_objects.ndjson"\r\nContent-Type: application/ndjson\r\n\r\n'
                f"{ndjson}\r\n--{boundary}--\r\n").encode()
        status, answer = self.request("POST", "/api/saved_objects/_import?overwrite=true", body,
                                      f"multipart/form-data; boundary={boundary}")
        if status != 200 or not isinstance(answer, dict) or not answer.get("success"):
            raise SetupError(f"Kibana refused the saved objects: HTTP {status} {_brief(answer)}")
        logger.info("Kibana saved objects imported: %s", answer.get("successCount"))
        return int(answer.get("successCount", 0))


def _authorization(settings: ElasticsearchSettings) -> str | None:
    if settings.api_key:
        return f"ApiKey {settings.api_key}"
    if settings.username and settings.password:
        token = base64.b64encode(f"{settings.username}:{settings.password}".encode()).decode()
        return f"Basic {token}"
    return None


def _brief(answer: Any) -> str:
    if isinstance(answer, dict):
        errors = answer.get("errors") or []
        detail = errors[0] if errors else answer.get("message", answer)
        return " ".join(json.dumps(detail)[:300].split())
    return " ".join(str(answer)[:300].split())


# --- the whole setup ---------------------------------------------------------------------------

def run(environ: Mapping[str, str], *, timeout: float = 300, kibana: bool = True) -> None:
    settings = admin_settings(environ)
    client = connect(settings)
    roles = load_roles(settings.index_prefix)
    try:
        wait_for_elasticsearch(client, settings.url, timeout)
        with translated("set up users, roles and indices", settings.url):
            if environ.get("KIBANA_SYSTEM_PASSWORD"):
                client.security.change_password(username="kibana_system",
                                                password=environ["KIBANA_SYSTEM_PASSWORD"])
                logger.info("user kibana_system: password set")
            put_roles(client, roles)
            put_users(client, environ)
            indices = Indices(client, prefix=settings.index_prefix, replicas=settings.replicas)
            indices.install_templates()
            logger.info("index templates installed")
            bootstrap_indices(indices)
    finally:
        client.close()
    kibana_url = environ.get("KIBANA_URL")
    if not kibana or not kibana_url:
        logger.info("Kibana: skipped (%s)", "--skip-kibana" if not kibana else "no KIBANA_URL")
        return
    ui = Kibana(kibana_url, settings, environ.get("KIBANA_CA_CERTS"))
    ui.wait(timeout)
    for name, role in roles.items():
        if "kibana" in role:
            ui.put_role(name, role)
    ui.show_times_in_utc()
    ui.import_objects(to_ndjson(saved_objects(settings.index_prefix)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m archive.search.es_setup",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds to wait for Elasticsearch and Kibana (default 300)")
    parser.add_argument("--skip-kibana", action="store_true",
                        help="only set up Elasticsearch")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="setup: %(message)s", stream=sys.stderr)
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    try:
        run(os.environ, timeout=args.timeout, kibana=not args.skip_kibana)
    except (ElasticsearchError, ElasticsearchConfigError, SetupError) as exc:
        sys.stderr.write(f"setup: {exc}\n")
        return 1
    sys.stderr.write("setup: done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
