"""What every rule module gets: both documents and the state of one comparison."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.diff.document import Document, stable_components
from generator.diff.emit import Emitter
from generator.diff.model import Change, OperationRef
from generator.diff.schemas import SchemaRun, Where
from generator.pointers import join_pointer


@dataclass
class Context:
    old: Document
    new: Document
    sink: list[Change] = field(default_factory=list)
    renames: set[tuple[str, str]] = field(default_factory=set)  # (old name, new name)
    stable: frozenset[str] = frozenset()

    @classmethod
    def of(cls, old: Document, new: Document) -> Context:
        return cls(old, new, stable=stable_components(old, new))

    def emitter(self, operation: OperationRef | None = None) -> Emitter:
        return Emitter(self.sink, operation)

    def compare_schemas(
        self,
        old: Any,
        new: Any,
        pointers: tuple[str, str],
        where: Where,
        emit: Emitter,
        visited: set[tuple[str, str, bool]],
        label: str = "",
    ) -> None:
        """Compare a schema pair at the root of `where` (a parameter, body or header)."""
        run = SchemaRun(self.old, self.new, where, emit, visited, self.stable, self.renames)
        run.compare(old, new, pointers[0], pointers[1], label, True)


def media_key(media_type: str) -> str:
    """Media types match without their parameters, case-insensitively."""
    return media_type.split(";", 1)[0].strip().lower()


def schema_of(node: Any, pointer: str) -> tuple[Any, str]:
    """The schema of a parameter or header: `schema`, or that of its first `content` entry."""
    if not isinstance(node, Mapping):
        return None, pointer
    if "schema" in node:
        return node["schema"], f"{pointer}/schema"
    content = node.get("content")
    if isinstance(content, Mapping) and content:
        media, entry = next(iter(content.items()))
        schema = entry.get("schema") if isinstance(entry, Mapping) else None
        return schema, join_pointer(pointer, "content", media, "schema")
    return None, pointer
