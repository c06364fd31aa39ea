"""`python -m archive.search.es_setup` against the double of the compose stack's cluster
and a stub Kibana on 127.0.0.1: roles, users, templates, the empty first version, the
Kibana role (Kibana 9 feature ids) and the saved objects; a second run changes nothing;
failures are one line without secrets."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from archive.search import es_setup
from archive.search.es_kibana import saved_objects, to_ndjson
from tests.es_double import ElasticsearchDouble
from tests.es_support import STACK_VERSION

ELASTIC_PASSWORD = "elastic-pw-never-printed"
WRITER_PASSWORD = "writer-pw-never-printed"


class StubKibana:
    """Status, role and import endpoints; records what it was sent."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                stub.requests.append((self.command, self.path,
                                      {k.lower(): v for k, v in self.headers.items()}, body))
                status, payload = 200, {"status": {"overall": {"level": "available"}}}
                if self.path.startswith("/api/security/role/"):
                    status, payload = 204, None
                elif self.path.startswith("/api/saved_objects/_import"):
                    part = body.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0]
                    payload = {"success": True, "successCount": len(part.splitlines())}
                data = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def imported(self) -> list[bytes]:
        return [body for method, path, _, body in self.requests if "_import" in path]


@pytest.fixture()
def cluster() -> Iterator[tuple[ElasticsearchDouble, StubKibana]]:
    kibana = StubKibana()
    threading.Thread(target=kibana.server.serve_forever, args=(0.05,), daemon=True).start()
    with ElasticsearchDouble(STACK_VERSION) as elasticsearch:
        yield elasticsearch, kibana
    kibana.server.shutdown()
    kibana.server.server_close()


def environ(es: ElasticsearchDouble, kibana: StubKibana) -> dict[str, str]:
    return {"ELASTICSEARCH_URL": es.url, "ELASTIC_PASSWORD": ELASTIC_PASSWORD,
            "KIBANA_URL": kibana.url, "PRESSARCHIVE_WRITER_PASSWORD": WRITER_PASSWORD,
            "KIBANA_SYSTEM_PASSWORD": "kibana-system-pw"}


def test_setup_prepares_everything_and_a_rerun_changes_nothing(
        cluster: tuple[ElasticsearchDouble, StubKibana]) -> None:
    es, kibana = cluster
    es_setup.run(environ(es, kibana), timeout=5)
    version = {alias: set(held) for alias, held in es.cluster.aliases.items()}
    es_setup.run(environ(es, kibana), timeout=5)

    assert {alias: set(held) for alias, held in es.cluster.aliases.items()} == version
    [articles_index] = version["pressarchive-articles"]
    assert set(es.cluster.indices) == {articles_index, *version["pressarchive-comments"]}
    assert set(es.cluster.templates) == {"pressarchive-articles", "pressarchive-comments"}
    security = es.cluster.security
    writer = security["role/pressarchive_writer"]
    assert writer["cluster"] == ["manage_index_templates"]
    assert security["user/pressarchive_writer"]["roles"] == ["pressarchive_writer"]
    assert security["user/pressarchive_writer"]["password"] == WRITER_PASSWORD
    assert "user/pressarchive_analyst" not in security  # no password given, no user
    assert security["user/kibana_system/_password"] == {"password": "kibana-system-pw"}
    assert all(r.api is not None for r in es.requests)  # every request a 9.x route

    roles = [r for r in kibana.requests if r[1].startswith("/api/security/role/")]
    assert [r[1] for r in roles] == ["/api/security/role/pressarchive_analyst"] * 2
    assert json.loads(roles[0][3])["kibana"][0]["feature"]["discover_v2"] == ["read"]
    assert all(r[2]["kbn-xsrf"] == "true" for r in kibana.requests)
    assert all(r[2]["authorization"].startswith("Basic ") for r in kibana.requests)
    ndjson = to_ndjson(saved_objects()).encode()
    assert [body.split(b"\r\n\r\n", 1)[1].startswith(ndjson) for body in kibana.imported()] == [
        True, True]
    assert all("overwrite=true" in r[1] for r in kibana.requests if "_import" in r[1])


def test_setup_without_kibana_url_sets_up_elasticsearch_only(
        cluster: tuple[ElasticsearchDouble, StubKibana]) -> None:
    es, kibana = cluster
    env = environ(es, kibana)
    del env["KIBANA_URL"]
    es_setup.run(env, timeout=5)
    assert kibana.requests == [] and "role/pressarchive_analyst" in es.cluster.security


def test_unreachable_cluster_fails_in_one_line_without_secrets(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("ELASTICSEARCH_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ELASTIC_PASSWORD", ELASTIC_PASSWORD)
    monkeypatch.setattr(es_setup, "POLL_SECONDS", 0.01)
    assert es_setup.main(["--timeout", "0", "--skip-kibana"]) == 1
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert last.startswith("setup: Elasticsearch at http://127.0.0.1:") and "not ready" in last
    assert ELASTIC_PASSWORD not in err


def test_roles_are_least_privilege() -> None:
    roles = es_setup.load_roles()
    writer, analyst = roles["pressarchive_writer"], roles["pressarchive_analyst"]
    assert writer["elasticsearch"]["cluster"] == ["manage_index_templates"]
    for role in roles.values():
        for grant in role["elasticsearch"]["indices"]:
            assert all(name.startswith("pressarchive-") for name in grant["names"])
            assert "all" not in grant["privileges"]
    [reads] = analyst["elasticsearch"]["indices"]
    assert reads == {"names": ["pressarchive-articles", "pressarchive-comments"],
                     "privileges": ["read", "view_index_metadata"]}
    assert analyst["elasticsearch"]["cluster"] == []
    assert all(p == ["read"] for p in analyst["kibana"][0]["feature"].values())
    assert analyst["kibana"][0]["base"] == []


# Kibana 9 deprecates the v1 ids of these features, each `replacedBy` its `_v2` and, for
# reading, `savedQueryManagement` (x-pack/platform/plugins/shared/features/server/
# oss_features.ts in elastic/kibana).
KIBANA_9_DEPRECATED = {"discover": "discover_v2", "dashboard": "dashboard_v2",
                       "visualize": "visualize_v2"}


def test_analyst_role_uses_the_kibana_9_feature_ids() -> None:
    [grant] = es_setup.load_roles()["pressarchive_analyst"]["kibana"]
    features = grant["feature"]
    assert not set(features) & set(KIBANA_9_DEPRECATED)
    assert set(KIBANA_9_DEPRECATED.values()) | {"savedQueryManagement"} == set(features)


def test_roles_follow_a_custom_prefix() -> None:
    roles = es_setup.load_roles("team-a")
    assert roles["pressarchive_writer"]["elasticsearch"]["indices"][0]["names"] == ["team-a-*"]
    assert roles["pressarchive_analyst"]["elasticsearch"]["indices"][0]["names"] == [
        "team-a-articles", "team-a-comments"]


def test_kibana_shows_times_in_utc(cluster: tuple[ElasticsearchDouble, StubKibana]) -> None:
    es, kibana = cluster
    es_setup.run(environ(es, kibana), timeout=5)
    [settings] = [json.loads(r[3]) for r in kibana.requests if r[1] == "/api/kibana/settings"]
    assert settings["changes"]["dateFormat:tz"] == "UTC"
