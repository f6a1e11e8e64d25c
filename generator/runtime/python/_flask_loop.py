"""Handler coroutines run to completion from synchronous (WSGI) code: each worker
thread keeps one event loop, and a handler's task takes its first step at once on it,
as Python 3.12's eager tasks do, with a pass of the loop only where it has anything
else to do. This reads internals of asyncio's selector loop (looked up once per loop,
`_Inside`); any other loop, or an asyncio without them, gets the plain pass."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections import deque
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar

__all__ = ["run"]

T = TypeVar("T")


class _ThreadLoop:
    """One thread's event loop. The thread's locals drop it when the thread ends, and
    then it is closed at once (the loop is in reference cycles: otherwise only the
    garbage collector would free its file descriptors, with a ResourceWarning)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        # What `_first_step` and `_busy` read, looked up once: None for a loop other
        # than asyncio's selector loop (uvloop...) or an asyncio without them.
        self.inside = _Inside.of(self.loop)

    def __del__(self) -> None:
        if not self.loop.is_running():
            self.loop.close()


class _Inside:
    """The internals of asyncio's selector loop that `run_forever` reads and sets (none
    of them asyncio's API) that stay the same object for the loop's life, kept (not
    `_scheduled`: the loop makes it anew when most of its timers are cancelled)."""

    def __init__(self, loop: Any) -> None:
        self.loop: Any = loop
        self.ready: deque[Any] = loop._ready
        # The selector's own table of what it watches (its `get_map()` reads it).
        self.watched: Mapping[Any, Any] = loop._selector._fd_to_key
        self.firstiter = loop._asyncgen_firstiter_hook
        self.finalizer = loop._asyncgen_finalizer_hook
        for name in ("_thread_id", "_debug", "_task_factory", "_scheduled"):  # per run
            getattr(loop, name)

    @classmethod
    def of(cls, loop: asyncio.AbstractEventLoop) -> _Inside | None:
        if not isinstance(loop, asyncio.SelectorEventLoop):
            return None
        try:
            return cls(loop)
        except AttributeError:  # another Python's asyncio: the plain pass
            return None


_thread = threading.local()


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a handler coroutine to completion from a synchronous view.

    Each worker thread keeps one event loop for all its requests (not one per request),
    so handlers may keep loop-bound resources (async database pools, httpx.AsyncClient)
    across requests; a server with a thread per request still gets a fresh loop per
    request. The coroutine runs as a task of that loop (`asyncio.current_task()`, which
    `asyncio.timeout`, anyio and httpx need). Tasks a handler leaves running only
    progress while a later request on that thread runs the loop.
    """
    current: _ThreadLoop | None = getattr(_thread, "current", None)
    if current is None:
        current = _thread.current = _ThreadLoop()
    loop = current.loop
    if asyncio._get_running_loop() is not None:  # raises as it should, loop untouched
        return loop.run_until_complete(coroutine)
    inside = current.inside
    task = _task(loop, inside, coroutine)
    try:
        # Most handlers are done in their task's first step, run at once; the loop
        # runs a pass where it has anything else to do (other tasks' I/O and timers,
        # what the handler left ready), on for a task that waits, and once more for
        # callbacks a pass made ready (as `run_until_complete`'s last pass would).
        if (
            inside is None
            or not _first_step(inside, task)
            or (task.done() and _busy(inside))
        ):
            _one_pass(loop)
        if not task.done():
            return loop.run_until_complete(task)
        if inside is None or inside.ready:
            _one_pass(loop)
    except BaseException:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: no "never retrieved" log at collection
        raise
    return task.result()


def _task(
    loop: asyncio.AbstractEventLoop,
    inside: _Inside | None,
    coroutine: Coroutine[Any, Any, T],
) -> asyncio.Task[T]:
    # What `create_task` makes without a task factory or debug mode, without its
    # checks (a closed loop refuses the task's first step all the same).
    if inside is None or inside.loop._task_factory is not None or inside.loop._debug:
        return loop.create_task(coroutine)
    return asyncio.Task(coroutine, loop=loop)


def _one_pass(loop: asyncio.AbstractEventLoop) -> None:
    # `stop` before `run_forever`: poll once, run the callbacks ready, return.
    loop.stop()
    loop.run_forever()


def _first_step(inside: _Inside, task: asyncio.Task[Any]) -> bool:
    """Run the first step of `task`, just created, here and now, as a pass of the loop
    would run it: with the loop running and its async generator hooks set. What Python
    3.12's eager tasks do on a running loop, for a loop that is not running yet; a pass
    (a poll, a callback, the loop's own bookkeeping) costs more than most handlers' own
    work. False, having done nothing, in debug mode, or if the task's step is not the
    last callback ready.
    """
    loop = inside.loop
    ready = inside.ready
    if loop._debug or loop._thread_id is not None or not ready:
        return False
    step = ready[-1]
    if getattr(step._callback, "__self__", None) is not task:
        return False
    ready.pop()
    hooks = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(inside.firstiter, inside.finalizer)
    loop._thread_id = threading.get_ident()
    asyncio._set_running_loop(loop)
    try:
        # The task's step as `Handle._run` calls it: in the task's context; it raises
        # nothing but what a pass would let through (SystemExit, KeyboardInterrupt).
        step._context.run(step._callback, *step._args)
    finally:
        asyncio._set_running_loop(None)
        loop._thread_id = None
        sys.set_asyncgen_hooks(*hooks)
    return True


def _busy(inside: _Inside) -> bool:
    """Whether a pass of the loop would do anything: callbacks ready, timers, or I/O
    watched besides its own self-pipe."""
    return bool(inside.ready or inside.loop._scheduled or len(inside.watched) > 1)
