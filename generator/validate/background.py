"""openapi-spec-validator's pass in a forked process, so that the rest of a run (building
the IR, rendering, formatting) goes on meanwhile on another core.

The child inherits the loaded spec through fork (nothing is pickled on the way in) and
sends back its findings. Where a child cannot be had (the caller says so, no fork, inside a
daemonic process) or it dies, the pass runs here, when its result is asked for: the findings
are the same either way, so the output is too.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from typing import Any

from generator.cache.memo import Memo
from generator.diagnostics import Diagnostic
from generator.validate import Prepared
from generator.validate.reuse import checked


class Structural:
    """The findings of `spec_validator(before)`, computed in a child process when `fork`;
    `memo` may hold them (validate/reuse.py)."""

    def __init__(self, before: Prepared, *, fork: bool, memo: Memo | None = None) -> None:
        self._before = before
        self._memo = memo
        self._found: list[Diagnostic] | None = [] if before.blocked else None
        self._conn: Connection | None = None
        self._child: Any = None
        if self._found is None and fork and _can_fork():
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_run, args=(before, memo, send), daemon=True)
            try:
                child.start()
            except OSError:  # out of processes or memory: run it here later
                receive.close()
                return
            finally:
                send.close()
            self._conn, self._child = receive, child

    def result(self) -> list[Diagnostic]:
        if self._found is None and self._conn is not None:
            try:
                found = self._conn.recv()
            except (EOFError, OSError):  # the child died: do it here
                found = None
            finally:
                self._conn.close()
                self._child.join()
            if isinstance(found, list):
                self._found = found
        if self._found is None:
            self._found = checked(self._before, self._memo)
        return self._found

    def cancel(self) -> None:
        """Stop a child whose findings nobody will ask for."""
        if self._child is not None and self._found is None:
            self._child.kill()
            self._child.join()
            if self._conn is not None:
                self._conn.close()
            self._found = []


def _can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    # A pool worker (daemonic) may not have children of its own.
    return not multiprocessing.current_process().daemon


def _run(before: Prepared, memo: Memo | None, send: Connection) -> None:
    try:
        found: list[Diagnostic] | None = checked(before, memo)
    except BaseException:  # the parent runs it again and reports what happens
        found = None
    send.send(found)
    send.close()
