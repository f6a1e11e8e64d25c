"""Iterative helpers over JSON-like trees.

Specs can nest thousands of levels deep, so nothing here recurses in Python: every walk keeps
an explicit stack.
"""

from __future__ import annotations

from typing import Any


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
