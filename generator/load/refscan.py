"""Finding `$ref`s in a document: which subtrees are data, alias cycles, retargeting.

A `{"$ref": ...}` inside `example`, `default`, `enum`, `const`, an Example's `value` or an
`x-` extension is user data, not a reference, so those subtrees are never followed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from generator.load.tree import child_pointer

# Objects whose keys are user-chosen names (a property called `default` is a schema, not data).
NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
        "components", "schemas", "responses", "parameters", "examples", "requestBodies",
        "headers", "securitySchemes", "links", "callbacks", "pathItems", "paths", "webhooks",
        "content", "encoding", "variables", "mapping",
    }
)  # fmt: skip
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const"})
# Keywords that may sit next to `$ref` without giving the schema a definition of its own.
_ANNOTATIONS = frozenset(
    {
        "$ref", "$comment", "description", "summary", "title", "deprecated", "readOnly",
        "writeOnly", "example", "examples", "default", "nullable",
    }
)  # fmt: skip


def _last_tokens(pointer: str, count: int) -> list[str]:
    return pointer.rsplit("/", count)[1:]


def is_literal(pointer: str, key: str, value: Any) -> bool:
    """Whether `node[key]` (node at `pointer`) holds user data rather than spec structure."""
    parent = pointer[pointer.rfind("/") + 1 :]
    if parent in NAME_MAPS:
        return False
    if key in _LITERAL_KEYS or key.startswith("x-"):
        return True
    if key == "examples":
        return isinstance(value, list)  # a schema's examples; a map holds Example Objects
    if key == "value":
        tokens = _last_tokens(pointer, 3)
        return len(tokens) >= 2 and tokens[-2] == "examples"
    return False


def ref_holders(document: Any, base: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict with a string `$ref`, with its pointer, in document order."""
    stack: list[tuple[str, Any]] = [(base, document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield pointer, node
            children = [
                (child_pointer(pointer, k), v)
                for k, v in node.items()
                if isinstance(v, dict | list) and not is_literal(pointer, k, v)
            ]
        elif isinstance(node, list):
            children = [(child_pointer(pointer, i), v) for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))


def local_target(ref: str) -> str | None:
    """The pointer a local ref (`#/...`) designates, or None for any other ref."""
    return unquote(ref[1:]) if ref.startswith("#") else None


def alias_cycles(document: Any) -> list[list[str]]:
    """Chains of nodes that are only a `$ref` and loop back (no node ever gives a definition).

    Recursion through properties, items and the like is fine: those nodes carry other keywords.
    """
    alias: dict[str, str] = {}
    for pointer, node in ref_holders(document):
        target = local_target(node["$ref"])
        if target is not None and node.keys() <= _ANNOTATIONS:
            alias[pointer] = target
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in alias:
        path: list[str] = []
        on_path: set[str] = set()
        current = start
        while current in alias and current not in done and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = alias[current]
        if current in on_path:
            cycles.append(path[path.index(current) :])
        done.update(path)
    return cycles


def retarget_refs(document: Any, renames: Mapping[str, str]) -> None:
    """Rewrite, in place, every `$ref` whose value is a key of `renames`."""
    for _pointer, node in ref_holders(document):
        new = renames.get(node["$ref"])
        if new is not None:
            node["$ref"] = new
