"""One side of a comparison: a normalised document, read the way the rules need it.

Operations are keyed by method and path template with the parameter names blanked
(`/items/{}`), so renaming a path parameter does not look like a removed path. `$ref`s are
followed on demand; `flatten` merges `allOf` so that moving properties into a shared base
schema changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.diff.model import OperationRef
from generator.pointers import MAX_REF_HOPS, component_schema, join_pointer, resolve_ref

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_PARAM = re.compile(r"\{([^}/]*)\}")
_MAX_ALLOF_DEPTH = 16

# Security alternatives: scheme name -> the scopes it needs. An empty mapping is anonymous.
Alternative = Mapping[str, frozenset[str]]


def path_key(path: str) -> str:
    return PATH_PARAM.sub("{}", path)


@dataclass(frozen=True)
class Param:
    name: str
    location: str  # path, query, header, cookie
    node: Mapping[str, Any]  # the parameter object, $ref followed
    pointer: str

    @property
    def key(self) -> tuple[str, str]:
        """Header names are case-insensitive; path parameters are matched by position."""
        return (self.location, self.name.lower() if self.location == "header" else self.name)


@dataclass(frozen=True)
class OperationView:
    method: str  # upper case
    path: str
    node: Mapping[str, Any]
    pointer: str
    params: tuple[Param, ...]
    security: tuple[Alternative, ...]  # empty tuple: no security at all (anonymous)

    @property
    def ref(self) -> OperationRef:
        op_id = self.node.get("operationId")
        return OperationRef(self.path, self.method, op_id if isinstance(op_id, str) else "")

    @property
    def deprecated(self) -> bool:
        return self.node.get("deprecated") is True

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)


@dataclass
class Flat:
    """A schema with `allOf` merged in: keywords, properties (with their pointers), required."""

    keywords: dict[str, Any]
    pointer: str
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)


class Document:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        components = data.get("components") or {}
        schemas = components.get("schemas") if isinstance(components, Mapping) else None
        self.schemas: Mapping[str, Any] = schemas if isinstance(schemas, Mapping) else {}

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str, str]:
        """Follow a `$ref` chain: the node, its pointer, and the last component schema name
        passed through ("" when none)."""
        name = ""
        for _ in range(MAX_REF_HOPS):
            ref = node.get("$ref") if isinstance(node, Mapping) else None
            if not isinstance(ref, str):
                break
            name = component_schema(ref) or name
            node, pointer = resolve_ref(self.data, ref), ref[1:]
        return node, pointer, name

    def resolve_schema(self, node: Any, pointer: str) -> tuple[Any, str, str, str]:
        """Like `resolve`, keeping keywords written next to a `$ref` (`nullable: true`,
        `description`), which specgen honours as OpenAPI 3.1 does. The fourth value
        identifies those keywords ("" when there are none)."""
        siblings: dict[str, Any] = {}
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            siblings = {k: v for k, v in node.items() if k != "$ref"}
        node, pointer, name = self.resolve(node, pointer)
        if not siblings or not isinstance(node, Mapping):
            return node, pointer, name, ""
        key = json.dumps(siblings, sort_keys=True, default=str)
        return {**node, **siblings}, pointer, name, key

    def flatten(self, node: Mapping[str, Any], pointer: str, depth: int = 0) -> Flat:
        flat = Flat({k: v for k, v in node.items() if k not in ("allOf", "properties")}, pointer)
        flat.keywords.pop("required", None)
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            for name, schema in properties.items():
                flat.properties[name] = (schema, join_pointer(pointer, "properties", name))
        required = node.get("required")
        if isinstance(required, list):
            flat.required.update(r for r in required if isinstance(r, str))
        parts = node.get("allOf")
        if isinstance(parts, list) and depth < _MAX_ALLOF_DEPTH:
            for i, part in enumerate(parts):
                part, part_pointer, _ = self.resolve(part, join_pointer(pointer, "allOf", i))
                if not isinstance(part, Mapping):
                    continue
                sub = self.flatten(part, part_pointer, depth + 1)
                for key, value in sub.keywords.items():
                    flat.keywords.setdefault(key, value)
                for name, entry in sub.properties.items():
                    flat.properties.setdefault(name, entry)
                flat.required |= sub.required
        return flat

    def operations(self) -> Iterator[OperationView]:
        paths = self.data.get("paths") or {}
        security = self.data.get("security")
        for path, item in paths.items() if isinstance(paths, Mapping) else ():
            item_pointer = join_pointer("/paths", path)
            item, item_pointer, _ = self.resolve(item, item_pointer)
            if not isinstance(item, Mapping):
                continue
            shared = self._params(item.get("parameters"), item_pointer + "/parameters")
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, Mapping):
                    continue
                pointer = join_pointer(item_pointer, method)
                own = self._params(op.get("parameters"), pointer + "/parameters")
                merged = {p.key: p for p in shared} | {p.key: p for p in own}
                chosen = op.get("security") if "security" in op else security
                yield OperationView(
                    method.upper(), path, op, pointer, tuple(merged.values()), _security(chosen)
                )

    def _params(self, raw: Any, pointer: str) -> list[Param]:
        found: list[Param] = []
        for i, entry in enumerate(raw if isinstance(raw, list) else ()):
            node, where, _ = self.resolve(entry, f"{pointer}/{i}")
            if not isinstance(node, Mapping):
                continue
            name, location = node.get("name"), node.get("in")
            if isinstance(name, str) and isinstance(location, str):
                found.append(Param(name, location, node, where))
        return found


def _security(raw: Any) -> tuple[Alternative, ...]:
    alternatives: list[Alternative] = []
    for entry in raw if isinstance(raw, list) else ():
        if isinstance(entry, Mapping):
            alternatives.append(
                {
                    str(k): frozenset(s for s in v if isinstance(s, str))
                    if isinstance(v, list)
                    else frozenset()
                    for k, v in entry.items()
                }
            )
    return tuple(alternatives)


def stable_components(old: Document, new: Document) -> frozenset[str]:
    """Component schemas identical on both sides, and referring only to such components:
    comparing one with itself can find nothing, so the comparison skips them."""
    candidates = {
        name for name, schema in old.schemas.items() if new.schemas.get(name, None) == schema
    }
    refs = {name: set(_schema_refs(old.schemas[name])) for name in candidates}
    changed = True
    while changed:
        changed = False
        for name in list(candidates):
            if not refs[name] <= candidates:
                candidates.discard(name)
                changed = True
    return frozenset(candidates)


def _schema_refs(node: Any) -> Iterator[str]:
    """Names of the component schemas `node` refers to (anything else: a name never stable)."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            ref = item.get("$ref")
            if isinstance(ref, str):
                key = component_schema(ref)
                yield key if key is not None else "\x00" + ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
