"""Structural comparison of two schemas, in the direction data flows through them.

Both sides are walked together: `$ref`s are followed (a renamed component with the same shape
compares equal; keywords beside a `$ref` count), `allOf` is merged, properties are matched by
name, `oneOf`/`anyOf` branches as `variants.py` pairs them. A pair of nodes is compared once per
operation and direction (the `visited` set of (old pointer, new pointer)), which also ends
recursion in recursive schemas. Keyword-level rules live in `rules_schema.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.build.sides import marked
from generator.diff.document import Document, Flat
from generator.diff.emit import Emitter
from generator.diff.model import Direction, Side
from generator.diff.rules_schema import check_keywords
from generator.diff.variants import (
    Branch,
    branches_of,
    collapse_enums,
    describe,
    lifted,
    match,
    null_like,
    same,
    similar,
    stand_in,
    without_annotations,
)

# Schema levels followed (through $refs too) before giving up: keeps the recursive walk far
# from Python's recursion limit on absurd chains of components.
MAX_DEPTH = 100


@dataclass(frozen=True)
class Where:
    """Where a schema sits in an operation: its rule scopes and how messages name it."""

    direction: Direction
    root_scope: str  # e.g. request-body, request-parameter
    nested_scope: str  # e.g. request-property
    root_subject: str  # e.g. "the request body", "query parameter `limit`"
    nested_subject: str  # with "{}" for the label, e.g. "request property `{}`"


def child(label: str, name: str) -> str:
    return f"{label}.{name}" if label else name


class SchemaRun:
    """One walk: a schema pair at one place of one operation."""

    def __init__(
        self,
        old: Document,
        new: Document,
        where: Where,
        emit: Emitter,
        visited: set[tuple[str, str, bool]],
        stable: frozenset[str],
        renames: set[tuple[str, str]],
    ) -> None:
        self.old, self.new, self.where, self.emit = old, new, where, emit
        self.visited, self.stable, self.renames = visited, stable, renames
        self.depth = 0

    def subject(self, label: str, root: bool) -> str:
        return self.where.root_subject if root else self.where.nested_subject.format(label)

    def aspect(
        self, suffix: str, pointer: str, side: Side, label: str, root: bool, what: str
    ) -> None:
        scope = self.where.root_scope if root else self.where.nested_scope
        self.emit(f"{scope}-{suffix}", pointer, side, f"{self.subject(label, root)}: {what}")

    def compare(
        self, old: Any, new: Any, old_ptr: str, new_ptr: str, label: str, root: bool
    ) -> None:
        old, old_ptr, old_name, old_extra = self.old.resolve_schema(old, old_ptr)
        new, new_ptr, new_name, new_extra = self.new.resolve_schema(new, new_ptr)
        if old_name and new_name:
            if old_name != new_name:
                self.renames.add((old_name, new_name))
            elif old_name in self.stable and old_ptr == new_ptr and old_extra == new_extra:
                return  # the same component, unchanged down to every schema it refers to
        key = (old_ptr + old_extra, new_ptr + new_extra, root)
        if key in self.visited or not isinstance(old, Mapping) or not isinstance(new, Mapping):
            return
        self.visited.add(key)
        if self.depth >= MAX_DEPTH:
            return
        self.depth += 1
        try:
            old_flat, new_flat = self.old.flatten(old, old_ptr), self.new.flatten(new, new_ptr)
            self._compare_flat(old_flat, new_flat, label, root)
        finally:
            self.depth -= 1

    def _compare_flat(self, old: Flat, new: Flat, label: str, root: bool) -> None:
        old_branches, new_branches = branches_of(old), branches_of(new)
        if old_branches is None and new_branches is None:
            if not check_keywords(self, old, new, label, root, full=True):
                self._structure(old, new, label)
            return
        # Nullability and default apply to the whole value wherever they are written.
        old_whole = lifted(self.old, old, old_branches) if old_branches else old
        new_whole = lifted(self.new, new, new_branches) if new_branches else new
        both = old_branches is not None and new_branches is not None
        check_keywords(self, old_whole, new_whole, label, root, full=both)
        old_list = self._branch_list(self.old, old, old_branches)
        new_list = self._branch_list(self.new, new, new_branches)
        self._variants(old_list, new_list, label, root)

    @staticmethod
    def _branch_list(doc: Document, flat: Flat, branches: list[Branch] | None) -> list[Branch]:
        if branches is None:
            return [stand_in(flat)]
        real = [b for b in branches if not null_like(doc, b)]
        return collapse_enums(doc, real or branches, flat.pointer)

    def _compare_branches(self, old: Branch, new: Branch, label: str, root: bool) -> None:
        if old.flat is None and new.flat is None:
            self.compare(old.node, new.node, old.pointer, new.pointer, label, root)
            return
        old_flat, new_flat = self._flat(self.old, old), self._flat(self.new, new)
        if old_flat is None or new_flat is None:
            return
        # Against a stand-in, nullable and default were compared on the whole schema already.
        old_flat, new_flat = without_annotations(old_flat), without_annotations(new_flat)
        key = (old_flat.pointer, new_flat.pointer, root)
        if key in self.visited and (old.flat is None or new.flat is None):
            return
        self.visited.add(key)
        self._compare_flat(old_flat, new_flat, label, root)

    @staticmethod
    def _flat(doc: Document, branch: Branch) -> Flat | None:
        if branch.flat is not None:
            return branch.flat
        node, pointer, _ = doc.resolve(branch.node, branch.pointer)
        return doc.flatten(node, pointer) if isinstance(node, Mapping) else None

    def _structure(self, old: Flat, new: Flat, label: str) -> None:
        self._properties(old, new, label)
        for key, mark in (("items", "[]"), ("additionalProperties", ".*")):
            old_sub, new_sub = old.keywords.get(key), new.keywords.get(key)
            if isinstance(old_sub, Mapping) and isinstance(new_sub, Mapping):
                old_ptr, new_ptr = f"{old.pointer}/{key}", f"{new.pointer}/{key}"
                self.compare(old_sub, new_sub, old_ptr, new_ptr, label + mark, False)

    def _visible(self, flat: Flat, doc: Document) -> dict[str, tuple[Any, str]]:
        """Properties that travel in this direction (readOnly ones are never sent, writeOnly
        ones never received)."""
        hidden = self._hidden_keyword
        return {
            name: (schema, pointer)
            for name, (schema, pointer) in flat.properties.items()
            if not marked(schema, doc.data, hidden)
        }

    @property
    def _hidden_keyword(self) -> str:
        return "readOnly" if self.where.direction is Direction.REQUEST else "writeOnly"

    def _properties(self, old: Flat, new: Flat, label: str) -> None:
        request = self.where.direction is Direction.REQUEST
        side = "request" if request else "response"
        old_props, new_props = self._visible(old, self.old), self._visible(new, self.new)
        for name in sorted(old_props.keys() - new_props.keys()):
            was_required = name in old.required
            # Still there, but now readOnly (never sent) or writeOnly (never received).
            hidden = name in new.properties
            if request:
                rule = "request-property-became-read-only" if hidden else "request-property-removed"
            else:
                rule = f"response-{'required' if was_required else 'optional'}-property-removed"
            kind = "required " if was_required else ""
            gone = f"became {self._hidden_keyword}" if hidden else "removed"
            what = f"{kind}{side} property `{child(label, name)}` {gone}"
            if hidden:
                self.emit(rule, new.properties[name][1], "new", what)
            else:
                self.emit(rule, old_props[name][1], "old", what)
        for name in sorted(new_props.keys() - old_props.keys()):
            required = name in new.required
            if request:
                rule = f"request-{'required' if required else 'optional'}-property-added"
            else:
                rule = "response-property-added"
            kind = "required " if required else "optional "
            how = f"no longer {self._hidden_keyword}" if name in old.properties else "added"
            self.emit(
                rule,
                new_props[name][1],
                "new",
                f"{kind}{side} property `{child(label, name)}` {how}",
            )
        for name in sorted(old_props.keys() & new_props.keys()):
            was, now = name in old.required, name in new.required
            if was != now:
                state = "required" if now else "optional"
                what = f"{side} property `{child(label, name)}` became {state}"
                self.emit(f"{side}-property-became-{state}", new_props[name][1], "new", what)
            (old_schema, old_ptr), (new_schema, new_ptr) = old_props[name], new_props[name]
            self.compare(old_schema, new_schema, old_ptr, new_ptr, child(label, name), False)

    def _variants(self, old: list[Branch], new: list[Branch], label: str, root: bool) -> None:
        """Compare branch by branch. Where every branch of one side must fit the other side's
        single schema (a request that was a oneOf and is now one schema, a response that is
        now a oneOf), each branch similar to that schema is compared with it; otherwise
        branches are paired. Branches left over are reported as added or removed."""
        request = self.where.direction is Direction.REQUEST
        o, n = self.old, self.new
        pairs: list[tuple[Branch, Branch]]
        old_left: list[Branch]
        new_left: list[Branch]
        if request and len(new) == 1 < len(old) and not any(same(o, n, b, new[0]) for b in old):
            fits = [b for b in old if similar(o, n, b, new[0])]
            pairs = [(b, new[0]) for b in fits]
            old_left, new_left = [b for b in old if b not in fits], [] if fits else new
        elif (
            not request and len(old) == 1 < len(new) and not any(same(o, n, old[0], b) for b in new)
        ):
            fits = [b for b in new if similar(o, n, old[0], b)]
            pairs = [(old[0], b) for b in fits]
            old_left, new_left = [] if fits else old, [b for b in new if b not in fits]
        else:
            pairs, old_left, new_left = match(o, n, old, new)
        for old_branch, new_branch in pairs:
            self._compare_branches(old_branch, new_branch, label, root)
        for branch in old_left:
            what = f"variant {describe(self.old, branch)} removed"
            self.aspect("variant-removed", branch.pointer, "old", label, root, what)
        for branch in new_left:
            what = f"variant {describe(self.new, branch)} added"
            self.aspect("variant-added", branch.pointer, "new", label, root, what)
