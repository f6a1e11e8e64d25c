"""The TypeScript client's form bodies: a client of tests/corpus/uploads.yaml compiled under
tsc --strict and driven by Node (`forms_calls.mjs`) against the generated FastAPI and Flask
servers over a socket: multipart files (`Blob`/`File`), a list of files, a JSON part, typed
text parts, a bad part answered 400, urlencoded forms with repeated and comma-joined keys."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.e2e.test_forms_e2e import _handlers
from tests.functional.conftest import run_specgen
from tests.typescript.helpers import REPO, Tsc, serving

SPEC = REPO / "tests" / "corpus" / "uploads.yaml"
NAME = "ts_forms_e2e"
HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, ModuleType], Path]]:
    out = tmp_path_factory.mktemp("ts_forms")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "typescript")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        modules = {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "server", "flask_server", "_forms")
        }
        yield modules, out / NAME / "typescript"
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


@contextmanager
def _flask(app: Any) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_node_sends_forms_to_the_generated_server(
    node: str, tsc: Tsc, pkg: tuple[dict[str, ModuleType], Path], framework: str
) -> None:
    modules, client = pkg
    tsc.check(client)
    handlers = _handlers(modules)
    if framework == "fastapi":
        served = serving(modules["server"].create_app(handlers))
    else:
        served = _flask(modules["flask_server"].create_app(handlers))
    with served as url:
        config = {"url": url, "module": str(client / "dist" / "index.js")}
        result = subprocess.run(
            [node, "--test", "--test-reporter=spec", str(HERE / "forms_calls.mjs")],
            env={**os.environ, "SPECGEN_TS_FORMS": json.dumps(config), "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
