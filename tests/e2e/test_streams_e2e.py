"""Streamed responses end to end, over real sockets on 127.0.0.1: the generated httpx clients
(sync and async) against the generated FastAPI server (uvicorn) and Flask server (Werkzeug's
threaded server) of tests/corpus/streams.yaml, with handlers that yield typed items.

Items arrive as they are made (the handler waits for the test between two of them), each
typed by the response schema (`Chunk`), by 3.2's `itemSchema` (`Token`), as text, or as JSON
lines; SSE fields (`event`, `id`, `retry`) round-trip; an operation answers JSON or a stream
depending on the request; the server sends keep-alive comments while a handler is silent,
no Content-Length, and closes the handler's iterator when the client goes away. A GET stream
that fails mid-way is resumed by the client with `Last-Event-ID`, which the handler reads
(`request.last_event_id`) to go on after it; a POST stream is never sent again.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from generator.fuzz import serve_in_thread
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "streams.yaml"
NAME = "streams_e2e"
FRAMEWORKS = ("fastapi", "flask")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("streams")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server", "_streams")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


class Probe:
    """What the test and the handlers tell each other across threads."""

    def __init__(self) -> None:
        self.gate = threading.Event()  # the test lets the handler go on
        self.closed = threading.Event()  # the handler's stream was closed
        self.pause = 0.0  # seconds the ticker waits between events
        self.retry = 2500  # the tokens' `retry:`, milliseconds
        self.drop_after: int | None = None  # the token after which the first stream fails
        self.last_event_ids: list[str | None] = []  # what each tokens request resumed from
        self.completions = 0  # streamed completions started


def _handlers(pkg: dict[str, ModuleType], probe: Probe) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    class Streams(h.Handlers):  # type: ignore[misc, name-defined]
        async def complete(self, request: Any) -> Any:
            if not request.body.stream:
                return h.Complete200JsonResponse(body=models.Completion(text="hello world"))
            probe.completions += 1
            drop_after, probe.drop_after = probe.drop_after, None

            async def chunks() -> AsyncIterator[Any]:
                for index, delta in enumerate(["hello", " ", "world"]):
                    yield models.Chunk(index=index, delta=delta)
                    if index == drop_after:
                        raise ConnectionAbortedError("the connection drops")

            return h.Complete200EventsResponse(body=chunks())

        async def stream_tokens(self, request: Any) -> Any:
            probe.last_event_ids.append(request.last_event_id)
            # A resuming client says which token it got last: go on after it.
            start = 0 if request.last_event_id is None else int(request.last_event_id) + 1
            drop_after, probe.drop_after = probe.drop_after, None

            async def tokens() -> AsyncIterator[Any]:
                try:
                    for n in range(start, request.count):
                        token = models.Token(id=n, text=f"t{n}")
                        yield h.Event(data=token, event="token", id=str(n), retry=probe.retry)
                        if n == 0:  # the first token is out before the second is made
                            await asyncio.to_thread(probe.gate.wait, 10)
                        if n == drop_after:  # the server fails mid-stream
                            raise ConnectionAbortedError("the connection drops")
                finally:
                    probe.closed.set()

            return h.StreamTokens200EventsResponse(body=tokens())

        async def ticker(self, request: Any) -> Any:
            async def ticks() -> AsyncIterator[str]:
                yield "line one\nline two"
                await asyncio.sleep(probe.pause)
                yield "done"

            return h.Ticker200EventsResponse(body=ticks())

        async def tail_logs(self, request: Any) -> Any:
            async def lines() -> AsyncIterator[Any]:
                yield models.LogLine(level="info", message="started")
                yield models.LogLine(level="error", message="failed: {x}")

            return h.TailLogs200LinesResponse(body=lines())

    return Streams()


@pytest.fixture(params=FRAMEWORKS)
def served(request: pytest.FixtureRequest, pkg: dict[str, ModuleType]) -> Iterator[Any]:
    probe = Probe()
    handlers = _handlers(pkg, probe)
    if request.param == "fastapi":
        with serve_in_thread(pkg["server"].create_app(handlers)) as url:
            yield url, probe
        return
    server = make_server("127.0.0.1", 0, pkg["flask_server"].create_app(handlers), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", probe
    finally:
        server.shutdown()


def test_json_or_a_stream_as_the_request_asks(pkg: dict[str, ModuleType], served: Any) -> None:
    url, _ = served
    models, client_module = pkg["models"], pkg["client"]
    with client_module.Client(url) as client:
        whole = client.complete(body=models.Prompt(prompt="hi"))
        assert whole == models.Completion(text="hello world")
        with client.complete(body=models.Prompt(prompt="hi", stream=True)) as stream:
            assert isinstance(stream, client_module.rs.Stream)
            chunks = list(stream)
    assert chunks == [
        models.Chunk(index=0, delta="hello"),
        models.Chunk(index=1, delta=" "),
        models.Chunk(index=2, delta="world"),
    ]


def test_items_arrive_as_they_are_made_with_their_sse_fields(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    models = pkg["models"]
    with pkg["client"].Client(url) as client, client.stream_tokens(count=2) as stream:
        events = stream.events()
        started = time.monotonic()
        first = next(events)  # the handler is waiting on the gate: not buffered
        assert time.monotonic() - started < 5 and not probe.gate.is_set()
        assert first.data == models.Token(id=0, text="t0")
        assert (first.event, first.id, first.retry) == ("token", "0", 2500)
        probe.gate.set()
        rest = list(events)
    assert [e.data.id for e in rest] == [1]


def test_the_handler_stream_is_closed_when_the_client_goes_away(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    with pkg["client"].Client(url) as client:
        stream = client.stream_tokens(count=50)
        assert next(iter(stream)).id == 0
        stream.close()
    probe.gate.set()  # the handler goes on, finds nobody listening, and is closed
    assert probe.closed.wait(10), "the handler's iterator was never closed"


def test_text_events_and_json_lines(pkg: dict[str, ModuleType], served: Any) -> None:
    url, _ = served
    models = pkg["models"]
    with pkg["client"].Client(url) as client:
        assert list(client.ticker()) == ["line one\nline two", "done"]
        assert list(client.tail_logs()) == [
            models.LogLine(level="info", message="started"),
            models.LogLine(level="error", message="failed: {x}"),
        ]


def test_the_wire_format(pkg: dict[str, ModuleType], served: Any) -> None:
    url, probe = served
    pkg["_streams"].KEEP_ALIVE = 0.05
    probe.pause = 0.4
    try:
        with httpx.stream("GET", f"{url}/ticker", timeout=10) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            assert "content-length" not in response.headers
            assert response.headers["cache-control"] == "no-cache"
            text = response.read().decode()
    finally:
        pkg["_streams"].KEEP_ALIVE = 15.0
    assert text.startswith("data: line one\ndata: line two\n\n")
    assert ": keep-alive\n\n" in text  # while the handler was silent
    assert text.endswith("data: done\n\n")
    with httpx.stream("GET", f"{url}/logs", timeout=10) as response:
        assert response.headers["content-type"].startswith("application/x-ndjson")
        lines = response.read().decode().splitlines()
    assert lines == [
        '{"level":"info","message":"started"}',
        '{"level":"error","message":"failed: {x}"}',
    ]


def test_the_async_client_streams_too(pkg: dict[str, ModuleType], served: Any) -> None:
    url, probe = served
    models, client_module = pkg["models"], pkg["client"]
    probe.gate.set()

    async def run() -> tuple[list[Any], list[Any], Any]:
        async with client_module.AsyncClient(url) as client:
            tokens = await client.stream_tokens(count=3)
            assert isinstance(tokens, client_module.rs.AsyncStream)
            async with tokens:
                got = [event async for event in tokens.events()]
            chunks = [
                c async for c in await client.complete(body=models.Prompt(prompt="x", stream=True))
            ]
            whole = await client.complete(body=models.Prompt(prompt="x"))
        return got, chunks, whole

    started = time.monotonic()
    got, chunks, whole = asyncio.run(run())
    assert time.monotonic() - started < 10
    assert [(e.data.id, e.event) for e in got] == [(0, "token"), (1, "token"), (2, "token")]
    assert [c.delta for c in chunks] == ["hello", " ", "world"]
    assert whole == models.Completion(text="hello world")


def test_a_dropped_get_stream_resumes_from_the_last_event_id(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    probe.gate.set()
    probe.retry, probe.drop_after = 50, 1
    with pkg["client"].Client(url) as client, client.stream_tokens(count=4) as stream:
        got = [(e.data.id, e.id) for e in stream.events()]
    assert got == [(0, "0"), (1, "1"), (2, "2"), (3, "3")]  # no token lost or repeated
    assert probe.last_event_ids == [None, "1"]


def test_the_async_client_resumes_too(pkg: dict[str, ModuleType], served: Any) -> None:
    url, probe = served
    probe.gate.set()
    probe.retry, probe.drop_after = 50, 0

    async def run() -> list[int]:
        async with pkg["client"].AsyncClient(url) as client:
            async with await client.stream_tokens(count=3) as stream:
                return [token.id async for token in stream]

    assert asyncio.run(run()) == [0, 1, 2]
    assert probe.last_event_ids == [None, "0"]


def test_a_post_stream_that_drops_is_not_sent_again(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    models = pkg["models"]
    probe.drop_after = 0
    with pkg["client"].Client(url) as client:
        stream = client.complete(body=models.Prompt(prompt="hi", stream=True))
        with pytest.raises(httpx.TransportError):
            list(stream)
    assert probe.completions == 1  # a paid completion is never started twice
