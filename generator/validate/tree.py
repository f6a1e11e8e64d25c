"""JSON-tree helpers for the validate stage (pointers and `$ref`s are `generator.pointers`,
copies `generator.load.tree.deep_copy`).

Everything here is iterative: documents may nest thousands of levels and must never hit
Python's recursion limit.
"""

from __future__ import annotations

from typing import Any

from generator.pointers import join_pointer


def short_repr(value: Any, limit: int = 80) -> str:
    """repr() clipped to `limit` characters; safe on values too deep to repr."""
    try:
        text = repr(value)
    except RecursionError:
        return "<deeply nested value>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


# Where a walk is, as (the parent's link, the token): whole-document walks spell a pointer
# only for what they report, instead of one per node.
Link = tuple["Link", str | int] | None


def link_pointer(link: Link) -> str:
    """The JSON pointer of `link` (None is the root)."""
    tokens: list[str | int] = []
    while link is not None:
        link, token = link
        tokens.append(token)
    return join_pointer("", *reversed(tokens))


def too_deep(value: Any, limit: int) -> str | None:
    """The pointer of the first container nested more than `limit` levels deep, if any."""
    stack: list[tuple[Link, Any, int]] = [(None, value, 0)]
    while stack:
        link, node, depth = stack.pop()
        if depth > limit:
            return link_pointer(link)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, sub in items:
            if isinstance(sub, (dict, list)):
                stack.append(((link, key), sub, depth + 1))
    return None
