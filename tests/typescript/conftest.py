"""Fixtures of the TypeScript client tests: `node` and the pinned `tsc`.

Every test that needs `node`, `npm` or the compiler is skipped, with the reason, when they are
missing or when installing TypeScript from the npm registry fails (no network), so the suite
passes on a machine without Node.js.
"""

from __future__ import annotations

import shutil

import pytest

from generator.render.typescript import TYPESCRIPT_VERSION
from tests.typescript.helpers import Tsc, cache_root, install_typescript


@pytest.fixture(scope="session")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.skip("Node.js (`node`) is not on PATH: the TypeScript client tests need it")
    return found


@pytest.fixture(scope="session")
def tsc(node: str) -> Tsc:
    """TypeScript $TYPESCRIPT_VERSION from the npm registry, installed once per machine."""
    target = cache_root() / f"typescript-{TYPESCRIPT_VERSION}"
    script = target / "node_modules" / "typescript" / "bin" / "tsc"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not on PATH: cannot install TypeScript for the TS client tests")
        problem = install_typescript(npm, target)
        if problem is not None or not script.is_file():
            pytest.skip(f"npm install typescript@{TYPESCRIPT_VERSION} failed: {problem}")
    compiler = Tsc(node, script)
    version = compiler.run("--version", timeout=60)
    assert version.stdout.strip() == f"Version {TYPESCRIPT_VERSION}", version.stdout
    return compiler
