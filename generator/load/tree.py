"""Iterative helpers over JSON-like trees.

Specs can nest thousands of levels deep, so nothing here recurses in Python: every walk keeps
an explicit stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generator.load.spec import escape_pointer_token, unescape_pointer_token


class PointerError(LookupError):
    """A JSON pointer that is malformed or does not lead to a node."""


def deep_copy(value: Any) -> Any:
    """A copy of dicts and lists (scalars are immutable and shared)."""
    if not isinstance(value, dict | list):
        return value
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        src, dst = stack.pop()
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for key, child in items:
            if isinstance(child, dict | list):
                child_copy: Any = {} if isinstance(child, dict) else []
                stack.append((child, child_copy))
            else:
                child_copy = child
            if isinstance(dst, dict):
                dst[key] = child_copy
            else:
                dst.append(child_copy)
    return root


def deep_equal(a: Any, b: Any) -> bool:
    """Structural equality that tells 1 from 1.0 and True from 1, as JSON does."""
    stack: list[tuple[Any, Any]] = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            stack.extend((v, y[k]) for k, v in x.items())
        elif isinstance(x, list):
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif x != y:
            return False
    return True


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"JSON pointer {pointer!r} must start with '/'")
    return [unescape_pointer_token(t) for t in pointer[1:].split("/")]


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The node at `pointer`, or PointerError naming the first token that does not exist."""
    node = document
    reached = ""
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise PointerError(f"{reached or 'the document root'} has no {token!r}")
        reached = child_pointer(reached, token)
    return node


def child_pointer(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_pointer_token(str(token))}"


def walk(document: Any, base: str = "") -> Iterator[tuple[str, Any]]:
    """Every node with its pointer, parents before children, in document order."""
    stack: list[tuple[str, Any]] = [(base, document)]
    while stack:
        pointer, node = stack.pop()
        yield pointer, node
        if isinstance(node, dict):
            items = list(node.items())
        elif isinstance(node, list):
            items = list(enumerate(node))
        else:
            continue
        stack.extend((child_pointer(pointer, k), v) for k, v in reversed(items))
