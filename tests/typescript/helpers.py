"""Helpers of the TypeScript client tests: building the seed APIs, writing packages, the
pinned TypeScript compiler, and serving a Python app on a local socket.

TypeScript comes from the npm registry, installed once into a cache folder outside the
repository (`$SPECGEN_TS_CACHE`, else `$XDG_CACHE_HOME/specgen-ts` or `~/.cache/specgen-ts`),
one folder per version (see `tsc` in conftest.py).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import uvicorn

from generator.build.api import build_api
from generator.config import load_config
from generator.ir.model import Api
from generator.pipeline import Options, load_and_validate
from generator.render.typescript import TYPESCRIPT_VERSION, render_typescript_client

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"  # the generated Python packages (not installed)
FULL_SPEC = REPO.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"
SEEDS = ("martian", "braintrust")


def build(name: str, specs: Sequence[Path], *, allow_invalid: bool = False) -> Api:
    """The IR of one API, as `generator.pipeline.render_api` builds it."""
    spec, validated, _ = load_and_validate(specs, Options(), allow_invalid=allow_invalid)
    return build_api(name, validated.document, spec)


@cache
def seed_api(name: str) -> Api:
    config = {c.name: c for c in load_config(REPO / "pyproject.toml").apis}[name]
    return build(config.name, config.specs, allow_invalid=config.allow_invalid)


def write_files(files: dict[str, str], folder: Path) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return folder


def write_package(api: Api, folder: Path, layout: str = "module") -> Path:
    return write_files(render_typescript_client(api, layout=layout), folder)


def cache_root() -> Path:
    configured = os.environ.get("SPECGEN_TS_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen-ts"


class Tsc:
    """The pinned compiler, run through node."""

    def __init__(self, node: str, script: Path) -> None:
        self.node = node
        self.script = script

    def run(self, *args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.node, str(self.script), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def check(self, project: Path, *args: str | Path) -> None:
        """`tsc -p project ...` must succeed; its diagnostics are the failure message."""
        result = self.run("-p", project, *args)
        assert result.returncode == 0, f"tsc -p {project} failed:\n{result.stdout}{result.stderr}"


def install_typescript(npm: str, target: Path) -> str | None:
    """Install typescript into `target`; the error text when that fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".install-", dir=target.parent))
    try:
        result = subprocess.run(
            [
                *(npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund"),
                *("--fetch-retries=1", "--loglevel=error", f"typescript@{TYPESCRIPT_VERSION}"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        return str(exc)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        lines = (result.stderr or result.stdout).strip().splitlines()
        return " | ".join(lines[:3])[:400]  # npm puts the error code and cause first
    try:
        staging.rename(target)  # atomic: a concurrent run may have won, which is as good
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return None


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn on an already bound 127.0.0.1 socket, in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
