"""Identifier types for TypeScript: the only way a spec name reaches an identifier position.

`TsName` (PascalCase: types, interfaces, classes) and `TsMember` (camelCase: methods and
properties of the generated client) are `Code`, so the template environment prints them as
they are. Both are ASCII-only and never a reserved word; uniqueness within a scope is the
caller's job (`Scope`).
"""

from __future__ import annotations

import re

from generator.ir.names import pascal_case, snake_case
from generator.render.code import Code

_PASCAL = re.compile(r"[A-Z][A-Za-z0-9]*")

# ECMAScript reserved words, strict-mode and TypeScript contextual words, and names with a
# meaning in a class body or in every scope. A member named like one gets a `_` suffix.
TS_RESERVED = frozenset(
    """
    break case catch class const continue debugger default delete do else enum export extends
    false finally for function if import in instanceof new null return super switch this throw
    true try typeof var void while with implements interface let package private protected
    public static yield await async any boolean number string symbol bigint object never unknown
    undefined type declare namespace module readonly keyof infer is as satisfies abstract
    constructor prototype arguments eval NaN Infinity globalThis
    """.split()
)


class TsName(Code):
    """PascalCase identifier for a type, interface or class. PascalCase names (the IR's type
    names) are kept exactly, so TypeScript and Python models share their names."""

    __slots__ = ()

    def __new__(cls, raw: str) -> TsName:
        name = raw if _PASCAL.fullmatch(raw) else pascal_case(raw)
        if name in TS_RESERVED:
            name = f"{name}Model"
        return super().__new__(cls, name)


class TsMember(Code):
    """camelCase identifier for a method, property or option (from any text)."""

    __slots__ = ()

    def __new__(cls, raw: str, *, fallback: str = "value") -> TsMember:
        words = [w for w in snake_case(raw, fallback).split("_") if w]
        name = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:]) if words else fallback
        if name in TS_RESERVED:
            name = f"{name}_"
        return super().__new__(cls, name)


class Scope:
    """Names already used in one scope; `claim` suffixes a number until a name is free."""

    def __init__(self, taken: frozenset[str] = frozenset()) -> None:
        self._taken: set[str] = set(taken)

    def claim_member(self, raw: str, *, fallback: str = "value") -> TsMember:
        base = TsMember(raw, fallback=fallback)
        name, n = base, 2
        while name in self._taken:
            name = TsMember(f"{base}{n}")
            n += 1
        self._taken.add(name)
        return name

    def claim_suffixed(self, prefix: str, suffix: str) -> TsName:
        """`<prefix><suffix>`, numbering the prefix when taken (`ApiKeys2Client`), so that
        the name keeps its suffix."""
        base = TsName(prefix)
        name, n = TsName(f"{base}{suffix}"), 2
        while name in self._taken:
            name = TsName(f"{base}{n}{suffix}")
            n += 1
        self._taken.add(name)
        return name

    def claim_name(self, raw: str) -> TsName:
        base = TsName(raw)
        name, n = base, 2
        while name in self._taken:
            name = TsName(f"{base}{n}")
            n += 1
        self._taken.add(name)
        return name
