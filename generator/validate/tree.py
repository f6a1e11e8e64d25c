"""JSON-tree helpers for the validate stage: pointer lookup, `$ref` following (copies are
`generator.load.tree.deep_copy`).

Everything here is iterative: documents may nest thousands of levels and must never hit
Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

from generator.load.spec import join_pointer, unescape_pointer_token

MISSING: Final = object()
"""Returned by lookups that find nothing (None is a legal JSON value)."""

# Following a $ref chain further than this means a cycle of references to references.
_MAX_REF_HOPS = 32


def child(node: Any, token: str | int) -> Any:
    """`node[token]`, reading dict keys as strings and list indexes as ints; MISSING if absent."""
    if isinstance(node, dict):
        if token in node:
            return node[token]
        return node.get(str(token), MISSING)
    if isinstance(node, list):
        try:
            index = int(token)
        except ValueError:
            return MISSING
        return node[index] if 0 <= index < len(node) else MISSING
    return MISSING


def resolve(node: Any, tokens: Iterable[str | int]) -> Any:
    for token in tokens:
        node = child(node, token)
        if node is MISSING:
            break
    return node


def pointer_of(tokens: Iterable[str | int]) -> str:
    return join_pointer("", *tokens)


def ref_tokens(ref: str) -> list[str] | None:
    """Tokens of a local `#/...` reference, or None when the reference is not local."""
    if ref == "#":
        return []
    if not ref.startswith("#/"):
        return None
    return [unescape_pointer_token(t) for t in ref[2:].split("/")]


def deref(document: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref` chains from `node`; MISSING when a reference cannot be resolved."""
    for _ in range(_MAX_REF_HOPS):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        tokens = ref_tokens(node["$ref"])
        if tokens is None:
            return MISSING
        node = resolve(document, tokens)
    return MISSING


def walk(value: Any, skip_keys: frozenset[str] = frozenset()) -> Iterator[tuple[str, Any]]:
    """Every container in document order as (pointer, node), not entering keys in skip_keys."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        pointer, node = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        yield pointer, node
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for key, sub in reversed(items):
            if isinstance(sub, (dict, list)) and not (isinstance(key, str) and key in skip_keys):
                stack.append((join_pointer(pointer, key), sub))


def short_repr(value: Any, limit: int = 80) -> str:
    """repr() clipped to `limit` characters; safe on values too deep to repr."""
    try:
        text = repr(value)
    except RecursionError:
        return "<deeply nested value>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def too_deep(value: Any, limit: int) -> str | None:
    """The pointer of the first container nested more than `limit` levels deep, if any."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        pointer, node, depth = stack.pop()
        if depth > limit:
            return pointer
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, sub in items:
            if isinstance(sub, (dict, list)):
                stack.append((join_pointer(pointer, key), sub, depth + 1))
    return None
