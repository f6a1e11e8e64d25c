"""Output is a function of the config and the inputs only, never of the working directory.

Headers and manifests name files relative to the project root (the folder holding
pyproject.toml), so `generate` and `check` give the same answer from the root, from a
subfolder, and from outside the project with `--config`. Headers carry no hashes: an edit to
the spec changes only the files whose content it changes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.functional.conftest import Specgen

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets/{pet_id}:
    get:
      operationId: getPet
      summary: SUMMARY
      parameters:
        - {name: pet_id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
"""
CONFIG = """\
[tool.specgen]
output = "src/generated"
styles = ["fastapi", "flask", "httpx", "typescript"]

[[tool.specgen.api]]
name = "pets"
specs = ["specs/pets.yaml"]
"""
RUNTIME_FILES = (
    "_client_runtime.py",
    "_client_request.py",
    "_client_streams.py",
    "_handlers_runtime.py",
    "_server_core.py",
    "_server_runtime.py",
    "_flask_runtime.py",
    "_flask_loop.py",
)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, specgen: Specgen) -> Path:
    root = tmp_path / "project"
    (root / "specs").mkdir(parents=True)
    (root / "docs" / "deep").mkdir(parents=True)
    (root / "specs" / "pets.yaml").write_text(SPEC, "utf-8")
    (root / "pyproject.toml").write_text(CONFIG, "utf-8")
    result = specgen("generate", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def test_headers_and_manifest_name_specs_relative_to_the_project_root(project: Path) -> None:
    package = project / "src" / "generated" / "pets"
    lines = (package / "models.py").read_text("utf-8").splitlines()
    assert lines[1] == "#   specs/pets.yaml"
    assert "sha256" not in lines[1]
    manifest = json.loads((package / ".specgen-manifest.json").read_text("utf-8"))
    assert list(manifest["generation"]["specs"]) == ["specs/pets.yaml"]
    assert manifest["generation"]["config"]["specs"] == ["specs/pets.yaml"]


@pytest.mark.parametrize("where", ["specs", "docs/deep", "src/generated/pets"])
def test_check_and_generate_agree_from_any_folder_of_the_project(
    project: Path, specgen: Specgen, where: str
) -> None:
    before = _tree(project / "src")
    checked = specgen("check", cwd=project / where)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    generated = specgen("generate", cwd=project / where)
    assert generated.returncode == 0, generated.stderr
    assert "nothing to write: generated code is up to date" in generated.stdout
    assert _tree(project / "src") == before


def test_check_from_outside_the_project_with_config(
    project: Path, tmp_path: Path, specgen: Specgen
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = project / "pyproject.toml"
    assert specgen("check", "--config", config, cwd=elsewhere).returncode == 0
    relative = Path("..") / "project" / "pyproject.toml"
    assert specgen("check", "--config", relative, cwd=elsewhere).returncode == 0


def test_a_summary_edit_leaves_models_and_runtime_modules_untouched(
    project: Path, specgen: Specgen
) -> None:
    package = project / "src" / "generated" / "pets"
    before = _tree(package)
    spec = project / "specs" / "pets.yaml"
    spec.write_text(SPEC.replace("SUMMARY", "Fetch one pet"), "utf-8")

    stale = specgen("check", cwd=project)
    assert stale.returncode == 1
    assert "pets: stale because spec changed: specs/pets.yaml" in stale.stderr
    assert specgen("generate", cwd=project / "docs").returncode == 0
    after = _tree(package)
    for path in ("models.py", *RUNTIME_FILES, "typescript/src/runtime.ts"):
        assert after[path] == before[path], f"{path} changed although its content did not"
    changed = {path for path in after if after[path] != before.get(path)}
    assert "handlers.py" in changed and "client.py" in changed  # the summary is a docstring
    assert ".specgen-manifest.json" in changed  # the spec's new hash is recorded
