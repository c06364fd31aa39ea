"""The double's HTTP side: a real server on 127.0.0.1 that the official client talks to.

Before any API runs, a request must pass what the server's HTTP and REST layers check:
the body within `http.max_content_length` (else 413 with an empty body, as Netty answers),
a `compatible-with` media type the server's major accepts, and a route of the recorded
REST API for the server's version (`routes`). Then the API answers from `Cluster`, with
the status and error shapes of Elasticsearch, and `X-Elastic-Product` on every answer (the
client refuses a server without it).

Faults are injected per request (`request_fault(api, attempt)`, e.g. a 503 or 500 for the
first bulk requests) and per document (`item_fault(doc_id, attempt)`, a per-item error in
a bulk answer). Every request is recorded, with the API it reached.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.es_double import search as search_api
from tests.es_double.cluster import ApiFailure, Cluster, Index
from tests.es_double.routes import RouteError, Routes

HTTP_MAX_CONTENT_LENGTH = 100 * 1024 * 1024
MAX_ID_BYTES = 512
Fault = tuple[int, dict[str, Any]]
_COMPATIBLE = re.compile(r"compatible-with=(\d+)")


@dataclass
class Request:
    method: str
    path: str
    api: str | None
    params: dict[str, str]
    body: Any
    size: int


@dataclass
class PointInTime:
    indices: list[Index]
    docs: dict[str, dict[str, dict[str, Any]]]
    expires: float
    sorted_matches: dict[str, list[Any]] = field(default_factory=dict)


def _seconds(keep_alive: str) -> float:
    found = re.fullmatch(r"(\d+)(ms|s|m|h|d)", keep_alive)
    if not found:
        raise ApiFailure(400, "illegal_argument_exception",
                         f"failed to parse setting [keep_alive] with value [{keep_alive}]")
    number, unit = found.groups()
    return int(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


class ElasticsearchDouble:
    def __init__(self, version: str, *, max_content_length: int = HTTP_MAX_CONTENT_LENGTH) -> None:
        self.version = version
        self.major = int(version.split(".")[0])
        self.routes = Routes(version)
        self.max_content_length = max_content_length
        self.cluster = Cluster()
        self.requests: list[Request] = []
        self.pits: dict[str, PointInTime] = {}
        self.attempts: Counter[str] = Counter()
        self.api_attempts: Counter[str] = Counter()
        self.item_fault: Callable[[str, int], Fault | None] = lambda doc_id, attempt: None
        self.request_fault: Callable[[str, int], Fault | None] = lambda api, attempt: None
        self.lock = threading.RLock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> ElasticsearchDouble:
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what tests look at ------------------------------------------------------------

    def calls(self, api: str) -> list[Request]:
        return [r for r in self.requests if r.api == api]

    def bulk_ids(self) -> list[list[str]]:
        """The `_id`s of every bulk request that reached the API, in order."""
        return [[next(iter(line.values()))["_id"] for line in r.body[::2]]
                for r in self.calls("bulk")]

    def documents(self, index: str) -> dict[str, dict[str, Any]]:
        return self.cluster.indices[index].docs

    @contextmanager
    def faults(self, *, item: Callable[[str, int], Fault | None] | None = None,
               request: Callable[[str, int], Fault | None] | None = None) -> Iterator[None]:
        """Inject faults for the duration of a block."""
        saved = self.item_fault, self.request_fault
        self.item_fault = item or saved[0]
        self.request_fault = request or saved[1]
        try:
            yield
        finally:
            self.item_fault, self.request_fault = saved

    # --- one request ---------------------------------------------------------------------

    def answer(self, method: str, target: str, headers: dict[str, str],
               raw: bytes) -> tuple[int, Any]:
        parts = urlsplit(target)
        path, params = unquote(parts.path), dict(parse_qsl(parts.query))
        if len(raw) > self.max_content_length:
            self.requests.append(Request(method, path, None, params, None, len(raw)))
            return 413, None
        try:
            self._check_media_type(headers)
            api, path_params = self.routes.resolve(method, path, target)
        except RouteError as exc:
            self.requests.append(Request(method, path, None, params, None, len(raw)))
            return exc.status, exc.body
        body = _parse(api, raw)
        with self.lock:
            self.requests.append(Request(method, path, api, params, body, len(raw)))
            self.api_attempts[api] += 1
            fault = self.request_fault(api, self.api_attempts[api])
            if fault:
                return fault
            try:
                return 200, getattr(self, "api_" + api.replace(".", "_"))(
                    path_params, params, body)
            except ApiFailure as exc:
                return exc.status, exc.body

    def _check_media_type(self, headers: dict[str, str]) -> None:
        for name in ("accept", "content-type"):
            found = _COMPATIBLE.search(headers.get(name, ""))
            if found and int(found.group(1)) not in (self.major - 1, self.major):
                raise RouteError(400, {"error": {
                    "type": "media_type_header_exception",
                    "reason": f"Invalid media-type value on headers [{name}]: compatible-with="
                              f"{found.group(1)} is not supported by Elasticsearch "
                              f"{self.version}"}, "status": 400})

    # --- the APIs ------------------------------------------------------------------------

    def api_info(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        return {"name": "double", "cluster_name": "pressarchive-double",
                "version": {"number": self.version, "build_flavor": "default"},
                "tagline": "You Know, for Search"}

    def api_cluster_health(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        return {"cluster_name": "pressarchive-double", "status": "green", "number_of_nodes": 1,
                "timed_out": False}

    def api_security_put_role(self, path: dict[str, str], params: dict[str, str],
                              body: Any) -> Any:
        self.cluster.security[f"role/{path['name']}"] = body
        return {"role": {"created": True}}

    def api_security_put_user(self, path: dict[str, str], params: dict[str, str],
                              body: Any) -> Any:
        self.cluster.security[f"user/{path['username']}"] = body
        return {"created": True}

    def api_security_change_password(self, path: dict[str, str], params: dict[str, str],
                                     body: Any) -> Any:
        self.cluster.security[f"user/{path.get('username', '_self')}/_password"] = body
        return {}

    def api_indices_put_index_template(self, path: dict[str, str], params: dict[str, str],
                                       body: Any) -> Any:
        if not (body or {}).get("index_patterns"):
            raise ApiFailure(400, "action_request_validation_exception",
                             "Validation Failed: 1: index patterns are missing;")
        self.cluster.templates[path["name"]] = body
        return {"acknowledged": True}

    def api_indices_delete_index_template(self, path: dict[str, str], params: dict[str, str],
                                          body: Any) -> Any:
        if self.cluster.templates.pop(path["name"], None) is None:
            raise ApiFailure(404, "resource_not_found_exception",
                             f"index_template [{path['name']}] missing")
        return {"acknowledged": True}

    def api_indices_create(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        self.cluster.create(path["index"], body or {})
        return {"acknowledged": True, "shards_acknowledged": True, "index": path["index"]}

    def api_indices_get(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        names = self.cluster.resolve(path["index"],
                                     allow_no_indices=params.get("allow_no_indices") != "false")
        return {name: {"aliases": {a: {} for a in self.cluster.aliases_of(name)},
                       "mappings": self.cluster.indices[name].mappings,
                       "settings": {"index": {k: str(v) for k, v in
                                              self.cluster.indices[name].settings.items()}}}
                for name in names}

    def api_indices_delete(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        self.cluster.delete(path["index"])
        return {"acknowledged": True}

    def api_indices_get_alias(self, path: dict[str, str], params: dict[str, str],
                              body: Any) -> Any:
        indices = self.cluster.resolve(path["index"]) if "index" in path else \
            sorted(self.cluster.indices)
        wanted = path.get("name")
        found = {}
        for index in indices:
            aliases = [a for a in self.cluster.aliases_of(index)
                       if wanted is None or a in wanted.split(",")]
            if aliases or wanted is None:
                found[index] = {"aliases": {a: {} for a in aliases}}
        if wanted and not found:
            raise _AliasMissing(wanted)
        return found

    def api_indices_update_aliases(self, path: dict[str, str], params: dict[str, str],
                                   body: Any) -> Any:
        self.cluster.update_aliases(body["actions"])
        return {"acknowledged": True}

    def api_indices_put_settings(self, path: dict[str, str], params: dict[str, str],
                                 body: Any) -> Any:
        self.cluster.put_settings(path.get("index", "_all"), body or {})
        return {"acknowledged": True}

    def api_indices_refresh(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        names = self.cluster.resolve(path.get("index", "_all"))
        for name in names:
            self.cluster.indices[name].refresh()
        return {"_shards": {"total": len(names), "successful": len(names), "failed": 0}}

    def api_indices_get_mapping(self, path: dict[str, str], params: dict[str, str],
                                body: Any) -> Any:
        return {name: {"mappings": self.cluster.indices[name].mappings}
                for name in self.cluster.resolve(path.get("index", "_all"))}

    def api_indices_resolve_index(self, path: dict[str, str], params: dict[str, str],
                                  body: Any) -> Any:
        names = self.cluster.resolve(path["name"], aliases=False)
        return {"indices": [{"name": n, "aliases": self.cluster.aliases_of(n),
                             "attributes": ["open"]} for n in names],
                "aliases": [], "data_streams": []}

    def api_count(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        indices = self._targets(path.get("index", "_all"))
        docs = {i.name: i.searchable() for i in indices}
        return {"count": search_api.count(indices, docs, body), "_shards": {"total": 1}}

    def api_search(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        body = body or {}
        if "pit" in body:
            if "index" in path:
                raise ApiFailure(400, "action_request_validation_exception",
                                 "Validation Failed: 1: [indices] cannot be used with point in "
                                 "time. Do not specify any index with point in time.;")
            pit_id = body["pit"]["id"]
            pit = self._live_pit(pit_id)
            pit.expires = time.monotonic() + _seconds(body["pit"].get("keep_alive", "1m"))
            answer = search_api.search(pit.indices, pit.docs, body, pit.sorted_matches)
            answer["pit_id"] = pit_id
            return answer
        indices = self._targets(path.get("index", "_all"))
        return search_api.search(indices, {i.name: i.searchable() for i in indices}, body)

    def api_open_point_in_time(self, path: dict[str, str], params: dict[str, str],
                               body: Any) -> Any:
        if "keep_alive" not in params:
            raise ApiFailure(400, "action_request_validation_exception",
                             "Validation Failed: 1: [keep_alive] is not specified;")
        indices = self._targets(path["index"])
        pit_id = uuid.uuid4().hex
        self.pits[pit_id] = PointInTime(indices, {i.name: dict(i.searchable()) for i in indices},
                                        time.monotonic() + _seconds(params["keep_alive"]))
        return {"id": pit_id, "_shards": {"total": len(indices), "successful": len(indices)}}

    def api_close_point_in_time(self, path: dict[str, str], params: dict[str, str],
                                body: Any) -> Any:
        freed = self.pits.pop((body or {}).get("id", ""), None) is not None
        if not freed:
            raise _PitNotFound()
        return {"succeeded": True, "num_freed": 1}

    def api_bulk(self, path: dict[str, str], params: dict[str, str], body: Any) -> Any:
        pairs = list(zip(body[::2], body[1::2], strict=True))
        too_long = [meta["_id"] for (_op, meta), _ in ((next(iter(a.items())), s) for a, s in pairs)
                    if len(str(meta.get("_id", "")).encode()) > MAX_ID_BYTES]
        if too_long:
            reasons = "".join(
                f"{n}: id [{i}] is too long, must be no longer than {MAX_ID_BYTES} bytes but "
                f"was: {len(i.encode())};" for n, i in enumerate(too_long, start=1))
            raise ApiFailure(400, "action_request_validation_exception",
                             f"Validation Failed: {reasons}")
        items = [self._bulk_item(path.get("index"), action, source) for action, source in pairs]
        return {"took": 1, "errors": any("error" in next(iter(i.values())) for i in items),
                "items": items}

    # --- helpers -------------------------------------------------------------------------

    def _targets(self, expression: str) -> list[Index]:
        return [self.cluster.indices[n] for n in self.cluster.resolve(expression)]

    def _live_pit(self, pit_id: str) -> PointInTime:
        pit = self.pits.get(pit_id)
        gone = pit is None or pit.expires < time.monotonic() or any(
            i.name not in self.cluster.indices for i in pit.indices)
        if gone or pit is None:
            self.pits.pop(pit_id, None)
            raise ApiFailure(404, "search_context_missing_exception",
                             f"No search context found for id [{pit_id}]")
        return pit

    def _bulk_item(self, default_index: str | None, action: dict[str, Any],
                   source: dict[str, Any]) -> dict[str, Any]:
        (op, meta), = action.items()
        name = meta.get("_index") or default_index
        doc_id = str(meta.get("_id") or uuid.uuid4().hex)
        self.attempts[doc_id] += 1
        fault = self.item_fault(doc_id, self.attempts[doc_id])
        try:
            if op not in ("index", "create"):
                raise ApiFailure(400, "illegal_argument_exception",
                                 f"the double does not take [{op}] actions")
            if fault:
                status, error = fault
                return {op: {"_index": name, "_id": doc_id, "status": status, "error": error}}
            target = self.cluster.write_index(str(name))
            index = self.cluster.indices.get(target) or self.cluster.create(target, {})
            index.check_document(doc_id, source)
        except ApiFailure as exc:
            error = {k: v for k, v in exc.body["error"].items() if k != "root_cause"}
            return {op: {"_index": name, "_id": doc_id, "status": exc.status, "error": error}}
        if op == "create" and doc_id in index.docs:
            return {op: {"_index": target, "_id": doc_id, "status": 409, "error": {
                "type": "version_conflict_engine_exception",
                "reason": f"[{doc_id}]: version conflict, document already exists"}}}
        result = "updated" if doc_id in index.docs else "created"
        index.docs[doc_id] = source
        return {op: {"_index": target, "_id": doc_id, "result": result,
                     "status": 200 if result == "updated" else 201}}


class _AliasMissing(ApiFailure):
    def __init__(self, name: str) -> None:
        super().__init__(404, "aliases_not_found_exception", f"alias [{name}] missing")
        self.body = {"error": f"alias [{name}] missing", "status": 404}


class _PitNotFound(ApiFailure):
    def __init__(self) -> None:
        super().__init__(404, "resource_not_found_exception", "point in time not found")
        self.body = {"succeeded": True, "num_freed": 0}


def _parse(api: str, raw: bytes) -> Any:
    if not raw:
        return None
    if api == "bulk":
        return [json.loads(line) for line in raw.splitlines() if line.strip()]
    return json.loads(raw)


def _handler(double: ElasticsearchDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # one answer in two writes must not wait 40 ms

        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload = double.answer(self.command, self.path, headers, raw)
            data = b"" if payload is None else json.dumps(payload).encode()
            self.send_response(status)
            if payload is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _serve

        def log_message(self, *args: Any) -> None:
            pass

    return Handler
