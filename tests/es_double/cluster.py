"""The state of the double: indices with settings, mappings and documents, aliases,
index templates, and what a document must satisfy to be indexed.

What is checked on a document, as Elasticsearch does: `dynamic: strict` (a field the
mapping does not name is refused), the field types the project's mappings use (text,
keyword, integer, boolean, date), and keyword terms longer than 32766 bytes without
`ignore_above`. Documents become searchable on a refresh when `refresh_interval` is `-1`,
at once otherwise (the real cluster takes up to the interval).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_TERM_BYTES = 32766
_INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9_.+-]*$")
NOT_DYNAMIC = {"number_of_shards"}


class ApiFailure(Exception):
    """An error answer: status and body as Elasticsearch writes them."""

    def __init__(self, status: int, kind: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        cause = {"type": kind, "reason": reason, **extra}
        self.status = status
        self.body = {"error": {"root_cause": [cause], **cause}, "status": status}


def not_found(name: str) -> ApiFailure:
    return ApiFailure(404, "index_not_found_exception", f"no such index [{name}]",
                      index=name, **{"resource.type": "index_or_alias", "resource.id": name})


def epoch_millis(value: Any) -> int:
    """A date value as Elasticsearch sorts and compares it."""
    if isinstance(value, int):
        return value
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
    return int(parsed.timestamp() * 1000)


@dataclass
class Index:
    name: str
    settings: dict[str, Any]
    mappings: dict[str, Any]
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    refreshed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def searchable(self) -> dict[str, dict[str, Any]]:
        if str(self.settings.get("refresh_interval")) == "-1":
            return self.refreshed
        return self.docs

    def refresh(self) -> None:
        self.refreshed = dict(self.docs)

    def setting(self, name: str, default: Any) -> Any:
        return self.settings.get(name, default)

    def field_mapping(self, path: str) -> dict[str, Any] | None:
        """The mapping of a field or subfield (`author.keyword`)."""
        properties = self.mappings.get("properties", {})
        if path in properties:
            return properties[path]
        base, _, sub = path.rpartition(".")
        return properties.get(base, {}).get("fields", {}).get(sub) if base else None

    def check_document(self, doc_id: str, source: dict[str, Any]) -> None:
        """Raise the error Elasticsearch answers for a document this mapping refuses."""
        properties = self.mappings.get("properties", {})
        strict = self.mappings.get("dynamic") == "strict"
        for name, value in source.items():
            mapping = properties.get(name)
            if mapping is None:
                if strict:
                    raise ApiFailure(400, "strict_dynamic_mapping_exception",
                                     f"[1:2] mapping set to strict, dynamic introduction of "
                                     f"[{name}] within [_doc] is not allowed")
                continue
            for item in value if isinstance(value, list) else [value]:
                _check_value(doc_id, name, mapping, item)


def _check_value(doc_id: str, name: str, mapping: dict[str, Any], value: Any) -> None:
    kind = mapping.get("type")
    ok = True
    if kind == "integer":
        ok = (isinstance(value, int) and not isinstance(value, bool)) or \
            (isinstance(value, str) and value.lstrip("-").isdigit())
    elif kind == "boolean":
        ok = isinstance(value, bool) or value in ("true", "false")
    elif kind == "date":
        try:
            epoch_millis(value)
        except (TypeError, ValueError):
            ok = False
    elif kind in ("keyword", "text"):
        ok = isinstance(value, (str, int, float, bool))
        if kind == "keyword" and "ignore_above" not in mapping and \
                len(str(value).encode()) > MAX_TERM_BYTES:
            raise ApiFailure(400, "illegal_argument_exception",
                             f'Document contains at least one immense term in field="{name}" '
                             f"(whose UTF8 encoding is longer than the max length "
                             f"{MAX_TERM_BYTES}), all of which were skipped.")
    if not ok:
        raise ApiFailure(400, "document_parsing_exception",
                         f"[1:2] failed to parse field [{name}] of type [{kind}] in document "
                         f"with id '{doc_id}'. Preview of field's value: '{str(value)[:100]}'")


@dataclass
class Cluster:
    indices: dict[str, Index] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)
    security: dict[str, Any] = field(default_factory=dict)

    # --- names -------------------------------------------------------------------------

    def resolve(self, expression: str, *, allow_no_indices: bool = True,
                aliases: bool = True) -> list[str]:
        """Concrete index names for a comma-separated list of names, aliases and wildcards."""
        names: list[str] = []
        for part in expression.split(","):
            if part in ("_all", "*"):
                names += sorted(self.indices)
            elif "*" in part:
                matched = sorted(i for i in self.indices if fnmatch.fnmatchcase(i, part))
                if not matched and not allow_no_indices:
                    raise not_found(part)
                names += matched
            elif aliases and part in self.aliases:
                names += sorted(self.aliases[part])
            elif part in self.indices:
                names.append(part)
            else:
                raise not_found(part)
        return list(dict.fromkeys(names))

    def aliases_of(self, index: str) -> list[str]:
        return sorted(a for a, held in self.aliases.items() if index in held)

    def write_index(self, name: str) -> str:
        if name in self.aliases:
            held = sorted(self.aliases[name])
            if len(held) != 1:
                raise ApiFailure(400, "illegal_argument_exception",
                                 f"no write index is defined for alias [{name}]")
            return held[0]
        return name

    # --- indices -----------------------------------------------------------------------

    def create(self, name: str, body: dict[str, Any]) -> Index:
        if not _INDEX_NAME.match(name) or name in (".", ".."):
            raise ApiFailure(400, "invalid_index_name_exception",
                             f"Invalid index name [{name}], must be lowercase", index=name)
        if name in self.indices or name in self.aliases:
            raise ApiFailure(400, "resource_already_exists_exception",
                             f"index [{name}/_na_] already exists", index=name)
        template = self.template_for(name)
        settings = _flat(dict(template.get("settings", {})))
        settings.update(_flat(dict(body.get("settings") or {})))
        mappings = dict(template.get("mappings", {}))
        mappings.update(body.get("mappings") or {})
        self.indices[name] = Index(name, settings, mappings)
        return self.indices[name]

    def template_for(self, name: str) -> dict[str, Any]:
        matching = [t for t in self.templates.values()
                    if any(fnmatch.fnmatchcase(name, p) for p in t.get("index_patterns", []))]
        if not matching:
            return {}
        return max(matching, key=lambda t: t.get("priority", 0)).get("template", {})

    def delete(self, expression: str) -> None:
        for part in expression.split(","):
            if "*" in part or part == "_all":
                raise ApiFailure(400, "illegal_argument_exception",
                                 "Wildcard expressions or all indices are not allowed")
            if part in self.aliases:
                raise ApiFailure(400, "illegal_argument_exception",
                                 f"The provided expression [{part}] matches an alias, specify "
                                 "the corresponding concrete indices instead.")
            if part not in self.indices:
                raise not_found(part)
        for part in expression.split(","):
            del self.indices[part]
            for held in self.aliases.values():
                held.discard(part)
        self.aliases = {a: held for a, held in self.aliases.items() if held}

    def put_settings(self, expression: str, body: dict[str, Any]) -> None:
        settings = _flat(body.get("settings", body))
        targets = self.resolve(expression)
        fixed = sorted(k for k in settings if k in NOT_DYNAMIC)
        if fixed:
            names = ", ".join(f"index.{k}" for k in fixed)
            raise ApiFailure(400, "illegal_argument_exception",
                             f"Can't update non dynamic settings [[{names}]] for open indices "
                             f"[{targets}]")
        for name in targets:
            self.indices[name].settings.update(settings)

    def update_aliases(self, actions: list[dict[str, Any]]) -> None:
        """All or nothing, as one `_aliases` request is."""
        planned = {a: set(held) for a, held in self.aliases.items()}
        for action in actions:
            (verb, spec), = action.items()
            index, alias = spec["index"], spec["alias"]
            if index not in self.indices:
                raise not_found(index)
            if verb == "add":
                planned.setdefault(alias, set()).add(index)
            elif verb == "remove":
                if index not in planned.get(alias, set()):
                    raise ApiFailure(404, "aliases_not_found_exception",
                                     f"aliases [{alias}] missing", **{"resource.id": alias})
                planned[alias].discard(index)
            else:
                raise ApiFailure(400, "illegal_argument_exception", f"unsupported action {verb}")
        self.aliases = {a: held for a, held in planned.items() if held}


def _flat(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings without the `index.` prefix or nesting, as the double keeps them."""
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if isinstance(value, dict):
            out.update(_flat(value) if key == "index" else
                       {f"{key}.{k}": v for k, v in _flat(value).items()})
        else:
            out[key.removeprefix("index.")] = value
    return out
