"""Golden output: regenerating the configured APIs reproduces the committed generated/ exactly.

Every API of pyproject.toml's [tool.specgen] is regenerated into a temporary folder, twice:
once through a config file in a copy of the project (the same semantics as `specgen generate`
with no arguments, run from another folder) and once ad hoc (`specgen generate SPEC... --name N
--out TMP`, from the repository root). Headers and manifests name the specs relative to the
project root, so both runs must give the committed files byte for byte; a mismatch shows a
unified diff.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "generated"
MANIFEST = ".specgen-manifest.json"
_MAX_DIFF_LINES = 120

Specgen = Callable[..., subprocess.CompletedProcess[str]]


def _project_config() -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"][
        "specgen"
    ]
    return table


def _apis() -> list[dict[str, Any]]:
    apis: list[dict[str, Any]] = _project_config()["api"]
    return apis


API_NAMES = [api["name"] for api in _apis()]


def _golden_dir(name: str) -> Path:
    output = _project_config().get("output", "generated")
    return REPO / next(a for a in _apis() if a["name"] == name).get("output", output) / name


def tree(root: Path) -> dict[str, bytes]:
    """Every file below `root` by relative posix path; bytecode caches are not output."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.relative_to(root).parts
    }


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    lines = list(
        difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            actual.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=f"golden/{path}",
            tofile=f"regenerated/{path}",
        )
    )
    if len(lines) > _MAX_DIFF_LINES:
        lines = [*lines[:_MAX_DIFF_LINES], f"... {len(lines) - _MAX_DIFF_LINES} more diff lines\n"]
    return "".join(lines)


def assert_same_tree(golden: Path, regenerated: Path, *, skip: frozenset[str]) -> None:
    want = {k: v for k, v in tree(golden).items() if k not in skip}
    got = {k: v for k, v in tree(regenerated).items() if k not in skip}
    problems: list[str] = []
    if missing := sorted(set(want) - set(got)):
        problems.append(f"in golden but not regenerated: {missing}")
    if extra := sorted(set(got) - set(want)):
        problems.append(f"regenerated but not in golden: {extra}")
    for path in sorted(set(want) & set(got)):
        if want[path] != got[path]:
            problems.append(_diff(path, want[path], got[path]))
    assert not problems, (
        f"{regenerated} differs from the golden {golden} "
        "(run `specgen generate` and review the change):\n" + "\n".join(problems)
    )


@pytest.fixture(scope="module")
def config_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every configured API generated in a copy of the project elsewhere on disk: the specs
    and templates it names copied with their relative paths, its [tool.specgen] table kept
    except for the output folder. Paths in headers and manifests are relative to the project
    root, so the output is the committed one byte for byte."""
    project = tmp_path_factory.mktemp("golden-config")
    table = _project_config()
    used = [*table.get("templates", [])]
    for api in table["api"]:
        used += [*api["specs"], *api.get("templates", [])]
    for relative in dict.fromkeys(used):
        source, target = REPO / relative, project / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    lines = ["[tool.specgen]", 'output = "out"']
    for key in ("templates", "allow_invalid", "styles", "model_type", "layout"):
        if key in table:
            lines.append(f"{key} = {json.dumps(table[key])}")
    for api in table["api"]:
        lines += ["", "[[tool.specgen.api]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in api.items() if key != "output"]
    config = project / "pyproject.toml"
    config.write_text("\n".join(lines) + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", str(config)],
        cwd=REPO,  # another folder than the project's: the output must not care
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return project / "out"


@pytest.fixture(scope="module")
def adhoc_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each configured API generated ad hoc: `specgen generate SPEC... --name N --out TMP`."""
    out = tmp_path_factory.mktemp("golden-adhoc")
    for api in _apis():
        if api.get("allow_invalid") or "templates" in api:
            pytest.skip(f"{api['name']}: per-API options have no ad-hoc equivalent here")
        command = ["generate", *api["specs"], "--name", api["name"], "--out", str(out)]
        styles = api.get("styles", _project_config().get("styles", []))
        command += [arg for style in styles for arg in ("--style", style)]
        model_type = api.get("model_type", _project_config().get("model_type"))
        command += ["--model-type", model_type] if model_type else []
        layout = api.get("layout", _project_config().get("layout"))
        command += ["--layout", layout] if layout else []
        result = subprocess.run(
            [sys.executable, "-m", "generator", *command],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    return out


def test_project_configures_the_seed_apis() -> None:
    assert API_NAMES == ["braintrust", "martian", "braintrust_tags"]
    for name in API_NAMES:
        assert (_golden_dir(name) / MANIFEST).is_file(), f"no committed golden output for {name}"


@pytest.mark.parametrize("name", API_NAMES)
def test_config_run_matches_golden(config_run: Path, name: str) -> None:
    assert_same_tree(_golden_dir(name), config_run / name, skip=frozenset({MANIFEST}))


@pytest.mark.parametrize("name", API_NAMES)
def test_adhoc_run_matches_golden(adhoc_run: Path, name: str) -> None:
    assert_same_tree(_golden_dir(name), adhoc_run / name, skip=frozenset({MANIFEST}))


@pytest.mark.parametrize("name", API_NAMES)
def test_manifest_matches_golden(config_run: Path, adhoc_run: Path, name: str) -> None:
    """Same sources, same files: the manifests agree byte for byte too."""
    golden = (_golden_dir(name) / MANIFEST).read_bytes()
    for run in (config_run, adhoc_run):
        regenerated = (run / name / MANIFEST).read_bytes()
        assert regenerated == golden, _diff(MANIFEST, golden, regenerated)


@pytest.mark.parametrize("name", API_NAMES)
def test_golden_manifest_describes_golden_files(name: str) -> None:
    """The committed files are exactly what the committed manifest says specgen wrote there:
    nothing was edited by hand, added or left out."""
    golden = _golden_dir(name)
    manifest = json.loads((golden / MANIFEST).read_text("utf-8"))
    files = {k: v for k, v in tree(golden).items() if k != MANIFEST}
    assert sorted(manifest["files"]) == sorted(files)
    for path, content in files.items():
        assert manifest["files"][path] == hashlib.sha256(content).hexdigest(), (
            f"{path} was changed after specgen wrote it"
        )


def test_check_reports_golden_up_to_date(specgen: Specgen) -> None:
    """`specgen check` with no arguments, from the repository root: the CI gate. It never
    writes, so it is safe to run against the committed tree."""
    result = specgen("check", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in API_NAMES:
        assert f"{_golden_dir(name)}: up to date" in result.stdout
