"""`specgen mock` as a user runs it: a real subprocess on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "specs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def specgen_command() -> list[str]:
    script = shutil.which("specgen", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "generator"]


@dataclass
class Mock:
    url: str
    process: subprocess.Popen[str]

    def stderr(self) -> str:
        """What the mock printed (only once it has stopped)."""
        _, err = self.process.communicate(timeout=10)
        return err


@contextmanager
def mock_server(
    specs: Sequence[Path | str], *args: str, cache: Path, timeout: float = 120
) -> Iterator[Mock]:
    """Run `specgen mock SPECS ARGS` until it answers; stop it on exit."""
    port = free_port()
    env = {**os.environ, "SPECGEN_MOCK_CACHE": str(cache)}
    process = subprocess.Popen(
        [*specgen_command(), "mock", *map(str, specs), "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    mock = Mock(url, process)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise AssertionError(f"specgen mock exited {process.returncode}: {mock.stderr()}")
            try:
                httpx.get(url + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError("specgen mock did not start serving") from None
                time.sleep(0.1)
        yield mock
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if process.stderr is not None:
            process.stderr.close()
