"""Parsing a large spec file again after an edit: only the entries the edit changed.

The parse of a file of `MIN_SIZE` or more is kept in the `parse/` memo (one entry per file
and line offset: its text, data, positions and the outline of its block mappings,
marshalled behind its digest). The next parse of that file:
- the same text: the kept parse, read back in a few milliseconds instead of parsed;
- otherwise the changes are found (`linediff.py`), and for each one the run of sibling entries it
  lies in, in the deepest outlined mapping that holds it (an operation, the operations of a
  path item, path items, components: `yaml_loader.Outline`), is parsed alone with its line
  numbers and put in place of the old run. Its keys may differ (an operation added, a
  schema renamed) but not clash with the keys beside it, and must start in the mapping's
  column; positions and outline after it move by the lines it gained or lost;
- anything else (an anchor or alias, a merge key, a directive, a document marker, a run that
  does not read alone or is most of the file) is a full parse, as is every parse that fails:
  errors always come from a full parse.
Either way the result is what a full parse of the text gives: tests/unit/load/
test_incremental.py compares the two (data in order, positions, outline, node count,
errors) over fixed and random edits.
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
from generator.load.linediff import Change, line_changes
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
    for name in (
        "incremental.py",
        "positions.py",
        "scalars.py",
        "yaml_errors.py",
        "yaml_loader.py",
    ):
        digest.update((here / name).read_bytes())
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
    """`kept` made the parse of `text` by parsing again the entries each change is in: the
    run of sibling entries of the deepest outlined mapping that holds it (an operation; the
    operations of a path item that a change spans; a path item added), if it reads alone
    as a mapping whose new keys clash with none beside it. None when a change is in no such
    run, or a run does not read alone, or the runs are most of the file (a full parse is as
    quick then)."""
    if kept.outline is None or kept.record is None:
        return None
    new = text.split("\n")
    old_count = kept.text.count("\n") + 1
    blocks = line_changes(kept.text, text, new)
    shift = 0  # lines the changes before the current one added: their runs are read in
    parsed = 0
    at = 0
    while at < len(blocks):
        for run, past in _covering(kept.outline, blocks, at, shift):
            parsed += run.end - run.first
            if parsed > _MOST * old_count:
                return None
            delta = sum(added for _, _, added in blocks[at:past])
            found = _part(kept, new, run, delta, line_offset, max_nodes)
            if found is not None:
                kept = _spliced(kept, text, run, delta, line_offset, *found)
                shift, at = shift + delta, past
                break
        else:
            return None
    return kept


# Runs tried for a change, deepest first: in an operation, a path item, then `paths`.
_TRIES = 3
_MOST = 0.6  # runs of more of the file's lines than this: a full parse


def _covering(
    outline: Outline | None, blocks: list[Change], at: int, shift: int
) -> list[tuple[_Run, int]]:
    """The runs that hold `blocks[at]` (lines moved by `shift`) and the changes after it
    that start inside them, with the index past the last they hold; deepest first."""
    if outline is None:
        return []
    first, end, _ = blocks[at]
    found = []
    for run in _runs(outline, first + shift, end + shift)[:_TRIES]:
        past = at + 1
        while past < len(blocks) and blocks[past][0] + shift < run.end:
            past += 1
        if blocks[past - 1][1] + shift <= run.end:
            found.append((run, past))
    return found


@dataclass(frozen=True)
class _Run:
    """Entries `keys[start:stop]` of the outlined mapping at `parent`, on lines
    [first, end) of the text before the edit."""

    parent: tuple[str, ...]
    keys: tuple[str, ...]  # all the mapping's keys, in order
    start: int
    stop: int
    first: int
    end: int

    @property
    def replaced(self) -> tuple[str, ...]:
        return self.keys[self.start : self.stop]


def _runs(outline: Outline, start: int, stop: int) -> list[_Run]:
    """For each outlined mapping whose entries hold the changed lines [start, stop), the
    shortest run of its entries that does, deepest mapping first."""
    found = []
    for parent, (entries, last) in outline.items():
        if not entries or not (entries[0][1] <= start and stop <= last):
            continue
        ends = [line for _, line in entries[1:]] + [last]
        first = max(i for i, (_, line) in enumerate(entries) if line <= start)
        final = next(i for i in range(first, len(entries)) if ends[i] >= stop)
        if ends[final] > entries[first][1]:
            keys = tuple(key for key, _ in entries)
            found.append(_Run(parent, keys, first, final + 1, entries[first][1], ends[final]))
    found.sort(key=lambda run: -len(run.parent))
    return found


def _part(
    kept: _Kept, new: list[str], run: _Run, delta: int, line_offset: int, max_nodes: int
) -> tuple[dict[str, Any], Record, Parsed, int] | None:
    """The entries of `run` parsed again from the lines of `new`, with their mapping in
    `kept`, its record and the nodes of the whole document then; None when they do not read
    alone as a block mapping, or a key they now have is also one of the mapping's other keys
    (a full parse reports it)."""
    chunk_end = run.end + delta
    lines = new[run.first : chunk_end]
    if any(line.startswith(("---", "...")) for line in lines):
        return None  # a document marker: alone, the part would end where the file does not
    chunk = "\n".join(lines) + ("\n" if chunk_end < len(new) else "")
    depth = len(run.parent)
    try:
        part = parse_outlined(
            chunk,
            "",
            line_offset=line_offset + run.first,
            max_nodes=max_nodes,
            base_depth=depth,
            outline_depth=OUTLINE_DEPTH - depth,
        )
    except SpecError:
        return None
    parent: Any = kept.data
    parent_record = kept.record
    assert parent_record is not None
    for token in run.parent:
        parent = parent[token]
        parent_record = parent_record[CHILDREN][token]
    others = set(run.keys[: run.start]) | set(run.keys[run.stop :])
    positions: dict[str, Position] = parent_record[POSITIONS]  # type: ignore[assignment]
    column = positions[run.keys[0]][1]  # where the mapping's keys start
    # The part's root is the mapping, counted already.
    nodes = kept.nodes - sum(_count(parent[k]) for k in run.replaced) + part.nodes - 1
    if (
        part.outline is None
        or () not in part.outline
        or part.positions.record is None
        or part.positions.root is None
        or part.positions.root[1] != column  # its keys where the mapping's are
        # Lines put before its first key: the mappings that ended there (at the next key, as
        # the parser marks an end) would end further down too. Rare: a full parse.
        or not part.outline[()][0]
        or part.outline[()][0][0][1] != 0
        or not part.data
        or not others.isdisjoint(part.data)
        or nodes > max_nodes
    ):
        return None
    return parent, parent_record, part, nodes


def _spliced(
    kept: _Kept,
    text: str,
    run: _Run,
    delta: int,
    line_offset: int,
    parent: dict[str, Any],
    parent_record: Record,
    part: Parsed,
    nodes: int,
) -> _Kept:
    """`kept` with the entries of `run` replaced by those of `part` (`nodes` in all)."""
    assert kept.record is not None and kept.outline is not None and part.outline is not None
    record = part.positions.record
    assert record is not None
    if delta:
        _shift(kept.record, run.end + 1 + line_offset, delta)
    before, after = run.keys[: run.start], run.keys[run.stop :]
    # The mapping's keys in order: those before the run, the run's now, those after it.
    values = {**{k: parent[k] for k in before}, **part.data, **{k: parent[k] for k in after}}
    positions: dict[str, Position] = parent_record[POSITIONS]  # type: ignore[assignment]
    new_positions: dict[str, Position] = record[POSITIONS]  # type: ignore[assignment]
    ordered = {
        **{k: positions[k] for k in before},
        **new_positions,
        **{k: positions[k] for k in after},
    }
    parent.clear()
    parent.update(values)
    positions.clear()
    positions.update(ordered)
    children = parent_record[CHILDREN]
    for key in run.replaced:
        children.pop(key, None)
    children.update(record[CHILDREN])
    outline = _moved(kept.outline, run, delta)
    entries = part.outline[()][0]
    moved_entries = tuple((k, line + run.first) for k, line in entries)
    mine, mine_last = outline[run.parent]
    outline[run.parent] = (mine[: run.start] + moved_entries + mine[run.start :], mine_last)
    for keys, (inner, inner_last) in part.outline.items():
        if keys:  # the part's root is the mapping, done above
            moved = tuple((k, line + run.first) for k, line in inner)
            outline[(*run.parent, *keys)] = (moved, inner_last + run.first)
    # The root's own place is where its first key is.
    root = part.positions.root if not run.parent and run.start == 0 else kept.root
    return _Kept(text, kept.data, root, kept.record, outline, nodes)


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


def _moved(outline: Outline, run: _Run, delta: int) -> Outline:
    """`outline` without the mappings inside the entries of `run`, nor those entries in
    their mapping; lines from the run's end on moved by `delta`."""
    size = len(run.parent) + 1
    gone = set(run.replaced)
    moved: Outline = {}
    for keys, (entries, last) in outline.items():
        if len(keys) >= size and keys[: size - 1] == run.parent and keys[size - 1] in gone:
            continue
        if keys == run.parent:
            entries = entries[: run.start] + entries[run.stop :]
        lines = tuple((k, line + delta if line >= run.end else line) for k, line in entries)
        moved[keys] = (lines, last + delta if last >= run.end else last)
    return moved
