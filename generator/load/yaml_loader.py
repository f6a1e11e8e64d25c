"""YAML or JSON text to plain JSON data, with the line and column of every node.

We drive the parser's event stream ourselves instead of using a PyYAML loader because the
loaders (1) turn keys like `200` or `on` into non-strings, (2) resolve YAML 1.1 types (`yes` is
True, dates become `date`), (3) silently keep the last of duplicate keys, (4) recurse once per
nesting level and (5) expand aliases without limit. Building containers from events with an
explicit stack fixes all five and gives us positions for free.

The data is a tree except that an alias shares its anchor's node: treat it as read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.diagnostics import Location, SpecError, error
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

Positions = dict[str, tuple[int, int]]

_CParser: Callable[[str], Any] | None = getattr(yaml, "CBaseLoader", None)
_MERGE_KEY = "<<"
_TAG_HINT = "remove the tag: specgen reads plain YAML and JSON values only (never objects)"
_KEY_HINT = "JSON object keys are strings: write the key as a plain string"


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    pointer: str
    anchor: str | None
    start_count: int
    key: str | None = None  # mapping only: the key waiting for its value
    merging: bool = False  # mapping only: the pending key is a `<<` merge key
    silent: bool = False  # inside a merge source: its pointers do not exist in the result
    key_lines: dict[str, int] = field(default_factory=dict)
    merges: list[Any] = field(default_factory=list)


@dataclass
class _Anchor:
    value: Any
    size: int  # nodes the value stands for, so expansions are counted before copying
    key_text: str | None  # raw text when the anchored node is a scalar (usable as a key)


class _Builder:
    """Turns parser events into data; one instance per document."""

    def __init__(self, lines: LineMap, max_nodes: int) -> None:
        self.lines = lines
        self.max_nodes = max_nodes
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.have_root = False
        self.count = 0
        self.anchors: dict[str, _Anchor] = {}
        self.positions: Positions = {}
        self.duplicates: list[tuple[str, str, int, int]] = []  # message, pointer, line, column

    def pos(self, event: Any) -> tuple[int, int]:
        return self.lines(event.start_mark.line, event.start_mark.column)

    def grow(self, nodes: int, event: Any) -> None:
        self.count += nodes
        if self.count > self.max_nodes:
            line, column = self.pos(event)
            message = f"document expands to more than {self.max_nodes:,} nodes"
            hint = "aliases (*name) copy their anchor each time: an alias bomb looks like this"
            raise Failure("SG104", message, line, column, hint)

    def current_pointer(self) -> str:
        """Where the parser was: the node being built, for syntax error locations."""
        if not self.stack:
            return ""
        top = self.stack[-1]
        if isinstance(top.container, list):
            return join_pointer(top.pointer, len(top.container))
        return join_pointer(top.pointer, top.key) if top.key is not None else top.pointer

    def awaiting_key(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and isinstance(top.container, dict) and top.key is None

    def set_key(self, key: str, event: Any, plain: bool) -> None:
        top = self.stack[-1]
        line, column = self.pos(event)
        pointer = join_pointer(top.pointer, key)
        first = top.key_lines.get(key)
        if first is not None:
            message = f"duplicate key {key!r} (first defined at line {first})"
            self.duplicates.append((message, pointer, line, column))
        else:
            top.key_lines[key] = line
        top.key, top.merging = key, plain and key == _MERGE_KEY
        if not top.merging and not top.silent:
            self.positions[pointer] = (line, column)

    def place(self, value: Any, event: Any) -> str:
        """Attach a finished or freshly started node to its parent; returns its pointer."""
        if not self.stack:
            self.root, self.have_root = value, True
            self.positions[""] = self.pos(event)
            return ""
        top = self.stack[-1]
        if isinstance(top.container, list):
            pointer = join_pointer(top.pointer, len(top.container))
            top.container.append(value)
            if not top.silent:
                self.positions[pointer] = self.pos(event)
            return pointer
        assert top.key is not None
        pointer = join_pointer(top.pointer, top.key)
        if top.merging:
            top.merges.append(value)
        elif top.key not in top.container:
            top.container[top.key] = value
        top.key = None
        return pointer

    def scalar(self, event: Any) -> None:
        line, column = self.pos(event)
        if self.awaiting_key():
            self.set_key(event.value, event, event.tag is None and event.implicit[0])
            if event.anchor:
                self.anchors[event.anchor] = _Anchor(event.value, 1, event.value)
            return
        self.grow(1, event)
        if event.tag is None:
            value = plain_scalar(event.value) if event.implicit[0] else event.value
        else:
            try:
                value = tagged_scalar(event.tag, event.value)
            except TagError as exc:
                raise Failure("SG109", str(exc), line, column, _TAG_HINT) from None
        self.place(value, event)
        if event.anchor:
            self.anchors[event.anchor] = _Anchor(value, 1, event.value)

    def alias(self, event: Any) -> None:
        line, column = self.pos(event)
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            if any(f.anchor == event.anchor for f in self.stack):
                message = f"alias *{event.anchor} refers to a node that contains it"
                raise Failure("SG109", message, line, column, "JSON cannot represent a cycle")
            hint = f"define the anchor &{event.anchor} before the alias uses it"
            raise Failure("SG101", f"undefined alias *{event.anchor}", line, column, hint)
        if self.awaiting_key():
            if anchor.key_text is None:
                raise Failure("SG109", "mapping keys must be scalars", line, column, _KEY_HINT)
            self.set_key(anchor.key_text, event, False)
            return
        self.grow(anchor.size, event)
        # Shared, not copied: the bundler copies the whole tree into the spec anyway, and a
        # bomb then costs nothing before the count stops it.
        self.place(anchor.value, event)

    def start(self, event: Any, container: dict[str, Any] | list[Any]) -> None:
        line, column = self.pos(event)
        if self.awaiting_key():
            message = "mapping keys must be scalars, not collections"
            raise Failure("SG109", message, line, column, _KEY_HINT)
        kind = "map" if isinstance(container, dict) else "seq"
        if event.tag not in (None, "!", CORE_TAG + kind):
            message = f"unsupported YAML tag {event.tag!r}"
            raise Failure("SG109", message, line, column, _TAG_HINT)
        if len(self.stack) >= MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels"
            hint = "flatten the document: name deep parts in components and use $ref"
            raise Failure("SG101", message, line, column, hint)
        self.grow(1, event)
        parent = self.stack[-1] if self.stack else None
        silent = parent is not None and (parent.silent or parent.merging)
        pointer = self.place(container, event)
        self.stack.append(_Frame(container, pointer, event.anchor, self.count, silent=silent))

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
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


def _events(text: str) -> Any:
    parser = _CParser(text) if _CParser is not None else yaml.BaseLoader(text)
    while parser.check_event():
        yield parser.get_event()


def _feed(builder: _Builder, text: str) -> None:
    documents = 0
    for event in _events(text):
        if isinstance(event, yaml.ScalarEvent):
            builder.scalar(event)
        elif isinstance(event, yaml.AliasEvent):
            builder.alias(event)
        elif isinstance(event, yaml.MappingStartEvent):
            builder.start(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            builder.start(event, [])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            builder.end(event)
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, column = builder.pos(event)
                message = "more than one YAML document in the file ('---' starts a new one)"
                hint = "put each document in its own file and pass both files"
                raise Failure("SG108", message, line, column, hint)


def parse_yaml(
    text: str, display: str, *, line_offset: int = 0, max_nodes: int = DEFAULT_MAX_NODES
) -> tuple[dict[str, Any], Positions]:
    """Parse one YAML/JSON document whose root is a mapping.

    `line_offset` is added to every line (for a block extracted from a Markdown page). Raises
    SpecError with every duplicate key, or with the first other problem.
    """
    builder = _Builder(LineMap(text, line_offset), max_nodes)
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
    return _check_root(builder, display, line_offset), builder.positions


def _check_root(builder: _Builder, display: str, line_offset: int) -> dict[str, Any]:
    root = builder.root
    if isinstance(root, dict):
        return root
    what = "an empty file" if not builder.have_root else f"a {_kind(root)}"
    line, column = builder.positions.get("", (1 + line_offset, 1))
    hint = "an OpenAPI document starts with `openapi: 3.x.y` at the top level"
    message = f"the top level must be a mapping, found {what}"
    raise SpecError([error("SG107", message, hint, Location(display, line, column))])


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "sequence"
    if value is None:
        return "null"
    return type(value).__name__
