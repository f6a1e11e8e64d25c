"""Where each node of a parsed file starts: a tree beside the data, read as a pointer mapping.

The loader used to build a JSON pointer string for every node of every file (a 750 KB spec
has 100,000 of them) when only the few nodes a diagnostic names are ever looked up. It now
records each container's child positions in a `Record` as it parses, and `Positions` turns
a pointer into a walk down those records when asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from generator.pointers import join_pointer, unescape_pointer_token

Position = tuple[int, int]


# The positions of one mapping's keys (by key) or sequence's items (by index), and the
# records of the children that are containers, by key or index. A node with no record of its
# own (an alias, a merged-in key) has no positions below it: lookups stop at it. Plain
# containers, not a class: a parse is kept across runs with `marshal` (load/incremental.py).
Record = tuple[dict[str, Position] | list[Position], dict[str | int, "Record"]]
POSITIONS: Final = 0
CHILDREN: Final = 1


def new_record(positions: dict[str, Position] | list[Position]) -> Record:
    return (positions, {})


class Positions(Mapping[str, Position]):
    """Pointer ("" for the root, "/paths/~1pets/get") -> 1-based (line, column): of the key
    for a mapping's value, of the item for a sequence's."""

    __slots__ = ("_flat", "_record", "_root")

    def __init__(self, root: Position | None, record: Record | None) -> None:
        self._root = root
        self._record = record
        self._flat: dict[str, Position] | None = None

    @property
    def root(self) -> Position | None:
        return self._root

    @property
    def record(self) -> Record | None:
        return self._record

    def get(self, pointer: str, default: Position | None = None) -> Position | None:  # type: ignore[override]
        if not pointer:
            return default if self._root is None else self._root
        record = self._record
        if pointer[0] != "/" or record is None:
            return default
        tokens = pointer[1:].split("/")
        for token in tokens[:-1]:
            key = _key(record, token)
            child = None if key is None else record[CHILDREN].get(key)
            if child is None:
                return default
            record = child
        key = _key(record, tokens[-1])
        positions = record[POSITIONS]
        if isinstance(positions, list):
            return default if key is None else positions[key]  # type: ignore[index]
        found = None if key is None else positions.get(key)  # type: ignore[arg-type]
        return default if found is None else found

    def __getitem__(self, pointer: str) -> Position:
        found = self.get(pointer)
        if found is None:
            raise KeyError(pointer)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._flatten())

    def __len__(self) -> int:
        return len(self._flatten())

    def __repr__(self) -> str:
        return repr(self._flatten())

    def _flatten(self) -> dict[str, Position]:
        """Every pointer with its position, in document order (as the parser met them)."""
        if self._flat is None:
            flat: dict[str, Position] = {}
            if self._root is not None:
                flat[""] = self._root
            stack: list[tuple[str, Record, Iterator[tuple[str | int, Position]]]] = []
            if self._record is not None:
                stack.append(("", self._record, _entries(self._record)))
            while stack:
                pointer, record, entries = stack[-1]
                entry = next(entries, None)
                if entry is None:
                    stack.pop()
                    continue
                token, position = entry
                below = join_pointer(pointer, token)
                flat[below] = position
                child = record[CHILDREN].get(token)
                if child is not None:
                    stack.append((below, child, _entries(child)))
            self._flat = flat
        return self._flat


def _entries(record: Record) -> Iterator[tuple[str | int, Position]]:
    positions = record[POSITIONS]
    if isinstance(positions, dict):
        return iter(positions.items())
    return enumerate(positions)


def _key(record: Record, token: str) -> str | int | None:
    positions = record[POSITIONS]
    return pointer_key(token, None if isinstance(positions, dict) else len(positions))


def pointer_key(token: str, items: int | None) -> str | int | None:
    """`token` as a container indexes its children: a mapping's key (`items` None), or an
    index below `items` written as join_pointer writes one (no sign, no leading zero)."""
    if items is None:
        return unescape_pointer_token(token) if "~" in token else token
    if not token.isdecimal() or (token[0] == "0" and token != "0") or not token.isascii():
        return None
    index = int(token)
    return index if index < items else None
