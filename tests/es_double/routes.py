"""Which API a request reaches, as Elasticsearch's REST layer decides it.

The routes come from `tests/fixtures/elasticsearch/rest_api_routes.json` (with their
sources) for one server version. Matching follows the server's `RestController`: the
literal path segments win over `{placeholders}`; when no route of the path allows the
method the answer is 405 naming the methods that are allowed, and a path no route knows
is 400 "no handler found".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROUTES_PATH = Path(__file__).resolve().parents[1] / "fixtures" / "elasticsearch" / \
    "rest_api_routes.json"


class RouteError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status, self.body = status, body


@dataclass(frozen=True)
class Route:
    api: str
    pattern: tuple[str, ...]
    methods: frozenset[str]

    def match(self, segments: list[str]) -> dict[str, str] | None:
        if len(segments) != len(self.pattern):
            return None
        params = {}
        for want, got in zip(self.pattern, segments, strict=True):
            if want.startswith("{"):
                params[want.strip("{}")] = got
            elif want != got:
                return None
        return params

    @property
    def specificity(self) -> tuple[int, ...]:
        return tuple(0 if part.startswith("{") else 1 for part in self.pattern)


def _minor(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def recorded_versions() -> list[str]:
    """Every `since` version the data names."""
    apis = json.loads(ROUTES_PATH.read_text())["apis"]
    return sorted({v for api in apis.values() for v in api["since"]}, key=_minor)


class Routes:
    def __init__(self, version: str) -> None:
        self.version = version
        wanted = _minor(version)
        apis = json.loads(ROUTES_PATH.read_text())["apis"]
        self.routes: list[Route] = []
        for api, spec in apis.items():
            usable = [v for v in spec["since"] if _minor(v)[0] == wanted[0] and
                      _minor(v) <= wanted]
            if not usable:
                raise ValueError(f"no routes recorded for {api} on Elasticsearch {version}: "
                                 f"add them to {ROUTES_PATH.name}")
            for route in spec["since"][max(usable, key=_minor)]:
                pattern = tuple(p for p in route["path"].split("/") if p)
                self.routes.append(Route(api, pattern, frozenset(route["methods"])))

    def resolve(self, method: str, path: str, uri: str) -> tuple[str, dict[str, str]]:
        segments = [p for p in path.split("/") if p]
        found = [(route, params) for route in self.routes
                 if (params := route.match(segments)) is not None]
        if not found:
            raise RouteError(400, {"error": f"no handler found for uri [{uri}] and method "
                                            f"[{method}]"})
        allowed = frozenset().union(*(route.methods for route, _ in found))
        if method not in allowed:
            raise RouteError(405, {"error": f"Incorrect HTTP method for uri [{uri}] and method "
                                            f"[{method}], allowed: [{', '.join(sorted(allowed))}]",
                                   "status": 405})
        route, params = max(((r, p) for r, p in found if method in r.methods),
                            key=lambda item: item[0].specificity)
        return route.api, params
