"""The pre-commit hooks and the CI recipe name commands and options that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parents[2]


def _accepted(command: str) -> None:
    """`specgen ...` parses (an unknown command or option fails before --help prints)."""
    args = shlex.split(command)
    assert args[0] == "specgen", command
    result = CliRunner().invoke(main, [*args[1:], "--help"])
    assert result.exit_code == 0, f"{command}: {result.output}"


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"specgen-check", "specgen-diff"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        re.compile(hook["files"])
        _accepted(hook["entry"])
    assert "--fail-on breaking" in by_id["specgen-diff"]["entry"]


def test_ci_recipe_commands_exist() -> None:
    text = (REPO / "docs" / "ci.md").read_text("utf-8")
    recipe = re.search(r"```yaml\n(# \.github/workflows/api\.yml.*?)```", text, re.S)
    assert recipe
    workflow = yaml.safe_load(recipe.group(1))
    steps = workflow["jobs"]["api"]["steps"]
    runs = [" ".join(s["run"].split()) for s in steps if "specgen" in s.get("run", "")]
    assert [r.split()[1] for r in runs] == ["validate", "diff", "check", "fuzz"]
    for run in runs:
        command = run.split("|")[0].split("#")[0].replace('"origin/${{ github.base_ref }}"', "x")
        _accepted(command)
