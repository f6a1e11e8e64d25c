"""Fixtures of the reference-server tests: import paths, live uvicorn servers, the database.

`reference` (the project root) and the generated packages (`generated/`) are not installed;
they are put on `sys.path` here, as `specgen serve` does. Nothing is mocked: the GENERATED
clients talk to the reference servers, and stored data is read back with `sqlite3`.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import uvicorn

REPO = Path(__file__).resolve().parents[2]
for folder in (REPO / "generated", REPO):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

Serve = Callable[[Any], str]
Query = Callable[..., list[tuple[Any, ...]]]


class LiveServer:
    """A uvicorn server on 127.0.0.1, on an already bound socket, in a background thread."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def start(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def serve() -> Iterator[Serve]:
    """`serve(app)` runs `app` on a free 127.0.0.1 port and returns its base URL."""
    servers: list[LiveServer] = []

    def start(app: Any) -> str:
        servers.append(LiveServer(app))
        return servers[-1].start()

    yield start
    for live in servers:
        live.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "feedback.sqlite3"


@pytest.fixture
def query(db_path: Path) -> Query:
    """`query(sql, *params)`: rows read straight from the server's SQLite file (a separate
    connection, as any other reader would open it)."""

    def run(sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(db_path)) as db:
            return db.execute(sql, params).fetchall()

    return run


@pytest.fixture
def close_stores() -> Iterator[list[Any]]:
    """Apps appended here have their store closed at teardown."""
    apps: list[Any] = []
    yield apps
    for app in apps:
        app.state.store.close()
