"""openapi-spec-validator's pass in a forked process (generator/forked.py), so that the rest
of a run (building the IR, rendering, formatting) goes on meanwhile on another core."""

from __future__ import annotations

from functools import partial

from generator.cache.memo import Memo
from generator.diagnostics import Diagnostic
from generator.forked import Forked
from generator.validate import Prepared
from generator.validate.reuse import Lookup, checked


class Structural:
    """The findings of `spec_validator(before)`, computed in a child process when `fork`;
    `memo` may hold them (validate/reuse.py)."""

    def __init__(self, before: Prepared, *, fork: bool, memo: Memo | None = None) -> None:
        self._job: Forked[list[Diagnostic]] | None = None
        if before.blocked:
            return
        lookup = None
        if fork and memo is not None and memo.folder.is_dir():
            # A run kept results here: most edits reword a summary or a description, and
            # then the memo answers. Asked here it costs about 15 ms on a large spec; asked
            # in a child, the fork costs this process twice that, in copy-on-write faults
            # as it goes on reading the document the child shares.
            lookup = Lookup.of(before)
            if lookup.clean(memo):
                return
        self._job = Forked(partial(checked, before, memo, lookup), fork=fork)

    @property
    def forked(self) -> bool:
        """Whether a child process took the work."""
        return self._job is not None and self._job.forked

    def result(self) -> list[Diagnostic]:
        return [] if self._job is None else self._job.result()

    def cancel(self) -> None:
        """Stop a child whose findings nobody will ask for."""
        if self._job is not None:
            self._job.cancel()
