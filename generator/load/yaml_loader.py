"""YAML or JSON text to plain JSON data, with the line and column of every node.

We drive the parser's event stream ourselves instead of using a PyYAML loader because the
loaders (1) turn keys like `200` or `on` into non-strings, (2) resolve YAML 1.1 types (`yes` is
True, dates become `date`), (3) silently keep the last of duplicate keys, (4) recurse once per
nesting level and (5) expand aliases without limit. Building containers from events with an
explicit stack fixes all five and gives us positions for free.

The data is a tree except that an alias shares its anchor's node: treat it as read-only.
Positions are recorded per container (`positions.py`), not as one pointer string per node.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from generator.diagnostics import Location, SpecError, error
from generator.load.positions import CHILDREN, POSITIONS, Positions, Record, new_record
from generator.load.scalars import CORE_TAG, TagError, plain_scalar, tagged_scalar
from generator.load.yaml_errors import (
    MAX_DEPTH,
    Failure,
    LineMap,
    check_characters,
    syntax_failure,
)
from generator.pointers import join_pointer

# Nodes in the built document, alias expansions included: far above any real spec (a 750 KB
# spec has about 23,000) and low enough that an alias bomb fails before it eats memory.
DEFAULT_MAX_NODES = 5_000_000

_CParser: Callable[[str], Any] | None = getattr(yaml, "CBaseLoader", None)

# Block mappings nested in block mappings from the root, by their keys from the root: the key
# of each entry with its line, and the line the mapping ends at (0-based lines of the text
# parsed). An entry spans the lines from its key to the next entry's key (or the mapping's
# end); load/incremental.py parses such a span again alone after an edit inside it.
Outline = dict[tuple[str, ...], tuple[tuple[tuple[str, int], ...], int]]
_MERGE_KEY = "<<"
_TAG_HINT = "remove the tag: specgen reads plain YAML and JSON values only (never objects)"
_KEY_HINT = "JSON object keys are strings: write the key as a plain string"


class _Frame:
    """A container being built. Its pointer is only spelled out for a diagnostic (`tokens`)."""

    __slots__ = (
        "anchor",
        "container",
        "entries",
        "key",
        "merge_lines",
        "merges",
        "merging",
        "record",
        "silent",
        "start_count",
        "token",
    )

    def __init__(
        self,
        container: dict[str, Any] | list[Any],
        token: str | int | None,
        anchor: str | None,
        start_count: int,
        silent: bool,
    ) -> None:
        self.container = container
        self.token = token  # its key or index in the parent; None for the root
        self.anchor = anchor
        self.start_count = start_count
        self.key: str | None = None  # mapping only: the key waiting for its value
        self.merging = False  # mapping only: the pending key is a `<<` merge key
        # Inside a merge source: its pointers do not exist in the result (its record is
        # never attached, so lookups never reach it).
        self.silent = silent
        self.record: Record = new_record({} if isinstance(container, dict) else [])
        self.merge_lines: dict[str, int] | None = None  # lines of `<<` keys (no position)
        self.merges: list[Any] = []
        # An outlined block mapping only: each key with its parser line (`Outline`).
        self.entries: list[tuple[str, int]] | None = None


@dataclass
class _Anchor:
    value: Any
    size: int  # nodes the value stands for, so expansions are counted before copying
    key_text: str | None  # raw text when the anchored node is a scalar (usable as a key)


class _Builder:
    """Turns parser events into data; one instance per document."""

    def __init__(
        self, lines: LineMap, max_nodes: int, base_depth: int = 0, outline_depth: int = -1
    ) -> None:
        self.lines = lines
        # Marks are 0-based; without odd line breaks a position is the mark plus one.
        self.first_line = None if lines.starts is not None else 1 + lines.line_offset
        self.max_nodes = max_nodes
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.have_root = False
        self.count = 0
        self.anchors: dict[str, _Anchor] = {}
        self.root_position: tuple[int, int] | None = None
        self.root_record: Record | None = None
        self.duplicates: list[tuple[str, str, int, int]] = []  # message, pointer, line, column
        # The depth of the root in the document it is part of (a part parsed again alone).
        self.base_depth = base_depth
        # Block mappings this deep (the root is 0) are outlined, with no odd line breaks.
        self.outline_depth = outline_depth if lines.starts is None else -1
        self.outline: Outline = {}
        # No anchor, alias, merge key or directive: each part of the text means the same
        # read alone (what parsing a part again needs).
        self.context_free = True

    def pos(self, event: Any) -> tuple[int, int]:
        mark = event.start_mark
        if self.first_line is not None:
            return mark.line + self.first_line, mark.column + 1
        return self.lines(mark.line, mark.column)

    def grow(self, nodes: int, event: Any) -> None:
        self.count += nodes
        if self.count > self.max_nodes:
            line, column = self.pos(event)
            message = f"document expands to more than {self.max_nodes:,} nodes"
            hint = "aliases (*name) copy their anchor each time: an alias bomb looks like this"
            raise Failure("SG104", message, line, column, hint)

    def positions(self) -> Positions:
        return Positions(self.root_position, self.root_record)

    def top_pointer(self) -> str:
        return join_pointer("", *(f.token for f in self.stack if f.token is not None))

    def current_pointer(self) -> str:
        """Where the parser was: the node being built, for syntax error locations."""
        if not self.stack:
            return ""
        top, pointer = self.stack[-1], self.top_pointer()
        if isinstance(top.container, list):
            return join_pointer(pointer, len(top.container))
        return join_pointer(pointer, top.key) if top.key is not None else pointer

    def awaiting_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and top.key is None and isinstance(top.container, dict)

    def set_key(self, key: str, event: Any, plain: bool) -> None:
        top = self.stack[-1]
        position = self.pos(event)
        positions: dict[str, tuple[int, int]] = top.record[POSITIONS]  # type: ignore[assignment]
        first = positions.get(key)
        first_line = first[0] if first is not None else (top.merge_lines or {}).get(key)
        top.key, top.merging = key, plain and key == _MERGE_KEY
        if top.merging:
            self.context_free = False
        if top.entries is not None:
            top.entries.append((key, event.start_mark.line))
        if first_line is not None:
            message = f"duplicate key {key!r} (first defined at line {first_line})"
            pointer = join_pointer(self.top_pointer(), key)
            self.duplicates.append((message, pointer, *position))
        elif top.merging:
            top.merge_lines = {**(top.merge_lines or {}), key: position[0]}
        else:
            positions[key] = position

    def place(self, value: Any, position: tuple[int, int]) -> str | int | None:
        """Attach a finished or freshly started node to its parent; returns its token there."""
        if not self.stack:
            self.root, self.have_root = value, True
            self.root_position = position
            return None
        top = self.stack[-1]
        container = top.container
        if isinstance(container, list):
            index = len(container)
            container.append(value)
            top.record[POSITIONS].append(position)  # type: ignore[union-attr]
            return index
        key = top.key
        assert key is not None
        if top.merging:
            top.merges.append(value)
        elif key not in container:
            container[key] = value
        top.key = None
        return key

    def scalar(self, event: Any) -> None:
        if self.awaiting_key():
            self.set_key(event.value, event, event.tag is None and event.implicit[0])
            if event.anchor:
                self.anchors[event.anchor] = _Anchor(event.value, 1, event.value)
                self.context_free = False
            return
        self.grow(1, event)
        if event.tag is None:
            value = plain_scalar(event.value) if event.implicit[0] else event.value
        else:
            try:
                value = tagged_scalar(event.tag, event.value)
            except TagError as exc:
                line, column = self.pos(event)
                raise Failure("SG109", str(exc), line, column, _TAG_HINT) from None
        self.place(value, self.pos(event))
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, 1, event.value)
            self.context_free = False

    def alias(self, event: Any) -> None:
        self.context_free = False
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            line, column = self.pos(event)
            if any(f.anchor == event.anchor for f in self.stack):
                message = f"alias *{event.anchor} refers to a node that contains it"
                raise Failure("SG109", message, line, column, "JSON cannot represent a cycle")
            hint = f"define the anchor &{event.anchor} before the alias uses it"
            raise Failure("SG101", f"undefined alias *{event.anchor}", line, column, hint)
        if self.awaiting_key():
            if anchor.key_text is None:
                line, column = self.pos(event)
                raise Failure("SG109", "mapping keys must be scalars", line, column, _KEY_HINT)
            self.set_key(anchor.key_text, event, False)
            return
        self.grow(anchor.size, event)
        # Shared, not copied: the bundler copies the whole tree into the spec anyway, and a
        # bomb then costs nothing before the count stops it. It has no record: positions
        # below it are the alias's own.
        self.place(anchor.value, self.pos(event))

    def start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        position = self.pos(event)
        if self.awaiting_key():
            message = "mapping keys must be scalars, not collections"
            raise Failure("SG109", message, *position, _KEY_HINT)
        kind = "map" if isinstance(container, dict) else "seq"
        if event.tag not in (None, "!", CORE_TAG + kind):
            message = f"unsupported YAML tag {event.tag!r}"
            raise Failure("SG109", message, *position, _TAG_HINT)
        if len(self.stack) + self.base_depth >= MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels"
            hint = "flatten the document: name deep parts in components and use $ref"
            raise Failure("SG101", message, *position, hint)
        self.grow(1, event)
        parent = self.stack[-1] if self.stack else None
        silent = parent is not None and (parent.silent or parent.merging)
        token = self.place(container, position)
        frame = _Frame(container, token, event.anchor, self.count, silent)
        if parent is None:
            self.root_record = frame.record
        elif token is not None and not silent:
            parent.record[CHILDREN][token] = frame.record
        if (
            len(self.stack) <= self.outline_depth
            and kind == "map"
            and not event.flow_style
            and (parent is None or parent.entries is not None)
        ):
            frame.entries = []
        if event.anchor:
            self.context_free = False
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.entries is not None and not frame.silent:
            keys = [f.token for f in self.stack[1:]] + ([frame.token] if self.stack else [])
            self.outline[tuple(map(str, keys))] = (tuple(frame.entries), event.start_mark.line)
        if frame.merges:
            self.apply_merges(frame, event)
        if frame.anchor:
            size = self.count - frame.start_count + 1
            self.anchors[frame.anchor] = _Anchor(frame.container, size, None)

    def apply_merges(self, frame: _Frame, event: Any) -> None:
        """`<<: *base` (YAML 1.1 merge key): explicit keys win, then earlier merges."""
        assert isinstance(frame.container, dict)
        sources: list[Any] = []
        for merge in frame.merges:
            sources.extend(merge if isinstance(merge, list) else [merge])
        for source in sources:
            if not isinstance(source, dict):
                line, column = self.pos(event)
                message = "the merge key '<<' takes a mapping or a list of mappings"
                hint = "write `<<: *anchor` or `<<: [*a, *b]` with anchors on mappings"
                raise Failure("SG109", message, line, column, hint)
            for key, value in source.items():
                frame.container.setdefault(key, value)


def _feed(builder: _Builder, text: str) -> None:
    parser = _CParser(text) if _CParser is not None else yaml.BaseLoader(text)
    documents = 0

    def document(event: Any) -> None:
        nonlocal documents
        documents += 1
        if event.version or event.tags:  # a %YAML or %TAG directive
            builder.context_free = False
        if documents > 1:
            line, column = builder.pos(event)
            message = "more than one YAML document in the file ('---' starts a new one)"
            hint = "put each document in its own file and pass both files"
            raise Failure("SG108", message, line, column, hint)

    # By exact class (the parsers make no subclasses): one dict lookup per event.
    handlers: dict[type, Callable[[Any], None]] = {
        yaml.ScalarEvent: builder.scalar,
        yaml.AliasEvent: builder.alias,
        yaml.MappingStartEvent: lambda event: builder.start(event, {}),
        yaml.SequenceStartEvent: lambda event: builder.start(event, []),
        yaml.MappingEndEvent: builder.end,
        yaml.SequenceEndEvent: builder.end,
        yaml.DocumentStartEvent: document,
    }
    get_event = parser.get_event
    while (event := get_event()) is not None:  # None after the stream's end
        handler = handlers.get(type(event))
        if handler is not None:
            handler(event)


def parse_yaml(
    text: str, display: str, *, line_offset: int = 0, max_nodes: int = DEFAULT_MAX_NODES
) -> tuple[dict[str, Any], Positions]:
    """Parse one YAML/JSON document whose root is a mapping.

    `line_offset` is added to every line (for a block extracted from a Markdown page). Raises
    SpecError with every duplicate key, or with the first other problem.
    """
    parsed = parse_outlined(text, display, line_offset=line_offset, max_nodes=max_nodes)
    return parsed.data, parsed.positions


@dataclass(frozen=True)
class Parsed:
    """A parse with what parsing a part of it again needs (load/incremental.py)."""

    data: dict[str, Any]
    positions: Positions
    outline: Outline | None  # None: a part read alone may mean something else
    nodes: int  # counted against max_nodes
    # Where the text holds a character only JSON takes (`yaml_errors.JSON_ONLY`), first.
    json_only: tuple[int, int, str] | None = None  # line, column, the character


def parse_outlined(
    text: str,
    display: str,
    *,
    line_offset: int = 0,
    max_nodes: int = DEFAULT_MAX_NODES,
    base_depth: int = 0,
    outline_depth: int = -1,
) -> Parsed:
    """`parse_yaml`, outlining block mappings down to `outline_depth` (-1: none); a text
    whose root is `base_depth` deep in its document counts its depth from there."""
    builder = _Builder(LineMap(text, line_offset), max_nodes, base_depth, outline_depth)
    try:
        check_characters(text, line_offset)
        try:
            _feed(builder, text)
        except yaml.YAMLError as exc:
            raise syntax_failure(exc, text, builder.lines) from None
    except Failure as fail:
        location = Location(display, fail.line, fail.column, builder.current_pointer())
        raise SpecError([error(fail.code, fail.message, fail.hint, location)]) from None
    if builder.duplicates:
        raise SpecError(
            error("SG102", message, "keep one of them", Location(display, line, column, ptr))
            for message, ptr, line, column in builder.duplicates
        )
    data = _check_root(builder, display, line_offset)
    outline = builder.outline if builder.context_free and builder.outline_depth >= 0 else None
    return Parsed(data, builder.positions(), outline, builder.count)


def _check_root(builder: _Builder, display: str, line_offset: int) -> dict[str, Any]:
    root = builder.root
    if isinstance(root, dict):
        return root
    what = "an empty file" if not builder.have_root else f"a {_kind(root)}"
    line, column = builder.root_position or (1 + line_offset, 1)
    hint = "an OpenAPI document starts with `openapi: 3.x.y` at the top level"
    message = f"the top level must be a mapping, found {what}"
    raise SpecError([error("SG107", message, hint, Location(display, line, column))])


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "sequence"
    if value is None:
        return "null"
    return type(value).__name__
