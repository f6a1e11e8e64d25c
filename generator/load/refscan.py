"""Finding `$ref`s in a document: which subtrees are data, alias cycles, retargeting.

A `{"$ref": ...}` inside `example`, `default`, `enum`, `const`, an Example's `value` or an
`x-` extension is user data, not a reference, so those subtrees are never followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from generator.pointers import join_pointer

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


def structure_nodes(document: Any, base: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict of the spec's structure (not inside literal data such as examples), with its
    pointer, in document order; iterative."""
    stack: list[tuple[str, Any]] = [(base, document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            yield pointer, node
            # Under a name map no key is literal data (is_literal's first test, once per node).
            names = pointer[pointer.rfind("/") + 1 :] in NAME_MAPS
            children = [
                (join_pointer(pointer, k), v)
                for k, v in node.items()
                if isinstance(v, dict | list) and (names or not is_literal(pointer, k, v))
            ]
        elif isinstance(node, list):
            children = [(f"{pointer}/{i}", v) for i, v in enumerate(node)]
        else:
            continue
        stack.extend(reversed(children))


def ref_holders(document: Any, base: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every dict with a string `$ref`, with its pointer, in document order."""
    for pointer, node in structure_nodes(document, base):
        if isinstance(node.get("$ref"), str):
            yield pointer, node


def local_target(ref: str) -> str | None:
    """The pointer a local ref (`#/...`) designates, or None for any other ref."""
    return unquote(ref[1:]) if ref.startswith("#") else None


def _unfolding_edges(nodes: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, list[str]]:
    """For each node, the nodes it cannot be understood without: the target of its local
    `$ref` (siblings or not: 3.1 reads them as an allOf) and each member of its `allOf`."""
    edges: dict[str, list[str]] = {}
    for pointer, node in nodes:
        if pointer[pointer.rfind("/") + 1 :] in NAME_MAPS:  # keys are names, not keywords
            continue
        found: list[str] = []
        ref = node.get("$ref")
        target = local_target(ref) if isinstance(ref, str) else None
        if target is not None:
            found.append(target)
        members = node.get("allOf")
        if isinstance(members, list):
            found.extend(
                join_pointer(join_pointer(pointer, "allOf"), i)
                for i, member in enumerate(members)
                if isinstance(member, dict)
            )
        if found:
            edges[pointer] = found
    return edges


def alias_cycles(
    document: Any, nodes: Iterable[tuple[str, dict[str, Any]]] | None = None
) -> list[list[str]]:
    """Chains of nodes that loop back through `$ref`s and `allOf` members only: no node on
    the chain can be resolved without the next, so nothing ever gives a definition.

    Recursion through properties, items, anyOf and the like is fine: an absent property, an
    empty array or another branch ends it. `nodes`: the document's `structure_nodes`, when
    the caller has them already.
    """
    edges = _unfolding_edges(structure_nodes(document) if nodes is None else nodes)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if start in state:
            continue
        state[start] = 1
        path = [start]
        stack = [iter(edges[start])]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                cycles.append(path[path.index(target) :])
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(edges.get(target, ())))
    return cycles


def retarget_refs(document: Any, renames: Mapping[str, str]) -> None:
    """Rewrite, in place, every `$ref` whose value is a key of `renames`."""
    for _pointer, node in ref_holders(document):
        new = renames.get(node["$ref"])
        if new is not None:
            node["$ref"] = new
