"""Find every Schema Object of an OpenAPI document, in document order, without recursion.

Only schema positions are visited: a property *named* `type`, or an `example` value that
happens to look like a schema, is never mistaken for one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final

from generator.pointers import escape_pointer_token, join_pointer, split_pointer

# openapi-spec-validator recurses 7-14 Python frames per schema level: under pytest it
# overflows the default recursion limit near 70 levels for 3.1 and 150 for 3.0. Real
# specs nest fewer than 20 (the full Braintrust spec: 5).
MAX_SCHEMA_DEPTH: Final = 50

HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
)

# Non-schema OpenAPI objects: for each kind, (key, child kind, key holds a map of children).
_STRUCTURE: Final[dict[str, tuple[tuple[str, str, bool], ...]]] = {
    "document": (("paths", "pathItem", True), ("webhooks", "pathItem", True),
                 ("components", "components", False)),
    "components": (("schemas", "schema", True), ("parameters", "parameter", True),
                   ("headers", "header", True), ("responses", "response", True),
                   ("requestBodies", "requestBody", True), ("callbacks", "callback", True),
                   ("pathItems", "pathItem", True)),
    "pathItem": (("parameters", "parameter", True),
                 *((m, "operation", False) for m in HTTP_METHODS)),
    "operation": (("parameters", "parameter", True), ("requestBody", "requestBody", False),
                  ("responses", "response", True), ("callbacks", "callback", True)),
    "parameter": (("schema", "schema", False), ("content", "mediaType", True)),
    "header": (("schema", "schema", False), ("content", "mediaType", True)),
    "requestBody": (("content", "mediaType", True),),
    "response": (("headers", "header", True), ("content", "mediaType", True)),
    "mediaType": (("schema", "schema", False), ("encoding", "encoding", True)),
    "encoding": (("headers", "header", True),),
    "callback": (("*", "pathItem", True),),  # "*": every member of the object itself
}  # fmt: skip


@dataclass(frozen=True)
class SchemaNode:
    pointer: str
    node: dict[str, Any]
    depth: int  # 0 for a schema that is not inside another schema


@dataclass(frozen=True)
class SchemaWalk:
    nodes: tuple[SchemaNode, ...]  # pre-order: a schema comes before everything inside it
    too_deep: tuple[tuple[str, str], ...]  # (root pointer, first pointer past the limit)


def _members(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        yield from value.items()
    elif isinstance(value, list):
        yield from enumerate(value)


def schema_roots(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Schemas that sit directly in a non-schema object (components, parameters, media types)."""
    stack: list[tuple[str, str, Any]] = [("document", "", document)]
    while stack:
        kind, pointer, node = stack.pop()
        if not isinstance(node, dict):
            continue
        if kind == "schema":
            yield pointer, node
            continue
        found: list[tuple[str, str, Any]] = []
        for key, child_kind, is_map in _STRUCTURE[kind]:
            if key == "*":
                found.extend((child_kind, join_pointer(pointer, k), v) for k, v in _members(node))
            elif key in node and is_map:
                found.extend(
                    (child_kind, join_pointer(pointer, key, k), v) for k, v in _members(node[key])
                )
            elif key in node:
                found.append((child_kind, join_pointer(pointer, key), node[key]))
        stack.extend(reversed(found))


_ORDER: Final = (*_SCHEMA_MAPS, *_SCHEMA_LISTS, *_SCHEMA_SINGLES)
_KEYS: Final = frozenset(_ORDER)
_MAPS: Final = frozenset(_SCHEMA_MAPS)
_LISTS: Final = frozenset(_SCHEMA_LISTS)


def subschemas(pointer: str, node: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """The schemas directly inside `node`, with their pointers, in a fixed keyword order.
    (Hot: every walk of every stage calls it per schema node, most of them leaves.)"""
    present = _KEYS.intersection(node)
    if not present:
        return
    for key in _ORDER:
        if key not in present:
            continue
        value = node[key]
        at = f"{pointer}/{key}"
        if key in _MAPS:
            if isinstance(value, dict):
                for name, sub in value.items():
                    yield f"{at}/{_token(name)}", sub
        elif key in _LISTS or isinstance(value, list):
            if isinstance(value, list) and (key in _LISTS or key == "items"):
                for index, sub in enumerate(value):  # "items" as a list: draft-4 tuple form
                    yield f"{at}/{index}", sub
        elif isinstance(value, dict):
            yield at, value


def child_schemas(node: dict[str, Any]) -> list[Any]:
    """`subschemas` without the pointers, for walks that do not report where they are."""
    present = _KEYS.intersection(node)
    if not present:
        return []
    found: list[Any] = []
    for key in _ORDER:
        if key not in present:
            continue
        value = node[key]
        if key in _MAPS:
            if isinstance(value, dict):
                found.extend(value.values())
        elif key in _LISTS or isinstance(value, list):
            if isinstance(value, list) and (key in _LISTS or key == "items"):
                found.extend(value)
        elif isinstance(value, dict):
            found.append(value)
    return found


def _token(name: object) -> str:
    text = str(name)
    return escape_pointer_token(text) if "~" in text or "/" in text else text


def walk_schemas(document: dict[str, Any], max_depth: int = MAX_SCHEMA_DEPTH) -> SchemaWalk:
    nodes: list[SchemaNode] = []
    too_deep: list[tuple[str, str]] = []
    for root_pointer, root in schema_roots(document):
        stack: list[tuple[str, Any, int]] = [(root_pointer, root, 0)]
        flagged = False
        while stack:
            pointer, node, depth = stack.pop()
            if not isinstance(node, dict):
                continue
            if depth > max_depth:
                if not flagged:
                    too_deep.append((root_pointer, pointer))
                    flagged = True
                continue
            nodes.append(SchemaNode(pointer, node, depth))
            children = list(subschemas(pointer, node))
            stack.extend((p, sub, depth + 1) for p, sub in reversed(children))
    return SchemaWalk(tuple(nodes), tuple(too_deep))


def schema_nodes(
    document: dict[str, Any], max_depth: int = MAX_SCHEMA_DEPTH
) -> list[dict[str, Any]]:
    """The nodes of `walk_schemas(document, max_depth)`, in its order, without their pointers
    (for the passes that rewrite every schema and report nothing: half the time)."""
    nodes: list[dict[str, Any]] = []
    for _, root in schema_roots(document):
        nodes.extend(nodes_of(root, max_depth))
    return nodes


def nodes_of(root: dict[str, Any], max_depth: int = MAX_SCHEMA_DEPTH) -> list[dict[str, Any]]:
    """The schema nodes of one schema root, as `schema_nodes` lists them."""
    nodes: list[dict[str, Any]] = []
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict) or depth > max_depth:
            continue
        nodes.append(node)
        stack.extend((sub, depth + 1) for sub in reversed(child_schemas(node)))
    return nodes


# Section anchors of the OpenAPI specification, for hints.
SPEC_ANCHORS: Final = {
    "document": "openapi-object",
    "info": "info-object",
    "components": "components-object",
    "pathItem": "path-item-object",
    "operation": "operation-object",
    "parameter": "parameter-object",
    "header": "header-object",
    "requestBody": "request-body-object",
    "response": "response-object",
    "mediaType": "media-type-object",
    "encoding": "encoding-object",
    "callback": "callback-object",
    "schema": "schema-object",
}


def object_kind(pointer: str) -> str:
    """The kind of OpenAPI object at (or enclosing) `pointer`, a key of SPEC_ANCHORS."""
    tokens = split_pointer(pointer)
    if tokens[:1] == ["info"]:
        return "info"
    kind, index = "document", 0
    while index < len(tokens) and kind != "schema":
        step: tuple[str, int] | None = None
        for key, child_kind, is_map in _STRUCTURE[kind]:
            if key == "*" or key == tokens[index]:
                step = (child_kind, 2 if is_map and key != "*" else 1)
                break
        if step is None or index + step[1] > len(tokens):
            break
        kind, index = step[0], index + step[1]
    return kind
