"""`specgen generate`'s regeneration report and `specgen check`'s stale cause, through the CLI.

The manifest records what each generation was made from; these tests change one input at a
time and check that the report, and the cause check names, say exactly that.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.diff.helpers import api, ok, run_cli, write

MANIFEST = ".specgen-manifest.json"


def pets(*, with_create: bool = False, tag: bool = False) -> dict[str, Any]:
    pet: dict[str, Any] = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
    }
    if tag:
        pet["properties"]["tag"] = {"$ref": "#/components/schemas/Tag"}
    paths: dict[str, Any] = {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "responses": ok({"$ref": "#/components/schemas/Pet"}),
            }
        }
    }
    if with_create:
        body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
        paths["/pets"]["post"] = {
            "operationId": "createPet",
            "requestBody": body,
            "responses": ok(),
        }
    schemas = {"Pet": pet, **({"Tag": {"type": "string"}} if tag else {})}
    return api(paths, components={"schemas": schemas})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path, "api.json", pets())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\noutput = "out"\ntemplates = ["tpl"]\n\n'
        '[[tool.specgen.api]]\nname = "pets"\nspecs = ["api.json"]\n',
        "utf-8",
    )
    (tmp_path / "tpl").mkdir()
    return tmp_path


def specgen(project: Path, *args: str, code: int = 0) -> tuple[str, str]:
    result = run_cli(*args, cwd=project)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout, result.stderr


def manifest(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((project / "out" / "pets" / MANIFEST).read_text("utf-8"))
    return loaded


def test_report_of_each_generation(project: Path) -> None:
    first, _ = specgen(project, "generate")
    (line,) = first.splitlines()  # a first generation has nothing to compare with
    assert re.fullmatch(
        r"pets: 1 operations, 1 models -> out/pets \(\d+ written, 0 unchanged, 0 deleted\)", line
    )
    record = manifest(project)["generation"]
    assert set(record) == {
        "specgen",
        "datamodel_code_generator",
        "templates",
        "config",
        "specs",
        "operations",
        "models",
    }
    assert list(record["specs"]) == ["api.json"] and list(record["operations"]) == ["listPets"]

    stamp = (project / "out" / "pets" / MANIFEST).stat().st_mtime_ns
    again, _ = specgen(project, "generate")
    assert again.splitlines()[-1] == "nothing to write: generated code is up to date"
    assert (project / "out" / "pets" / MANIFEST).stat().st_mtime_ns == stamp

    write(project, "api.json", pets(with_create=True, tag=True))
    text, _ = specgen(project, "generate")
    lines = text.splitlines()
    assert lines[0].startswith("pets: 2 operations, 2 models -> out/pets (")
    assert lines[1] == "  operations: 1 added (createPet)"
    assert lines[2] == "  models: 1 added (Tag), 1 changed (Pet)"
    assert lines[3].startswith("  written: ")

    write(project, "api.json", pets(tag=True))
    report = json.loads(specgen(project, "generate", "--json")[0])
    (entry,) = report["apis"]
    assert report["changed"] is True
    assert entry["operations"] == {"added": [], "removed": ["createPet"], "changed": [], "count": 1}
    assert entry["models"]["changed"] == [] and entry["files"]["deleted"] == []
    assert "handlers.py" in entry["files"]["written"]

    assert specgen(project, "generate", "--quiet") == ("", "")


def test_older_manifest_without_a_record(project: Path) -> None:
    specgen(project, "generate")
    path = project / "out" / "pets" / MANIFEST
    older = manifest(project)
    del older["generation"]
    path.write_text(json.dumps(older, indent=2, sort_keys=True) + "\n", "utf-8")
    specgen(project, "check")  # the file list is all check compares
    text, _ = specgen(project, "generate")
    assert "  no record of the previous generation: operations and models not compared" in text
    assert text.splitlines()[-1] == (
        "generated code is up to date (its generation record in the manifest was updated)"
    )
    assert "generation" in manifest(project)


def causes(project: Path) -> list[str]:
    _, err = specgen(project, "check", code=1)
    assert "generated code is stale" in err
    return [
        line.split(": stale because ", 1)[1] for line in err.splitlines() if "stale because" in line
    ]


def test_check_names_a_changed_spec(project: Path) -> None:
    specgen(project, "generate")
    write(project, "api.json", pets(tag=True))
    assert causes(project) == ["spec changed: api.json"]


def test_check_names_changed_templates(project: Path) -> None:
    specgen(project, "generate")
    builtin = Path(__file__).resolve().parents[2] / "templates" / "package" / "__init__.py.jinja"
    (project / "tpl" / "package").mkdir()
    text = builtin.read_text("utf-8") + "# our own addition\n"
    (project / "tpl" / "package" / "__init__.py.jinja").write_text(text, "utf-8")
    assert causes(project) == ["templates changed"]


def _as_if_generated_by(project: Path, **record: str) -> None:
    """Make the package look like another version's output: a changed file with its hash in
    the manifest (so not a hand edit), and that version in the generation record."""
    package = project / "out" / "pets"
    old = manifest(project)
    models = package / "models.py"
    models.write_text(models.read_text("utf-8") + "# older output\n", "utf-8")
    old["files"]["models.py"] = hashlib.sha256(models.read_bytes()).hexdigest()
    old["generation"].update(record)
    (package / MANIFEST).write_text(json.dumps(old, indent=2, sort_keys=True) + "\n", "utf-8")


def test_check_names_version_changes(project: Path) -> None:
    specgen(project, "generate")
    current = manifest(project)["generation"]
    _as_if_generated_by(project, specgen="0.0.1", datamodel_code_generator="0.1.0")
    assert causes(project) == [
        f"specgen version changed: 0.0.1 -> {current['specgen']}",
        f"datamodel-code-generator version changed: 0.1.0 -> {current['datamodel_code_generator']}",
    ]


def test_check_names_config_changes(project: Path) -> None:
    specgen(project, "generate")
    write(
        project,
        "more.json",
        api({"/tags": {"get": {"operationId": "listTags", "responses": ok()}}}),
    )
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text("utf-8").replace('["api.json"]', '["api.json", "more.json"]')
    )
    assert causes(project) == ["spec file added: more.json", "config changed: specs"]


def test_check_names_hand_edits(project: Path) -> None:
    specgen(project, "generate")
    package = project / "out" / "pets"
    (package / "models.py").write_text("# mine now\n", "utf-8")
    (package / "client.py").unlink()
    assert causes(project) == ["generated files edited by hand: models.py; client.py deleted"]


def test_check_before_any_generation(project: Path) -> None:
    assert causes(project) == ["not generated yet (no manifest): run `specgen generate`"]
