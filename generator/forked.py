"""Work done in a forked child process while this one goes on, so that one API's run uses
a second core: openapi-spec-validator's pass, datamodel-code-generator's models. A `Spare`
child is forked before its work is known, to import what the work needs meanwhile.

The child inherits its input through fork (nothing is pickled on the way in) and sends its
result back through a pipe. Where no child can be had (one core, no fork, a pool worker whose
siblings hold the other cores, out of processes) or the child dies or raises, the work runs
here when its result is asked for: the result is the same either way, and an exception is
raised here, where the run reports it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_FORK = "fork" in multiprocessing.get_all_start_methods()
_IN_POOL = False  # set in the worker processes of pipeline._render_in_pool
_FAILED = ("specgen: the work failed in the child",)  # then it runs again here
_WARM = "specgen: warm up"  # what a deferred spare child waits for (or the work)


def cores() -> int:
    """Processes to work in: $SPECGEN_JOBS, else the cores this process may use."""
    explicit = os.environ.get("SPECGEN_JOBS", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def pool_context() -> BaseContext:
    """The context for a process pool: forked workers where the platform forks (they start
    with what this process has imported and compiled), else its default."""
    return multiprocessing.get_context("fork" if _FORK else None)


def in_pool_worker() -> None:
    """A pool worker's initializer: its siblings hold the other cores, so no children."""
    global _IN_POOL
    _IN_POOL = True


def spare_core() -> bool:
    """Whether a forked child would have a core of its own to run on."""
    return _FORK and cores() > 1 and not _IN_POOL


class Forked(Generic[T]):
    """`work()`, computed in a forked child when `fork`, else when `result` is asked for."""

    def __init__(self, work: Callable[[], T], *, fork: bool) -> None:
        self._work = work
        self._done = False
        self._value: T | None = None
        self._conn: Connection | None = None
        self._child: Any = None
        self.forked = False  # whether a child took the work
        if fork and _FORK and not multiprocessing.current_process().daemon:
            context = multiprocessing.get_context("fork")
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_run, args=(work, send), daemon=True)
            try:
                _start(child)
            except OSError:  # out of processes or memory: do it here later
                receive.close()
                return
            finally:
                send.close()
            self._conn, self._child, self.forked = receive, child, True

    @classmethod
    def adopt(cls, work: Callable[[], T], conn: Connection, child: Any) -> Forked[T]:
        """The result of `work` that `child` computes and sends on `conn`."""
        job = cls(work, fork=False)
        job._conn, job._child, job.forked = conn, child, True
        return job

    def result(self) -> T:
        if not self._done and self._conn is not None:
            try:
                sent = self._conn.recv()
            except (EOFError, OSError):  # the child died: do it here
                sent = _FAILED
            finally:
                self._conn.close()
                self._child.join()
                self._conn = self._child = None
            if sent != _FAILED:
                self._value, self._done = sent, True
        if not self._done:
            self._value, self._done = self._work(), True
        return self._value  # type: ignore[return-value]  # set above: T may include None

    def cancel(self) -> None:
        """Stop a child whose result nobody will ask for."""
        if self._child is not None:
            self._child.kill()
            self._child.join()
        if self._conn is not None:
            self._conn.close()
        self._conn = self._child = None


class Spare:
    """A child forked ahead of its work: it runs `warm()` (imports) on another core while
    this process computes the work's input, then does the one piece of work `submit` sends
    (a function and arguments, pickled)."""

    def __init__(self, warm: Callable[[], object], *, deferred: bool = False) -> None:
        """`deferred`: the child waits for `warm_up` (or the work) before it warms up, so
        that a run that will send no work spends nothing on it."""
        self._conn: Connection | None = None
        self._child: Any = None
        self._waiting = deferred
        if not _FORK or multiprocessing.current_process().daemon:
            return
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe(duplex=True)
        args = (warm, theirs, mine, deferred)
        child = context.Process(target=_serve, args=args, daemon=True)
        try:
            _start(child)
        except OSError:
            mine.close()
            return
        finally:
            theirs.close()
        self._conn, self._child = mine, child

    def warm_up(self) -> None:
        """Start a deferred child's warm-up now (once; nothing for a child that warms up
        as it starts)."""
        if self._waiting and self._conn is not None:
            self._waiting = False
            try:
                self._conn.send(_WARM)
            except OSError:  # the child is gone: `submit` finds out and works here
                pass

    def submit(self, work: Callable[..., T], *args: Any) -> Forked[T]:
        """`work(*args)`, pending in the spare child (or here, if it cannot take it)."""
        here: Callable[[], T] = partial(work, *args)
        conn, child = self._conn, self._child
        self._conn = self._child = None
        if conn is None:
            return Forked(here, fork=False)
        try:
            conn.send((work, args))
        except Exception:  # not picklable, or the child is gone: do it here
            conn.close()
            child.kill()
            child.join()
            return Forked(here, fork=False)
        return Forked.adopt(here, conn, child)

    def close(self) -> None:
        """Stop a spare child that will get no work."""
        if self._child is not None:
            self._child.kill()
            self._child.join()
        if self._conn is not None:
            self._conn.close()
        self._conn = self._child = None


def _start(child: Any) -> None:
    """Fork `child` with this process's objects out of the collector's sight: the child's
    collections then leave the pages it shares with this process alone (no copies)."""
    gc.freeze()
    try:
        child.start()
    finally:
        gc.unfreeze()


def _serve(
    warm: Callable[[], object], conn: Connection, parents: Connection, deferred: bool
) -> None:
    parents.close()  # else a parent that dies unheard leaves this child waiting forever
    try:
        message: Any = conn.recv() if deferred else _WARM
        if message == _WARM:
            try:
                warm()
            except BaseException:  # only a head start: the work will find out
                pass
            message = conn.recv()
    except (EOFError, OSError):
        return
    work, args = message
    _run(partial(work, *args), conn)


def _run(work: Callable[[], Any], send: Connection) -> None:
    try:
        value = work()
    except BaseException:  # the parent runs it again and reports what happens
        value = _FAILED
    send.send(value)
    send.close()
