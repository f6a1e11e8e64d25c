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
    mapping: dict[Any, Any]
    items: list[Any]
    push, pop = stack.append, stack.pop
    # Hot (every stage copies whole documents): one branch per container kind, no per-child
    # test of the destination's kind.
    while stack:
        src, dst = pop()
        if isinstance(src, dict):
            for key, child in src.items():
                if isinstance(child, dict):
                    dst[key] = mapping = {}
                    push((child, mapping))
                elif isinstance(child, list):
                    dst[key] = items = []
                    push((child, items))
                else:
                    dst[key] = child
        else:
            append = dst.append
            for child in src:
                if isinstance(child, dict):
                    append(mapping := {})
                    push((child, mapping))
                elif isinstance(child, list):
                    append(items := [])
                    push((child, items))
                else:
                    append(child)
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
