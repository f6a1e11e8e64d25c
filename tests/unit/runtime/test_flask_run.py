"""generator/runtime/python/_flask_runtime.py's `run`: a handler's coroutine run to completion
from a synchronous view, as a task of its thread's event loop. Most handlers never wait, and
their task's first step runs at once, outside `run_forever`; these tests hold that step to
what a pass of the loop gives a task (a running loop, a current task, the async generator
hooks), and the loop to what it did for the tasks and callbacks handlers leave behind."""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest
from flask import Request
from werkzeug.test import EnvironBuilder

from generator.runtime.python import _flask_loop as loops
from generator.runtime.python import _flask_runtime as rt


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """This thread's loop, as `run` makes it; dropped afterwards (the next test gets its
    own, and the thread's locals do not keep this one)."""

    async def running() -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    yield rt.run(running())
    del loops._thread.current


def test_a_handler_that_never_waits_runs_as_the_current_task_of_a_running_loop(
    loop: asyncio.AbstractEventLoop,
) -> None:
    seen: dict[str, Any] = {}

    async def handler() -> str:
        seen["loop"] = asyncio.get_running_loop()
        seen["running"] = loop.is_running()
        seen["task"] = asyncio.current_task()
        seen["hooks"] = sys.get_asyncgen_hooks()
        async with asyncio.timeout(5):  # needs the current task
            pass
        with anyio.fail_after(5):
            pass
        return "done"

    hooks = sys.get_asyncgen_hooks()
    assert rt.run(handler()) == "done"
    assert seen["loop"] is loop and seen["running"]
    task = seen["task"]
    assert isinstance(task, asyncio.Task) and task.done() and task.get_loop() is loop
    assert seen["hooks"].firstiter is not None and seen["hooks"].finalizer is not None
    # Nothing of the step is left set once it is done.
    assert asyncio._get_running_loop() is None and not loop.is_running()
    assert sys.get_asyncgen_hooks() == hooks


def test_a_handler_that_waits_runs_on_with_the_loop(loop: asyncio.AbstractEventLoop) -> None:
    async def handler() -> list[Any]:
        task = asyncio.current_task()
        await asyncio.sleep(0)
        future = loop.create_future()
        loop.call_later(0.01, future.set_result, "later")
        got = [await future]
        try:
            async with asyncio.timeout(0.01):
                await asyncio.sleep(5)
        except TimeoutError:
            got.append("timed out")
        with anyio.move_on_after(0.01):
            await anyio.sleep(5)
        got.append(asyncio.current_task() is task)
        return got

    assert rt.run(handler()) == ["later", "timed out", True]


def test_an_exception_and_a_cancellation_reach_the_caller(
    loop: asyncio.AbstractEventLoop,
) -> None:
    async def fails() -> None:
        raise LookupError("no such thing")

    async def cancelled() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        await asyncio.sleep(0)

    with pytest.raises(LookupError, match="no such thing"):
        rt.run(fails())
    with pytest.raises(asyncio.CancelledError):
        rt.run(cancelled())

    async def fine() -> int:
        return 1

    assert rt.run(fine()) == 1  # the loop is still usable


def test_what_a_handler_leaves_ready_runs_before_the_answer(
    loop: asyncio.AbstractEventLoop,
) -> None:
    ran: list[str] = []

    async def background() -> None:
        ran.append("task")

    async def handler() -> asyncio.Task[None]:
        loop.call_soon(ran.append, "callback")
        return asyncio.create_task(background())

    task = rt.run(handler())
    assert task.done() and sorted(ran) == ["callback", "task"]


def test_tasks_left_waiting_on_io_progress_when_a_later_handler_runs(
    loop: asyncio.AbstractEventLoop,
) -> None:
    """A task a handler left waiting for a socket gets its data in the next request, even
    one whose handler never waits: the loop still runs a pass where it watches I/O."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    received: list[bytes] = []

    async def listen() -> None:
        received.append(await loop.sock_recv(reader, 16))

    async def starts() -> asyncio.Task[None]:
        return asyncio.create_task(listen())

    async def quick() -> None:
        pass

    try:
        listener = rt.run(starts())
        assert not listener.done()
        writer.send(b"ping")
        rt.run(quick())
        assert received == [b"ping"] and listener.done()
    finally:
        reader.close()
        writer.close()


def test_a_loop_that_remade_its_timer_heap_runs_no_pass_once_its_timers_are_gone(
    loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """asyncio makes its list of timers anew when most are cancelled: whether a pass is
    needed is read from the list it has now."""

    async def cancels_many() -> None:
        for handle in [loop.call_later(60, print) for _ in range(200)]:
            handle.cancel()

    rt.run(cancels_many())  # the pass after it drops them, in a new list
    passes: list[asyncio.AbstractEventLoop] = []
    monkeypatch.setattr(loops, "_one_pass", passes.append)

    async def quick() -> int:
        return 1

    assert rt.run(quick()) == 1
    assert passes == []


def test_an_async_generator_is_finalised_by_the_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Started in a handler's first step, an async generator has the loop's finaliser:
    left unfinished, it is closed on the loop (its `finally` may await)."""
    closed: list[str] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            yield 1
            yield 2
        finally:
            await asyncio.sleep(0)
            closed.append("closed")

    async def handler() -> int:
        return await anext(numbers())  # dropped after one item

    assert rt.run(handler()) == 1
    for _ in range(3):
        rt.run(asyncio.sleep(0))
    assert closed == ["closed"]


def test_inside_a_running_loop_run_refuses_and_leaves_that_loop_alone() -> None:
    async def nested() -> None:
        async def inner() -> None:
            pass

        coroutine = inner()
        with pytest.raises(RuntimeError):
            rt.run(coroutine)
        coroutine.close()
        await asyncio.sleep(0)  # this loop still runs

    asyncio.run(nested())


def test_each_thread_runs_its_own_loop() -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def which() -> None:
        loops.append(asyncio.get_running_loop())

    def worker() -> None:
        rt.run(which())
        rt.run(which())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(loops) == 4 and loops[0] is loops[1] and loops[2] is loops[3]
    assert loops[0] is not loops[2]


@pytest.mark.parametrize(
    "name", ["Authorization", "authorization", "X-API-Key", "x-api-key", "Content-Type"]
)
def test_credential_headers_are_read_as_the_request_reads_them(name: str) -> None:
    headers = [("Authorization", "Bearer t"), ("X-Api-Key", "k"), ("Content-Type", "a/b")]
    request = Request(EnvironBuilder(headers=headers).get_environ())
    assert rt._header(request.environ, name) == request.headers.get(name)
    assert rt._header(request.environ, "X-Absent") is None
