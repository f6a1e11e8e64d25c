"""Where rules put what they find."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.diff.catalog import severity_of
from generator.diff.model import Change, OperationRef, Side


@dataclass
class Emitter:
    """Collects the changes of one operation (or, with `operation=None`, of the document)."""

    sink: list[Change]
    operation: OperationRef | None = None
    seen: set[tuple[str, str, str, str]] = field(default_factory=set)

    def __call__(self, rule: str, pointer: str, side: Side, message: str) -> None:
        key = (rule, pointer, side, message)
        if key in self.seen:  # a schema reached twice within one operation
            return
        self.seen.add(key)
        self.sink.append(Change(severity_of(rule), rule, self.operation, pointer, side, message))
