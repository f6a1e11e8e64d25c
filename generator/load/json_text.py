"""A spec file of plain JSON, read by the json module: several times faster than the YAML
parser, each of whose events is handled in Python (GitHub's 13 MB description: 0.2 s against
1.2 s, checks included).

The YAML parser records where every node starts as it goes. Here nothing is recorded: a
pointer is located when a diagnostic asks for it (`JsonPositions`), by reading each container
on its way once. Wherever the YAML reading could differ (odd line breaks, which it folds
inside strings; lone surrogates; duplicate keys; NaN; a root that is not an object; more
nodes than allowed; any syntax error), the text is left to the YAML parser, which reads it
as before: same data, positions and errors. The one difference is a gain: a surrogate pair
escape (`"\\ud83d\\ude00"`), which the YAML parser refuses, is read as the character it
encodes.
"""

from __future__ import annotations

import json
import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from generator.load.positions import Position, Positions, pointer_key
from generator.load.yaml_errors import (
    JSON_ONLY,
    MAX_DEPTH,
    Failure,
    check_characters,
    line_and_column,
)
from generator.load.yaml_loader import Parsed
from generator.pointers import join_pointer

__all__ = ["JsonPositions", "parse_json"]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Line breaks the YAML parser also ends lines at, and folds inside quoted strings; a CR
# alone (not before a LF) is one.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")
_LONE_CR = re.compile(r"\r(?!\n)")
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
# A high surrogate escape not followed by a low one, or a low one not after a high one.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class _Refused(ValueError):
    """Something the YAML reading takes otherwise: left to it."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Refused("a duplicate key")  # the YAML parser names each one (SG102)
    return found


def _constant(name: str) -> Any:
    raise _Refused(name)  # NaN, Infinity: no JSON


# A JSON string's text from after its opening quote: (the string, the offset past it).
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_READ = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant)
_SKIP = json.JSONDecoder()  # only its end offset is wanted: plain dicts are quickest


def parse_json(text: str, *, line_offset: int, max_nodes: int) -> Parsed | None:
    """The parse of `text` when it is a JSON object the YAML parser would read alike, with
    its positions found on demand; None when it is not (parse it as YAML). The node count
    is a bound (the separators before values), checked against `max_nodes`."""
    start = _skip(text, 0)
    if start == len(text) or text[start] != "{":
        return None
    if any(ch in text for ch in _ODD_BREAKS) or ("\r" in text and _LONE_CR.search(text)):
        return None
    nodes = 1 + text.count(",") + text.count(":") + text.count("[")
    # json's own nesting limit is the interpreter's recursion limit: at most MAX_DEPTH,
    # nothing nests deeper than the YAML parser allows.
    if nodes > max_nodes or sys.getrecursionlimit() > MAX_DEPTH:
        return None
    if _SURROGATE.search(text) and _LONE_SURROGATE.search(text):
        return None
    try:
        check_characters(text, line_offset, json=True)
        data = _READ.decode(text)
    except (Failure, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    odd = JSON_ONLY.search(text)  # only in strings: the decoder took the text
    json_only = None
    if odd is not None:
        line, column = line_and_column(text, odd.start())
        json_only = (line + line_offset, column, odd.group())
    return Parsed(data, JsonPositions(text, line_offset, start), None, nodes, json_only)


# A container's children: an object's by key, an array's by index; each with the offset of
# its position (an object member's key, an array item) and of its value.
_Children = dict[str, tuple[int, int]] | list[tuple[int, int]]


class JsonPositions(Positions):
    """`Positions` of a JSON text read by `parse_json`: where the YAML parser would place
    each node (a member at its key, an item where it starts, the root at its brace), found
    by reading the containers a pointer goes through, each once."""

    __slots__ = ("_containers", "_line_offset", "_lines", "_start", "_text")

    def __init__(self, text: str, line_offset: int, start: int) -> None:
        self._text = text
        self._line_offset = line_offset
        self._start = start
        self._lines: list[int] | None = None  # offset of each line's start
        self._containers: dict[int, _Children | None] = {}
        # The root's place without the table of lines, which only a lookup needs.
        line = text.count("\n", 0, start)
        root = (line + 1 + line_offset, start - (text.rfind("\n", 0, start) + 1) + 1)
        super().__init__(root, None)

    def get(self, pointer: str, default: Position | None = None) -> Position | None:  # type: ignore[override]
        if not pointer:
            return self._root
        if pointer[0] != "/":
            return default
        at = place = self._start
        for token in pointer[1:].split("/"):
            children = self._children(at)
            entry = None if children is None else _entry(children, token)
            if entry is None:
                return default
            place, at = entry
        return self._place(place)

    def _flatten(self) -> dict[str, Position]:
        """Every pointer with its position, in document order (`len`, iteration: rare)."""
        if self._flat is None:
            flat: dict[str, Position] = {} if self._root is None else {"": self._root}
            stack = [("", iter(_pairs(self._children(self._start))))]
            while stack:
                pointer, entries = stack[-1]
                entry = next(entries, None)
                if entry is None:
                    stack.pop()
                    continue
                token, (place, value) = entry
                below = join_pointer(pointer, token)
                flat[below] = self._place(place)
                children = self._children(value)
                if children is not None:
                    stack.append((below, iter(_pairs(children))))
            self._flat = flat
        return self._flat

    def _place(self, offset: int) -> Position:
        """The 1-based line and column of `offset`, lines ending at LF (as an editor
        counts them, and the YAML reading after it)."""
        if self._lines is None:
            starts = [0]
            starts.extend(m.end() for m in re.finditer("\n", self._text))
            self._lines = starts
        line = bisect_right(self._lines, offset)
        return line + self._line_offset, offset - self._lines[line - 1] + 1

    def _children(self, at: int) -> _Children | None:
        if at not in self._containers:
            self._containers[at] = _read_children(self._text, at)
        return self._containers[at]


def _pairs(children: _Children | None) -> list[tuple[str | int, tuple[int, int]]]:
    if children is None:
        return []
    if isinstance(children, dict):
        return list(children.items())
    return list(enumerate(children))


def _entry(children: _Children, token: str) -> tuple[int, int] | None:
    """A child by pointer token, as `Positions` reads one."""
    if isinstance(children, dict):
        return children.get(str(pointer_key(token, None)))
    index = pointer_key(token, len(children))
    return None if index is None else children[int(index)]


def _read_children(text: str, at: int) -> _Children | None:
    """The children of the value at `at` in `text` (JSON that `parse_json` read); None for
    a scalar."""
    opening = text[at]
    if opening == "{":
        members: dict[str, tuple[int, int]] = {}
        i = _skip(text, at + 1)
        while text[i] == '"':
            key, end = _scanstring(text, i + 1)
            value = _skip(text, _skip(text, end) + 1)  # past the colon
            members[key] = (i, value)
            i = _skip(text, _value_end(text, value))
            if text[i] == ",":
                i = _skip(text, i + 1)
        return members
    if opening == "[":
        items: list[tuple[int, int]] = []
        i = _skip(text, at + 1)
        while text[i] != "]":
            items.append((i, i))
            i = _skip(text, _value_end(text, i))
            if text[i] == ",":
                i = _skip(text, i + 1)
        return items
    return None


def _skip(text: str, at: int) -> int:
    """The offset of the first character from `at` on that is not JSON whitespace."""
    found = _WHITESPACE.match(text, at)
    assert found is not None  # the pattern matches the empty string
    return found.end()


def _value_end(text: str, at: int) -> int:
    end: int = _SKIP.raw_decode(text, at)[1]
    return end
