"""A spec split over hundreds of files in the resources-folder layout (what Redocly and
swagger-cli bundle): path items and operations in their own files, shared parameter, response
and schema files, `$ref` siblings, discriminator mappings that name files. It generates with no
error, every operation is there, each shared file is bundled once, and the package passes
mypy --strict and imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import run_specgen

pytestmark = pytest.mark.slow
RESOURCES = 60  # 3 operations and 4 files each, plus the shared files: ~250 files

ROOT_DOC = """\
openapi: 3.1.0
info: {title: Split, version: "1.0.0"}
paths:
"""
LIST = """\
operationId: list{name}
tags: [{name}]
parameters:
  - $ref: ../../parameters/limit.yaml
  - {{$ref: ../../parameters/cursor.yaml, required: false, description: Where to start.}}
responses:
  "200":
    description: A page of {name}.
    content:
      application/json:
        schema:
          type: array
          items: {{$ref: ../../schemas/{name}.yaml}}
  default: {{$ref: ../../responses/Error.yaml}}
"""
CREATE = """\
operationId: create{name}
tags: [{name}]
requestBody:
  required: true
  content:
    application/json:
      schema: {{$ref: ../../schemas/{name}.yaml}}
responses:
  "201":
    description: Made.
    content:
      application/json:
        schema: {{$ref: ../../schemas/{name}.yaml}}
  default: {{$ref: ../../responses/Error.yaml}}
"""
ITEM = """\
parameters:
  - {{name: id, in: path, required: true, schema: {{type: integer}}}}
get:
  operationId: get{name}
  tags: [{name}]
  responses:
    "200":
      description: One of {name}.
      content:
        application/json:
          schema: {{$ref: ../../schemas/{name}.yaml}}
    "404": {{$ref: ../../responses/NotFound.yaml}}
"""
SCHEMA = """\
allOf:
  - $ref: ./Base.yaml
  - type: object
    required: [kind]
    properties:
      kind: {{const: {kind}}}
      size: {{type: integer, minimum: 0}}
"""
SHARED = {
    "parameters/limit.yaml": "{name: limit, in: query, schema: {type: integer, default: 20}}\n",
    "parameters/cursor.yaml": "{name: cursor, in: query, schema: {type: string}}\n",
    "responses/Error.yaml": (
        "description: An error.\ncontent:\n  application/json:\n"
        "    schema: {$ref: ../schemas/Error.yaml}\n"
    ),
    "responses/NotFound.yaml": "description: Not found.\n",
    "schemas/Base.yaml": "type: object\nrequired: [id]\nproperties: {id: {type: integer}}\n",
    "schemas/Error.yaml": "type: object\nproperties: {message: {type: string}}\n",
}


def _write(root: Path) -> Path:
    files = dict(SHARED)
    paths = []
    union = []
    for i in range(RESOURCES):
        name = f"Thing{i}"
        folder = f"resources/thing{i}"
        files[f"{folder}/list.yaml"] = LIST.format(name=name)
        files[f"{folder}/create.yaml"] = CREATE.format(name=name)
        files[f"{folder}/item.yaml"] = ITEM.format(name=name)
        files[f"schemas/{name}.yaml"] = SCHEMA.format(kind=f"thing{i}")
        paths.append(
            f"  /things{i}:\n    get: {{$ref: {folder}/list.yaml}}\n"
            f"    post: {{$ref: {folder}/create.yaml}}\n  /things{i}/{{id}}:\n"
            f"    $ref: {folder}/item.yaml\n"
        )
        union.append(f"    thing{i}: ./Thing{i}.yaml")
    files["schemas/AnyThing.yaml"] = (
        "oneOf:\n"
        + "".join(f"  - $ref: ./Thing{i}.yaml\n" for i in range(RESOURCES))
        + "discriminator:\n  propertyName: kind\n  mapping:\n"
        + "\n".join(union)
        + "\n"
    )
    paths.append(
        "  /any:\n    get:\n      operationId: anyThing\n      responses:\n"
        '        "200":\n          description: Any.\n          content:\n'
        "            application/json:\n              schema: {$ref: schemas/AnyThing.yaml}\n"
    )
    files["openapi.yaml"] = ROOT_DOC + "".join(paths)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root / "openapi.yaml"


def test_a_split_spec_in_the_resources_layout_generates(tmp_path: Path) -> None:
    spec = _write(tmp_path / "spec")
    assert len(list((tmp_path / "spec").rglob("*.yaml"))) > 4 * RESOURCES
    out = tmp_path / "out"
    result = run_specgen("generate", spec, "--name", "split", "--out", out, "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert " error " not in result.stderr
    report = json.loads(result.stdout)["apis"][0]
    assert report["operations"]["count"] == 3 * RESOURCES + 1
    contract = json.loads((out / "split" / "openapi.json").read_text("utf-8"))
    components = contract["components"]
    assert sorted(components["parameters"]) == ["Cursor", "Limit"]  # each shared file once
    assert sorted(components["responses"]) == ["Error", "NotFound"]
    mapping = components["schemas"]["AnyThing"]["discriminator"]["mapping"]
    assert mapping["thing7"] == "#/components/schemas/Thing7"
    cursor = contract["paths"]["/things3"]["get"]["parameters"][1]
    assert cursor["description"] == "Where to start." and cursor["name"] == "cursor"
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "-p", "split"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    code = "import split.server, split.client, split.handlers as h; print(len(h.__all__))"
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
