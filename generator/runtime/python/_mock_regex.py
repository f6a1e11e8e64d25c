"""Strings that match a regular expression, for mock values of `pattern` schemas.

Walks the tree of Python's own regex parser (`re._parser`, Python 3.11+), so that what
is generated is read exactly as `re.search` reads it. Lookarounds are skipped and
backreferences repeat what their group produced: callers verify with `re.search`.
"""

from __future__ import annotations

import importlib
import random
import string
from collections.abc import Callable
from typing import Any

# Private, so typeshed has no stubs for it; its shape is checked by the tests.
_parser: Any = importlib.import_module("re._parser")

# What `.` and negated classes pick from: printable ASCII, no newline (`.` excludes it).
_ASCII = string.ascii_letters + string.digits + string.punctuation + " "
_PLAIN = string.ascii_lowercase + string.digits
_CATEGORIES: dict[str, Callable[[str], bool]] = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
}


def _in_category(ch: str, name: str) -> bool:
    negated = name.startswith("CATEGORY_NOT_")
    test = _CATEGORIES.get(name.replace("NOT_", ""))
    return test is not None and bool(test(ch)) != negated


def _in_class(ch: str, items: list[tuple[Any, Any]]) -> bool:
    negate = hit = False
    for op, arg in items:
        kind = str(op)
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            hit = hit or ord(ch) == arg
        elif kind == "RANGE":
            hit = hit or arg[0] <= ord(ch) <= arg[1]
        elif kind == "CATEGORY":
            hit = hit or _in_category(ch, str(arg))
    return hit != negate


def _pick_class(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    # Candidates: ASCII plus the class's own characters, so non-ASCII ranges work too.
    extra = []
    for op, arg in items:
        if str(op) == "LITERAL":
            extra.append(chr(arg))
        elif str(op) == "RANGE":
            extra += [chr(arg[0]), chr(arg[1]), chr(rng.randint(arg[0], arg[1]))]
    pool = [ch for ch in dict.fromkeys(_ASCII + "".join(extra)) if _in_class(ch, items)]
    if not pool:
        raise ValueError("empty character class")
    # Letters and digits first: they survive in URLs, identifiers and the like.
    plain = [ch for ch in pool if ch in _PLAIN]
    return rng.choice(plain if plain and rng.random() < 0.8 else pool)


class _Walk:
    def __init__(self, rng: random.Random, spread: int) -> None:
        self.rng = rng
        self.spread = spread
        self.groups: dict[int, str] = {}

    def seq(self, items: Any) -> str:
        return "".join(self.one(op, arg) for op, arg in items)

    def one(self, op: Any, arg: Any) -> str:
        kind = str(op)
        rng = self.rng
        if kind == "LITERAL":
            return chr(arg)
        if kind == "NOT_LITERAL":
            return rng.choice([ch for ch in _PLAIN if ord(ch) != arg])
        if kind == "ANY":
            return rng.choice(_PLAIN)
        if kind == "IN":
            return _pick_class(arg, rng)
        if kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, item = arg
            count = rng.randint(low, max(low, min(high, low + self.spread)))
            return "".join(self.seq(item) for _ in range(count))
        if kind == "SUBPATTERN":
            group, _add, _del, item = arg
            text = self.seq(item)
            if group is not None:
                self.groups[group] = text
            return text
        if kind == "BRANCH":
            return self.seq(rng.choice(arg[1]))
        if kind == "ATOMIC_GROUP":
            return self.seq(arg)
        if kind == "GROUPREF":
            return self.groups.get(arg, "")
        if kind == "GROUPREF_EXISTS":
            group, yes, no = arg
            chosen = yes if group in self.groups else no
            return self.seq(chosen) if chosen is not None else ""
        # AT (anchors), ASSERT, ASSERT_NOT: nothing to emit.
        return ""


def generate(pattern: str, rng: random.Random, spread: int = 2) -> str:
    """A string meant to match `pattern` (verify with `re.search`). Repeats take between
    their minimum and minimum + `spread` items: small spreads give short strings."""
    return _Walk(rng, spread).seq(_parser.parse(pattern))
