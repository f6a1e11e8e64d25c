"""Functional-test fixtures: the real `specgen` CLI in a subprocess, nothing mocked.

Every test runs `python -m generator ...` with the interpreter running pytest, against real
files (the repository's specs, the shared seed pages, or small specs written to tmp_path).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

Specgen = Callable[..., subprocess.CompletedProcess[str]]


def run_specgen(
    *args: str | Path,
    cwd: Path = REPO,
    env: Mapping[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `cwd`; `env` entries are added to the inherited environment."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def specgen() -> Specgen:
    """Run the real CLI: `specgen("generate", "a.yaml", "--name", "x", cwd=tmp_path)`."""
    return run_specgen
