"""`package = true`: the generated package builds as a distribution of its own (hatchling,
no network), imports from the installed wheel, and lists what its styles need at run time."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from generator.render.distribution import distribution_version, markdown, toml
from generator.render.styles import BUILTIN, MODEL_REQUIRES
from tests.functional.conftest import run_specgen

ROOT = Path(__file__).resolve().parents[2]
MARTIAN = ROOT / "specs" / "martian" / "feedback.yaml"
CONFIG = """\
[tool.specgen]
output = "out"
styles = ["fastapi", "httpx"]

[[tool.specgen.api]]
name = "martian_api"
specs = ["feedback.yaml"]
package = true
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("project")
    (project / "feedback.yaml").write_bytes(MARTIAN.read_bytes())
    (project / "pyproject.toml").write_text(CONFIG, "utf-8")
    result = run_specgen("generate", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out" / "martian_api"


def test_the_package_describes_itself(package: Path) -> None:
    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))["project"]
    assert project["name"] == "martian-api" and project["version"] == "1.0.0"
    assert project["dependencies"] == [
        "fastapi>=0.115",
        "httpx-sse>=0.4",
        "httpx>=0.27",
        "jsonschema-rs>=0.60",
        "pydantic>=2.14",
        "python-multipart>=0.0.18",
    ]
    readme = (package / "README.md").read_text("utf-8")
    assert "from martian_api.client import Client" in readme
    assert "from martian_api.server import create_app" in readme


def test_the_wheel_builds_installs_and_imports(package: Path, tmp_path: Path) -> None:
    build = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "-w", tmp_path / "dist", package], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("martian_api-1.0.0-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"martian_api/client.py", "martian_api/py.typed", "martian_api/openapi.json"} <= names
    assert not any(
        n.endswith(("pyproject.toml", "README.md", ".specgen-manifest.json")) for n in names
    )
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel],
        check=True,
        capture_output=True,
    )
    code = (
        "import importlib.metadata as m, martian_api.client, martian_api.server;"
        "print(sorted(m.requires('martian-api')))"
    )
    env = {"PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "fastapi>=0.115" in run.stdout


def test_spec_text_in_the_packaging_files_is_escaped() -> None:
    hostile = 'a "quoted" \\ name\n\x00\x7f ✓ \ud800'
    assert tomllib.loads(f"x = {toml(hostile)}")["x"].startswith('a "quoted" \\ name\n\x00\x7f ✓')
    assert (
        markdown("<script>*x*</script> `y` [z](u)")
        == "\\<script\\>\\*x\\*\\</script\\> \\`y\\` \\[z\\](u)"
    )
    assert (distribution_version("2.0.0rc1"), distribution_version("v1 beta")) == (
        "2.0.0rc1",
        "0.0.0",
    )


def test_specgen_extras_match_what_the_styles_need() -> None:
    """One source of truth: the extras in pyproject.toml are the styles' requirements."""
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"][
        "optional-dependencies"
    ]
    for name in ("fastapi", "flask", "httpx"):
        needed = {*BUILTIN[name].requires, *MODEL_REQUIRES["pydantic"]}
        assert needed <= set(extras[name]), name
