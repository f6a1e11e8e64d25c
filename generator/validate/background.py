"""openapi-spec-validator's pass in a forked process (generator/forked.py), so that the rest
of a run (building the IR, rendering, formatting) goes on meanwhile on another core."""

from __future__ import annotations

from functools import partial

from generator.cache.memo import Memo
from generator.diagnostics import Diagnostic
from generator.forked import Forked
from generator.validate import Prepared
from generator.validate.reuse import checked


class Structural:
    """The findings of `spec_validator(before)`, computed in a child process when `fork`;
    `memo` may hold them (validate/reuse.py)."""

    def __init__(self, before: Prepared, *, fork: bool, memo: Memo | None = None) -> None:
        self._job = None if before.blocked else Forked(partial(checked, before, memo), fork=fork)

    def result(self) -> list[Diagnostic]:
        return [] if self._job is None else self._job.result()

    def cancel(self) -> None:
        """Stop a child whose findings nobody will ask for."""
        if self._job is not None:
            self._job.cancel()
