"""JSON pointers (RFC 6901) and local `$ref`s: the one module every stage reads documents with.

A pointer is a string: "" is the root, "/paths/~1pets/get" a node below it. A local reference
is "#" followed by a pointer. Lookups that find nothing return `MISSING` (None is a legal JSON
value); `resolve_pointer` raises `PointerError` instead, naming the first token that is not
there. A `$ref` chain is followed at most `MAX_REF_HOPS` times: a longer one is a cycle of
references to references (the load stage reports those). Nothing here recurses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import unquote

MISSING: Final = object()
"""What lookups return when there is no node (None is a legal JSON value)."""

MAX_REF_HOPS: Final = 32
SCHEMAS_PREFIX: Final = "#/components/schemas/"


class PointerError(LookupError):
    """A JSON pointer that is malformed or does not lead to a node."""


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(base: str, *tokens: str | int) -> str:
    """`base` extended by `tokens` (escaped): join_pointer("/paths", "/pets") == "/paths/~1pets"."""
    # Every stage calls this per node: a plain loop, and no replace for the usual token.
    for token in tokens:
        text = token if type(token) is str else str(token)
        if "~" in text or "/" in text:
            text = text.replace("~", "~0").replace("/", "~1")
        base = f"{base}/{text}"
    return base


def split_pointer(pointer: str) -> list[str]:
    """The unescaped tokens of `pointer` ([] for the root)."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"JSON pointer {pointer!r} must start with '/'")
    tokens = pointer[1:].split("/")
    return [unescape_pointer_token(t) for t in tokens] if "~" in pointer else tokens


def ref_pointer(ref: str) -> str | None:
    """The pointer a local reference designates ("#/a/b" -> "/a/b", "#" -> ""); None for a
    reference to another document."""
    if ref == "#" or ref.startswith("#/"):
        # A URI fragment: percent-encoded (RFC 6901 section 6), as the loader reads it too.
        pointer = ref[1:]
        return unquote(pointer) if "%" in pointer else pointer
    return None


def ref_tokens(ref: str) -> list[str] | None:
    """The tokens of a local reference; None for a reference to another document."""
    pointer = ref_pointer(ref)
    return None if pointer is None else split_pointer(pointer)


def component_schema(ref: str) -> str | None:
    """The key of a `#/components/schemas/<key>` reference (one token, unescaped), else None."""
    if not ref.startswith(SCHEMAS_PREFIX):
        return None
    tail = ref[len(SCHEMAS_PREFIX) :]
    tail = unquote(tail) if "%" in tail else tail
    return None if "/" in tail else unescape_pointer_token(tail)


def child(node: Any, token: str | int) -> Any:
    """`node[token]`, reading dict keys as strings and list indexes as ints; MISSING if absent."""
    if isinstance(node, Mapping):
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


def lookup(document: Any, tokens: Iterable[str | int]) -> Any:
    """The node `tokens` lead to from `document`, or MISSING."""
    node = document
    for token in tokens:
        node = child(node, token)
        if node is MISSING:
            break
    return node


def lookup_pointer(document: Any, pointer: str) -> Any:
    """The node at `pointer`, or MISSING (also for a malformed pointer)."""
    try:
        return lookup(document, split_pointer(pointer))
    except PointerError:
        return MISSING


def resolve_pointer(document: Any, pointer: str) -> Any:
    """The node at `pointer`, or PointerError naming the first token that does not exist."""
    node = document
    tokens = split_pointer(pointer)
    for index, token in enumerate(tokens):
        found = child(node, token) if isinstance(node, Mapping) or token.isdigit() else MISSING
        if found is MISSING:
            reached = join_pointer("", *tokens[:index])
            raise PointerError(f"{reached or 'the document root'} has no {token!r}")
        node = found
    return node


def resolve_ref(document: Any, ref: str) -> Any:
    """The node a local reference points at; MISSING when it is not local or leads nowhere."""
    pointer = ref_pointer(ref)
    return MISSING if pointer is None else lookup_pointer(document, pointer)


def deref(document: Any, node: Any, pointer: str = "") -> tuple[Any, str]:
    """Follow `$ref` chains from `node` (at `pointer`) to a concrete node and its pointer.

    A reference that is not local or leads nowhere, or a chain longer than MAX_REF_HOPS,
    gives (MISSING, the pointer of the last reference's target).
    """
    for _ in range(MAX_REF_HOPS):
        ref = node.get("$ref") if isinstance(node, Mapping) else None
        if not isinstance(ref, str):
            return node, pointer
        target = ref_pointer(ref)
        if target is None:
            return MISSING, pointer
        node, pointer = lookup_pointer(document, target), target
        if node is MISSING:
            return MISSING, pointer
    return MISSING, pointer


def closest_pointer(document: Any, pointer: str) -> str | None:
    """A pointer that exists in `document` and is closest to `pointer`, which does not: each
    token that is missing is replaced by the most similar key at that place (for "did you
    mean" hints). None when no token is close to an existing key."""
    node, reached, changed = document, "", False
    for token in split_pointer(pointer):
        found = child(node, token)
        if found is MISSING:
            keys = [k for k in node if isinstance(k, str)] if isinstance(node, Mapping) else []
            close = difflib.get_close_matches(token, keys, n=1, cutoff=0.6)
            if not close:
                return None
            token, found, changed = close[0], node[close[0]], True
        node, reached = found, join_pointer(reached, token)
    return reached if changed else None
