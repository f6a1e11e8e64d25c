"""End-to-end fixtures: the generated packages on sys.path, live uvicorn servers, counters.

The packages under `generated/` (`braintrust`, `martian`) are not installed; they are made
importable here by putting `<repo>/generated` at the front of `sys.path`. Everything in this
directory drives the GENERATED client against the GENERATED server, with small handlers
written in the tests: nothing is mocked.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

Serve = Callable[[Any], str]


class _LiveServer:
    """A uvicorn server on 127.0.0.1, on an already bound socket, in a background thread."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Serve]:
    """`serve(app)` starts `app` on a free 127.0.0.1 port and returns its base URL; every
    server started is stopped at teardown."""
    servers: list[_LiveServer] = []

    def start(app: Any) -> str:
        live = _LiveServer(app)
        servers.append(live)
        live.start()
        return live.base_url

    yield start
    for live in servers:
        live.stop()


@pytest.fixture
def closed_port() -> int:
    """A 127.0.0.1 port nobody listens on (bound then released): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class CountingTransport(httpx.HTTPTransport):
    """The real httpx transport, counting the requests it was asked to send."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return super().handle_request(request)


class AsyncCountingTransport(httpx.AsyncHTTPTransport):
    """The real async httpx transport, counting the requests it was asked to send."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        return await super().handle_async_request(request)


@pytest.fixture
def counting_transport() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
def async_counting_transport() -> AsyncCountingTransport:
    return AsyncCountingTransport()
