"""Both generated servers of a small inline spec, answered by the generated mock.

`mock_package` generates a spec with the styles fastapi, flask and mock (`MockHandlers`
answers every operation from the spec, so a test needs no handlers of its own), imports it
and yields its `mock` module; `clients` gives an httpx client per server: FastAPI over a
socket (uvicorn), Flask in process (WSGI).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx

from tests.e2e.conftest import Serve
from tests.functional.conftest import run_specgen

STYLES = ("--style", "fastapi", "--style", "flask", "--style", "mock")


def mock_package(
    folder: Path, spec: str, name: str, layout: str = "module", styles: tuple[str, ...] = ()
) -> Iterator[ModuleType]:
    """Generate `spec` (YAML text) as package `name` in `folder` (with `styles` besides
    fastapi, flask and mock) and yield its mock module; the package leaves sys.path and
    sys.modules afterwards."""
    path = folder / f"{name}.yaml"
    path.write_text(spec, "utf-8")
    out = folder / "out"
    more = [arg for style in styles for arg in ("--style", style)]
    result = run_specgen(
        "generate", path, "--name", name, "--out", out, "--layout", layout, *STYLES, *more
    )
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(f"{name}.mock")
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


def clients(mock: ModuleType, serve: Serve) -> dict[str, httpx.Client]:
    """An httpx client per generated server of the mock package."""
    return {
        "fastapi": httpx.Client(base_url=serve(mock.create_app())),
        "flask": httpx.Client(
            transport=httpx.WSGITransport(app=mock.create_flask_app()),
            base_url="http://flask",
        ),
    }
