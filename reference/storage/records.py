"""What the handlers hand to a store: plain records, free of HTTP and of the generated models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID


class Scope(StrEnum):
    """Where a Braintrust event lives: an experiment or a project's logs."""

    experiment = "experiment"
    project_logs = "project_logs"


@dataclass(frozen=True)
class BraintrustFeedback:
    """One Braintrust feedback item, as sent (`source` already defaulted)."""

    event_id: str
    scores: Mapping[str, float | None] | None = None  # None: no scores; a None score: remove
    expected: Any = None  # any JSON value; meaningful only when `has_expected`
    has_expected: bool = False  # `expected` was sent (possibly as null)
    comment: str | None = None
    metadata: Mapping[str, Any] | None = None
    source: str = "external"
    tags: Sequence[str] | None = None


@dataclass(frozen=True)
class MartianEntry:
    """One flattened Martian feedback key and its value (integers already floats)."""

    feedback_id: UUID
    key: str  # dot-notation
    value: bool | float | str
    reason: str | None = None  # from a structured score: stored as the entry's metadata


@dataclass(frozen=True)
class MartianEvent:
    """One Martian feedback event: the entries of one inference, with the event's options."""

    inference_id: UUID
    optimize: str  # "max" or "min"
    tags: Mapping[str, str] = field(default_factory=dict)
    entries: Sequence[MartianEntry] = ()
