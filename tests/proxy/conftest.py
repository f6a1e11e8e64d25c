"""Fixtures of the proxy tests: a real upstream served on 127.0.0.1 in a thread, and the real
`specgen proxy` command as a subprocess on a free port (`--port 0`: it prints the one it got).
Nothing is mocked.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

REPO = Path(__file__).resolve().parents[2]
for folder in (REPO / "generated", REPO):  # the reference servers, as tests/reference does
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


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


Serve = Callable[[Any], str]


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


def specgen() -> list[str]:
    script = shutil.which("specgen", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from generator.cli import main; main()"]


@dataclass
class Proxy:
    process: subprocess.Popen[str]
    url: str  # the proxy's base URL
    first_line: str

    def finish(self, timeout: float = 30) -> tuple[int, str]:
        """Wait for the proxy to stop (its --max-requests reached, or a signal sent); its exit
        code and the rest of its stderr."""
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err


Start = Callable[..., Proxy]


@pytest.fixture
def start_proxy(tmp_path: Path) -> Iterator[Start]:
    """`start_proxy(spec, "--to", url, ...)`: `specgen proxy` on a free port, once it
    listens."""
    started: list[Proxy] = []

    def start(*args: str | Path) -> Proxy:
        process = subprocess.Popen(
            [*specgen(), "proxy", *map(str, args), "--port", "0"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        first = process.stderr.readline()  # blocks until it listens, or exits
        if "listening on" not in first:
            process.kill()
            _, rest = process.communicate()
            pytest.fail(f"specgen proxy did not start: {first}{rest}")
        url = first.split("listening on ", 1)[1].split(",", 1)[0]
        started.append(Proxy(process, url, first))
        return started[-1]

    yield start
    for proxy in started:
        if proxy.process.poll() is None:
            proxy.process.kill()
            proxy.process.communicate()
