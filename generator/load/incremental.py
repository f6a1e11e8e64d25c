"""Parsing a large spec file again after an edit: only the entry the edit is in.

The parse of a file of `MIN_SIZE` or more is kept in the `parse/` memo (one entry per file
and line offset: its text, data, positions and outline, marshalled). The next parse of it:
- the same text: the kept parse, read in a few milliseconds instead of parsed;
- otherwise the lines the edit changed are found (the lines both texts start and end with
  are not). When they lie inside one entry of an outlined block mapping (a top-level key, a
  path item, a component: `yaml_loader.Outline`), that entry's lines alone are parsed,
  with their line numbers, and replace the old entry; positions and outline past it move
  by the lines the edit added or removed;
- anything else (an edit across entries, a key changed or added, an anchor, a directive,
  an entry that does not parse alone) is a full parse, as is every parse that fails: errors
  always come from a full parse.
Either way the result is what a full parse of the text gives (tests/unit/load/
test_incremental.py compares them over random edits).
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.cache.memo import Memo, memo_key
from generator.diagnostics import SpecError
from generator.load.positions import CHILDREN, POSITIONS, Position, Positions, Record
from generator.load.yaml_loader import Outline, Parsed, parse_outlined

# Smaller files parse in a few milliseconds: an entry would cost about as much as it saves.
MIN_SIZE = 64 * 1024
# Outlined block mappings: the root (0), its keys' values (1: /paths) and theirs (2:
# /components/schemas), so that an edit parses again a top-level key, a path item or a
# component.
OUTLINE_DEPTH = 2


@cache
def _salt() -> str:
    """What a kept parse depends on besides the text: the loader's code, PyYAML's version,
    and Python's (marshal's format is Python's)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("incremental.py", "positions.py", "scalars.py", "yaml_errors.py"):
        digest.update((here / name).read_bytes())
    digest.update((here / "yaml_loader.py").read_bytes())
    digest.update(f"{yaml.__version__} {sys.version} {marshal.version}".encode())
    return digest.hexdigest()


@dataclass
class _Kept:
    """A parse as the memo keeps it (its containers are changed in place by `_reparse`)."""

    text: str
    data: dict[str, Any]
    root: Position | None
    record: Record | None
    outline: Outline | None
    nodes: int

    @property
    def parsed(self) -> Parsed:
        return Parsed(self.data, Positions(self.root, self.record), self.outline, self.nodes)


def parse_file(
    text: str,
    display: str,
    path: Path,
    *,
    line_offset: int,
    max_nodes: int,
    memo: Memo | None,
) -> Parsed:
    """`yaml_loader.parse_outlined(text, ...)`, from the kept parse of `path` where it can.
    Raises SpecError as a full parse does."""
    if memo is None or len(text) < MIN_SIZE:
        return parse_outlined(text, display, line_offset=line_offset, max_nodes=max_nodes)
    key = memo_key("parse", _salt(), str(path), line_offset, max_nodes)
    kept = _read(memo, key)
    if kept is not None and kept.text == text:
        return kept.parsed
    found = _reparse(kept, text, line_offset, max_nodes) if kept is not None else None
    if found is None:
        parsed = parse_outlined(
            text, display, line_offset=line_offset, max_nodes=max_nodes, outline_depth=OUTLINE_DEPTH
        )
        found = _Kept(
            text,
            parsed.data,
            parsed.positions.root,
            parsed.positions.record,
            parsed.outline,
            parsed.nodes,
        )
    entry = (found.text, found.data, found.root, found.record, found.outline, found.nodes)
    memo.put_blob(key, marshal.dumps(entry))  # before anyone else holds the data
    return found.parsed


def _read(memo: Memo, key: str) -> _Kept | None:
    payload = memo.get_blob(key)
    if payload is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # a tree of plain containers, no cycles: nothing for the collector to find
    try:
        entry = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        entry = None
    finally:
        if collecting:
            gc.enable()
    if (
        not isinstance(entry, tuple)
        or len(entry) != 6
        or not isinstance(entry[0], str)
        or not isinstance(entry[1], dict)
        or not isinstance(entry[5], int)
    ):
        memo.warn(f"ignored the cache entry {memo.folder / key}.bin (unreadable): regenerating")
        return None
    return _Kept(*entry)


def _reparse(kept: _Kept, text: str, line_offset: int, max_nodes: int) -> _Kept | None:
    """`kept` made the parse of `text` by parsing again the entry the edit is in (the
    deepest that reads alone as itself: a key added to an operation parses its path item
    again); None when no entry holds the edit or none reads the same alone."""
    if kept.outline is None or kept.record is None:
        return None
    before = kept.text
    new = text.split("\n")
    old_count = before.count("\n") + 1
    # The lines both texts start with, and those they end with (after those).
    head = _common(before, text)
    start = before.count("\n", 0, head)  # the first line that changed
    tail = _common(before[::-1], text[::-1])
    tail = min(before.count("\n", len(before) - tail), min(old_count, len(new)) - start)
    delta = len(new) - old_count
    for unit in _units(kept.outline, start, old_count - tail)[:_TRIES]:
        found = _part(kept, new, unit, delta, line_offset, max_nodes)
        if found is not None:
            parent_keys, key, first, end = unit
            parent, parent_record, part = found
            record = part.positions.record
            assert record is not None and kept.record is not None
            if delta:
                _shift(kept.record, end + 1 + line_offset, delta)
            nodes = kept.nodes - _count(parent[key]) + part.nodes - 1  # its root: the parent
            parent[key] = part.data[key]
            below = record[CHILDREN].get(key)
            if below is None:
                parent_record[CHILDREN].pop(key, None)
            else:
                parent_record[CHILDREN][key] = below
            outline = _moved(kept.outline, (*parent_keys, key), end, delta)
            for keys, (entries, last) in (part.outline or {}).items():
                if keys:  # the part's root is the parent, outlined already
                    moved = tuple((k, line + first) for k, line in entries)
                    outline[(*parent_keys, *keys)] = (moved, last + first)
            return _Kept(text, kept.data, kept.root, kept.record, outline, nodes)
    return None


# Entries tried, deepest first: an operation, its path item, then `paths` (most of a file).
_TRIES = 3
_Unit = tuple[tuple[str, ...], str, int, int]  # its mapping's keys, its key, its lines


def _part(
    kept: _Kept, new: list[str], unit: _Unit, delta: int, line_offset: int, max_nodes: int
) -> tuple[Any, Record, Parsed] | None:
    """The entry `unit` of `kept` parsed again from the lines of `new`, with its mapping in
    `kept` and that mapping's record; None when it does not read alone as one entry with
    the same key at the same place."""
    parent_keys, key, first, end = unit
    chunk_end = end + delta
    lines = new[first:chunk_end]
    if any(line.startswith(("---", "...")) for line in lines):
        return None  # a document marker: alone, the part would end where the file does not
    chunk = "\n".join(lines) + ("\n" if chunk_end < len(new) else "")
    depth = len(parent_keys)
    try:
        part = parse_outlined(
            chunk,
            "",
            line_offset=line_offset + first,
            max_nodes=max_nodes,
            base_depth=depth,
            outline_depth=OUTLINE_DEPTH - depth,
        )
    except SpecError:
        return None
    record = part.positions.record
    parent: Any = kept.data
    parent_record = kept.record
    assert parent_record is not None
    for token in parent_keys:
        parent = parent[token]
        parent_record = parent_record[CHILDREN][token]
    if (
        part.outline is None
        or () not in part.outline
        or list(part.data) != [key]
        or record is None
        or record[POSITIONS].get(key) != parent_record[POSITIONS].get(key)  # type: ignore[union-attr]
        or kept.nodes - _count(parent[key]) + part.nodes - 1 > max_nodes
    ):
        return None
    return parent, parent_record, part


def _common(a: str, b: str) -> int:
    """The length of the longest common prefix of `a` and `b`: compared a block at a time
    (a C comparison each), then one character at a time in the first block that differs."""
    size = min(len(a), len(b))
    at, block = 0, 4096
    while at < size and a[at : at + block] == b[at : at + block]:
        at += block
    while at < size and a[at] == b[at]:
        at += 1
    return min(at, size)


def _units(outline: Outline, start: int, stop: int) -> list[_Unit]:
    """The entries whose lines [first, end) hold the changed lines [start, stop), deepest
    first (an insertion between two entries is in both)."""
    found = []
    for keys, (entries, last) in outline.items():
        for index, (key, first) in enumerate(entries):
            end = entries[index + 1][1] if index + 1 < len(entries) else last
            if first <= start and stop <= end and first < end:
                found.append((keys, key, first, end))
    found.sort(key=lambda unit: -len(unit[0]))
    return found


def _count(value: Any) -> int:
    """Nodes as the parser counts them: each value and container (keys are not)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _shift(record: Record, line: int, delta: int) -> None:
    """Every position on `line` (1-based) or after moved by `delta` lines."""
    stack = [record]
    while stack:
        positions, children = stack.pop()
        if isinstance(positions, dict):
            for key, (at, column) in positions.items():
                if at >= line:
                    positions[key] = (at + delta, column)
        else:
            for index, (at, column) in enumerate(positions):
                if at >= line:
                    positions[index] = (at + delta, column)
        stack.extend(children.values())


def _moved(outline: Outline, replaced: tuple[str, ...], end: int, delta: int) -> Outline:
    """`outline` without the mappings inside `replaced`, lines from `end` on moved."""
    size = len(replaced)
    moved: Outline = {}
    for keys, (entries, last) in outline.items():
        if keys[:size] == replaced:
            continue
        lines = tuple((k, line + delta if line >= end else line) for k, line in entries)
        moved[keys] = (lines, last + delta if last >= end else last)
    return moved
