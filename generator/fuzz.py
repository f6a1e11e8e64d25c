"""Contract fuzzing: schemathesis against a live URL or an app served from this process.

Apps may be ASGI (FastAPI) or WSGI (Flask); uvicorn serves both.

The fuzzer is schemathesis's own runner (`st run`: examples, coverage, fuzzing and stateful
phases, every check, JUnit reports), pointed at the contract as specgen reads it: the bundled
document with version mixes resolved, written to a temporary file. An app given as
`module:factory` is served on 127.0.0.1 by uvicorn in a background thread for the run.
"""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from generator.build.jsonschema import contract_document
from generator.build.servers import build_servers
from generator.commands.common import install_hint
from generator.diagnostics import SpecError, error
from generator.pipeline import Options, load_and_validate

ALL_CHECKS = "all"


@dataclass(frozen=True)
class FuzzSettings:
    max_examples: int = 100
    seed: int | None = None
    headers: tuple[str, ...] = ()  # "Name: value"
    junit: Path | None = None
    checks: str = ALL_CHECKS
    workers: int = 1
    extra_args: tuple[str, ...] = field(default=())


def write_contract(specs: Sequence[Path], options: Options, folder: Path) -> Path:
    """The contract of `specs` as one JSON file in `folder`."""
    _, validated, _ = load_and_validate(specs, options)
    path = folder / "contract.json"
    path.write_text(json.dumps(contract_document(validated.document)), "utf-8")
    return path


def load_app(target: str, paths: Sequence[Path] = ()) -> Any:
    """`module:attribute`: an ASGI app, or a factory called without arguments. `paths` (and
    the working directory) are put on sys.path first."""
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise SpecError(
            [error("SG620", f"--app {target!r} is not module:factory", "e.g. app:create")]
        )
    for folder in reversed((Path.cwd(), *paths)):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module(module_name)
        obj = getattr(module, attribute)
    except ImportError as exc:
        hint = install_hint(exc) or "run from the folder the module is in, or fix its imports"
        message = f"cannot load --app {target!r}: {exc}"
        raise SpecError([error("SG620", message, hint)]) from None
    except AttributeError as exc:
        raise SpecError([error("SG620", f"cannot load --app {target!r}: {exc}", "")]) from None
    if callable(obj) and not _is_asgi_app(obj):
        obj = obj()
    return obj


def _is_asgi_app(obj: Any) -> bool:
    # Apps are callables too; tell them from factories by what they carry.
    return hasattr(obj, "router") or hasattr(obj, "routes") or _is_wsgi_app(obj)


def _is_wsgi_app(obj: Any) -> bool:
    return hasattr(obj, "wsgi_app")  # Flask and Werkzeug apps


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 for the duration of the block; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="error",
        lifespan="off",
        interface="wsgi" if _is_wsgi_app(app) else "auto",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SpecError([error("SG621", "the app did not start serving", "")])
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def schemathesis_command(contract: Path, base_url: str, settings: FuzzSettings) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(contract),
        "--url",
        base_url,
        "--checks",
        settings.checks,
        "--max-examples",
        str(settings.max_examples),
        "--workers",
        str(settings.workers),
        "--no-color",
        "--generation-database",
        "none",
    ]
    if settings.seed is not None:
        command += ["--seed", str(settings.seed)]
    for header in settings.headers:
        command += ["--header", header]
    if settings.junit is not None:
        command += ["--report", "junit", "--report-junit-path", str(settings.junit)]
    return [*command, *settings.extra_args]


def run_fuzz(contract: Path, base_url: str, settings: FuzzSettings) -> int:
    """Run schemathesis; its output goes to ours. 0: no failure; 1: failures; 2: error."""
    result = subprocess.run(schemathesis_command(contract, base_url, settings), check=False)
    return result.returncode if result.returncode in (0, 1) else 2


def fuzz(
    specs: Sequence[Path],
    options: Options,
    settings: FuzzSettings,
    *,
    app: str | None = None,
    url: str | None = None,
    import_paths: Sequence[Path] = (),
) -> int:
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as tmp:
        contract = write_contract(specs, options, Path(tmp))
        if url is not None:
            return run_fuzz(contract, url, settings)
        assert app is not None
        # The generated servers mount the routes under the spec's base path by default.
        servers = build_servers(json.loads(contract.read_text("utf-8")))
        base_path = servers[0].base_path if servers else ""
        with serve_in_thread(load_app(app, import_paths)) as base_url:
            return run_fuzz(contract, base_url + base_path, settings)
