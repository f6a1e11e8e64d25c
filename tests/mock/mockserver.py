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
    process: subprocess.Popen[bytes]
    log: Path  # what the mock printed (uvicorn's log, diagnostics)


@contextmanager
def mock_server(
    specs: Sequence[Path | str],
    *args: str,
    cache: Path,
    log: Path | None = None,
    timeout: float = 120,
) -> Iterator[Mock]:
    """Run `specgen mock SPECS ARGS` until it answers (a cold cache generates the package
    first); stop it on exit. Its output goes to `log` (a file, never a pipe nobody reads)."""
    port = free_port()
    env = {**os.environ, "SPECGEN_MOCK_CACHE": str(cache)}
    log = log or cache / f"mock-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*specgen_command(), "mock", *map(str, specs), "--port", str(port), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        mock = Mock(f"http://127.0.0.1:{port}", process, log)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    output = log.read_text("utf-8", "replace")
                    raise AssertionError(f"specgen mock exited {process.returncode}:\n{output}")
                try:
                    httpx.get(mock.url + "/openapi.json", timeout=2)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        raise AssertionError("specgen mock did not start serving") from None
                    time.sleep(0.1)
            yield mock
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
