"""The committed generated code and specgen itself pass ruff and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def test_generated_code_passes_ruff() -> None:
    result = run(sys.executable, "-m", "ruff", "check", "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_is_ruff_formatted() -> None:
    result = run(sys.executable, "-m", "ruff", "format", "--check", "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_passes_mypy_strict() -> None:
    packages = sorted(p.name for p in (ROOT / "generated").iterdir() if (p / "__init__.py").is_file())
    assert packages
    args = [arg for name in packages for arg in ("-p", name)]
    result = run(sys.executable, "-m", "mypy", "--strict", *args, cwd=ROOT / "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_specgen_passes_ruff_and_mypy_strict() -> None:
    lint = run(sys.executable, "-m", "ruff", "check", "generator")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    types = run(sys.executable, "-m", "mypy")  # [tool.mypy] in pyproject: strict, generator/
    assert types.returncode == 0, types.stdout + types.stderr
