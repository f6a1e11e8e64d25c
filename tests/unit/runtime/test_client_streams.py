"""generator/runtime/python/_client_streams.py as code: SSE streams resumed after a dropped
connection, against a real HTTP server on 127.0.0.1 (http.server, HTTP/1.1 chunked) whose
answers each test scripts: a connection that drops after some events (the socket closed
before the last chunk, which httpx reports as a transport error), then the request again with
the `Last-Event-ID` it carries. Sync and async clients."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from generator.runtime.python import _client_runtime as rt
from generator.runtime.python import _client_streams as rs

Answer = Callable[["_Handler"], None]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        self.server.seen.append((self.command, self.headers.get("Last-Event-ID")))
        answers = self.server.answers
        answers[min(len(self.server.seen), len(answers)) - 1](self)

    do_GET = do_POST = _answer

    def start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end(self) -> None:
        self.wfile.write(b"0\r\n\r\n")

    def drop(self) -> None:
        """Close the connection mid-body: no last chunk."""
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answers: list[Answer]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers = answers
        self.seen: list[tuple[str, str | None]] = []  # (method, Last-Event-ID) per request


def events(*frames: str, then: str = "drop") -> Answer:
    def answer(handler: _Handler) -> None:
        handler.start_stream()
        for frame in frames:
            handler.chunk(frame)
        if then == "end":
            handler.end()
        else:
            handler.drop()

    return answer


def status(code: int) -> Answer:
    def answer(handler: _Handler) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


@pytest.fixture
def serve() -> Iterator[Callable[[list[Answer]], _Server]]:
    servers: list[_Server] = []

    def start(answers: list[Answer]) -> _Server:
        server = _Server(answers)
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


DECLARED = (
    rt.Declared(200, 200, None, (("text/event-stream", "events", int),)),
    rt.Declared(404, 404, rt.ApiError, ()),
)
POLICY = rt.RetryPolicy(reconnect_delay=0.01, backoff=0.01)


def _call(method: str = "GET") -> rt.Call:
    return rt.Call(method, "/events", idempotent=method == "GET")


def _url(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _read(server: _Server, method: str = "GET", policy: rt.RetryPolicy = POLICY) -> list[Any]:
    with httpx.Client(base_url=_url(server), timeout=5) as http:
        transport = rt.Transport(http, rt.Credentials({}), policy)
        stream = rs.open_stream(transport, _call(method), DECLARED)
        assert isinstance(stream, rs.Stream)
        return [(e.data, e.id) for e in stream.events()]


def _aread(server: _Server, method: str = "GET", policy: rt.RetryPolicy = POLICY) -> list[Any]:
    async def run() -> list[Any]:
        async with httpx.AsyncClient(base_url=_url(server), timeout=5) as http:
            transport = rt.AsyncTransport(http, rt.Credentials({}), policy)
            stream = await rs.aopen_stream(transport, _call(method), DECLARED)
            assert isinstance(stream, rs.AsyncStream)
            return [(e.data, e.id) async for e in stream.events()]

    return asyncio.run(run())


READERS = pytest.mark.parametrize("read", [_read, _aread], ids=["sync", "async"])


@READERS
def test_a_dropped_get_stream_resumes_after_the_last_event_id(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve(
        [
            events("retry: 200\nid: 1\ndata: 1\n\n", "id: 2\ndata: 2\n\n"),
            events("id: 3\ndata: 3\n\n", "data: 4\n\n", then="end"),
        ]
    )
    started = time.monotonic()
    got = read(server)
    assert got == [(1, "1"), (2, "2"), (3, "3"), (4, "3")]
    assert server.seen == [("GET", None), ("GET", "2")]
    assert time.monotonic() - started >= 0.2  # the server's `retry:`, not the default


@READERS
def test_a_post_stream_is_never_sent_again(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve([events("id: 1\ndata: 1\n\n"), events("data: 2\n\n", then="end")])
    with pytest.raises(httpx.RemoteProtocolError):
        read(server, "POST")
    assert server.seen == [("POST", None)]


@READERS
def test_a_204_on_reconnect_ends_the_stream(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve([events("id: 7\ndata: 7\n\n"), status(204)])
    assert read(server) == [(7, "7")]
    assert server.seen == [("GET", None), ("GET", "7")]


@READERS
def test_a_declared_error_on_reconnect_raises_it(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve([events("id: 7\ndata: 7\n\n"), status(404)])
    with pytest.raises(rt.ApiError) as caught:
        read(server)
    assert caught.value.status_code == 404


@READERS
def test_reconnects_are_bounded_when_no_event_comes_between(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve([events("id: 1\ndata: 1\n\n"), events(": nothing yet\n\n")])
    with pytest.raises(httpx.RemoteProtocolError):
        read(server, policy=rt.RetryPolicy(reconnect_delay=0.01, max_reconnects=2))
    assert server.seen == [("GET", None), ("GET", "1"), ("GET", "1")]


@READERS
def test_no_reconnect_after_done_or_with_no_retry(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    done = serve([events("id: 1\ndata: 1\n\n", "data: [DONE]\n\n")])
    assert read(done) == [(1, "1")]
    assert done.seen == [("GET", None)]
    dropped = serve([events("id: 1\ndata: 1\n\n")])
    with pytest.raises(httpx.RemoteProtocolError):
        read(dropped, policy=rt.NO_RETRY)
    assert dropped.seen == [("GET", None)]


@READERS
def test_an_empty_id_resets_what_is_sent_back(
    serve: Callable[[list[Answer]], _Server], read: Any
) -> None:
    server = serve([events("id: 1\ndata: 1\n\n", "id:\ndata: 2\n\n"), status(204)])
    assert read(server) == [(1, "1"), (2, None)]
    assert server.seen == [("GET", None), ("GET", None)]


def test_a_retry_longer_than_the_policy_waits_raises(
    serve: Callable[[list[Answer]], _Server],
) -> None:
    server = serve([events("retry: 9000\nid: 1\ndata: 1\n\n")])
    with pytest.raises(httpx.RemoteProtocolError):
        _read(server, policy=rt.RetryPolicy(max_retry_after=1.0))
    assert len(server.seen) == 1
