"""Reference Objects with sibling keys: `{$ref: ..., required: true}` as authors mean it.

In a parameter, response, header, request body, example, link or callback position, OpenAPI
3.1 lets a Reference Object carry only `summary` and `description` (they override the
target's), and 3.0 none at all; split specs written for Redocly or swagger-cli put other keys
there too (`required: true` next to a shared parameter). Bundlers merge them into a copy of the
target, and so does specgen: the object becomes the target with the siblings on top, with a
warning (SG204) where OpenAPI would not allow the key. Schemas are left alone: next to a
`$ref`, their keywords are JSON Schema's own business.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from generator.load.placement import holder_section
from generator.load.refscan import structure_nodes
from generator.load.tree import deep_copy
from generator.pointers import deref, join_pointer, lookup_pointer, split_pointer

_ALLOWED: Final = frozenset({"summary", "description"})


def merge_siblings(
    document: dict[str, Any], nodes: Iterable[tuple[str, dict[str, Any]]] | None = None
) -> list[tuple[str, list[str]]]:
    """Merge every non-schema Reference Object that has siblings into a copy of its target;
    (pointer, the keys OpenAPI does not allow there) for each that had such keys. `nodes`:
    the document's `structure_nodes`, when the caller has them already."""
    found: list[tuple[str, list[str]]] = []
    targets = []
    for pointer, node in structure_nodes(document) if nodes is None else nodes:
        ref = node.get("$ref")
        if not isinstance(ref, str) or len(node) == 1 or not ref.startswith("#"):
            continue
        if holder_section(pointer) == "schemas" or not pointer:
            continue
        targets.append((pointer, node))
    for pointer, node in targets:
        target, _ = deref(document, node, pointer)
        if not isinstance(target, dict):
            continue  # an unresolvable $ref: the lint pass reports it
        merged = deep_copy(target)
        merged.update({k: deep_copy(v) for k, v in node.items() if k != "$ref"})
        tokens = split_pointer(pointer)
        parent = lookup_pointer(document, join_pointer("", *tokens[:-1]))
        key: Any = int(tokens[-1]) if isinstance(parent, list) else tokens[-1]
        parent[key] = merged
        extra = sorted(k for k in node if k != "$ref" and k not in _ALLOWED)
        if extra:
            found.append((pointer, extra))
    return found
