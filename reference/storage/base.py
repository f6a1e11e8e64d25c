"""The repository interface the handlers use, whatever the database behind it.

Methods are synchronous (handlers call them in a worker thread) and each one is a single
transaction: a call either stores everything it was given or nothing. A PostgreSQL store
would implement the same protocol with `SELECT ... FOR UPDATE` where SQLite takes its write
lock, so that several server processes can share one database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol
from uuid import UUID

from .records import BraintrustFeedback, MartianEvent, Scope


class FeedbackStore(Protocol):
    def add_braintrust_feedback(
        self, scope: Scope, container_id: UUID, items: Sequence[BraintrustFeedback]
    ) -> None:
        """Record each item against its event, merging `scores` into the event's scores in
        order (later wins per key; a None score removes the key)."""
        ...

    def braintrust_scores(
        self, scope: Scope, container_id: UUID, event_id: str
    ) -> dict[str, float]:
        """The merged scores of one event ({} when it has none or is unknown)."""
        ...

    def add_inferences(self, inference_ids: Iterable[UUID]) -> None:
        """Make inference ids known (Martian feedback may only target known ids)."""
        ...

    def known_inferences(self) -> list[UUID]:
        """Every known inference id, sorted."""
        ...

    def add_martian_feedback(self, events: Sequence[MartianEvent]) -> list[bool]:
        """Record each event whose inference is known; per event, whether it was recorded."""
        ...

    def close(self) -> None: ...
