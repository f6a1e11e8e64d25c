"""The committed generated code and specgen itself pass ruff and mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


# What a team sees in its own repository: no project configuration (`--isolated`), ruff's
# defaults and a broad rule set. Generated files carry their own exemption for spec text.
RULE_SETS = ((), ("--select", "E,F,I,UP,B,RUF,PYI"))


def test_generated_code_passes_ruff_without_configuration() -> None:
    for rules in RULE_SETS:
        result = run(sys.executable, "-m", "ruff", "check", "--isolated", *rules, "generated")
        assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_is_ruff_formatted() -> None:
    result = run(sys.executable, "-m", "ruff", "format", "--isolated", "--check", "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_passes_mypy_strict() -> None:
    packages = sorted(
        p.name for p in (ROOT / "generated").iterdir() if (p / "__init__.py").is_file()
    )
    assert packages
    args = [arg for name in packages for arg in ("-p", name)]
    result = run(sys.executable, "-m", "mypy", "--strict", *args, cwd=ROOT / "generated")
    assert result.returncode == 0, result.stdout + result.stderr


def test_specgen_passes_ruff_and_mypy_strict() -> None:
    lint = run(sys.executable, "-m", "ruff", "check", "generator")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    types = run(sys.executable, "-m", "mypy")  # [tool.mypy] in pyproject: strict, generator/
    assert types.returncode == 0, types.stdout + types.stderr


def test_pre_commit_hooks_run_tools_the_environment_has() -> None:
    """.pre-commit-config.yaml uses local hooks (no hook repository is fetched): each entry's
    program is installed by `pip install -e '.[test]'`."""
    import shutil

    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff-check", "ruff-format", "mypy", "specgen-check"}
    bin_dir = Path(sys.executable).parent
    for hook in hooks:
        program = hook["entry"].split()[0]
        assert hook["language"] == "system" and (
            (bin_dir / program).exists() or shutil.which(program)
        ), program
