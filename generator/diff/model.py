"""The records of a spec comparison: what changed, where, how much it matters.

A `Change` names its rule (a stable id from `catalog.py`, whose severity it carries), the
operation it affects, and the JSON pointer of the changed node: in the new document, or in the
old one for something that was removed (`side`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    BREAKING = "breaking"  # existing clients fail (or validate responses and fail)
    WARNING = "warning"  # some clients may fail, or behaviour silently changes
    INFO = "info"  # compatible: worth a changelog line

    @property
    def rank(self) -> int:
        """Sort order: most severe first."""
        return {"breaking": 0, "warning": 1, "info": 2}[self.value]


class Direction(StrEnum):
    """Which way data flows through a schema: what a client sends, or what it receives."""

    REQUEST = "request"
    RESPONSE = "response"


class Effect(StrEnum):
    """What a schema change does to the set of values the schema accepts."""

    TIGHTENED = "tightened"  # accepts fewer values
    LOOSENED = "loosened"  # accepts more values
    CHANGED = "changed"  # accepts different values (neither a subset nor a superset)
    UNCLEAR = "unclear"  # cannot be decided statically (two regular expressions)
    DEFAULT = "default"  # the value used when none is given


Side = Literal["old", "new"]


@dataclass(frozen=True, order=True)
class OperationRef:
    """The operation a change affects (in the new document; the old one for removals)."""

    path: str
    method: str  # upper case
    operation_id: str = ""

    def __str__(self) -> str:
        shown = f"{self.method} {self.path}"
        return f"{shown} ({self.operation_id})" if self.operation_id else shown


@dataclass(frozen=True)
class Change:
    severity: Severity
    rule: str  # stable id, see generator.diff.catalog
    operation: OperationRef | None  # None for changes outside operations (servers, schemes)
    pointer: str  # JSON pointer of the node in the `side` document
    side: Side
    message: str  # one line
    location: str = ""  # file:line:column of `pointer`, filled in by the caller

    @property
    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        op = self.operation or OperationRef("", "")
        return (self.severity.rank, op.path, op.method, self.rule, self.pointer, self.message)

    def as_json(self) -> dict[str, object]:
        op = self.operation
        return {
            "severity": str(self.severity),
            "id": self.rule,
            "operation": None
            if op is None
            else {"method": op.method, "path": op.path, "operationId": op.operation_id or None},
            "pointer": self.pointer,
            "side": self.side,
            "location": self.location or None,
            "message": self.message,
        }
