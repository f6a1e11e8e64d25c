"""The mock style's code type-checks under `mypy --strict` in both layouts, on the specs
whose names collide with what generated code binds (an operation called `authenticate` or
`mock_engine`, classes named like the records)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import ApiConfig
from generator.pipeline import Options, render_api

ROOT = Path(__file__).resolve().parents[2]
SPECS = ("names_generated_bindings.yaml", "names_keywords_operation_ids.yaml", "binary.yaml")
COLLIDING = """\
openapi: 3.1.0
info: {title: Collisions, version: "1"}
paths:
  /a:
    get:
      operationId: authenticate
      responses: {"200": {description: ok, content: {application/json: {schema: {type: string}}}}}
  /b:
    get:
      operationId: mock_engine
      responses: {"200": {description: ok}}
  /c:
    post:
      operationId: create_app
      responses: {"201": {description: ok, content: {text/plain: {schema: {type: string}}}}}
"""


@pytest.mark.parametrize("layout", ["module", "tags"])
def test_mock_code_passes_mypy_strict(tmp_path: Path, layout: str) -> None:
    colliding = tmp_path / "colliding.yaml"
    colliding.write_text(COLLIDING)
    specs = [*(ROOT / "tests" / "corpus" / name for name in SPECS), colliding]
    names = []
    for index, spec in enumerate(specs):
        name = f"case{index}"
        config = ApiConfig(
            name, (spec,), tmp_path, styles=("fastapi", "flask", "mock"), layout=layout
        )
        for path, text in render_api(config, Options(memo=False)).files.items():
            target = tmp_path / name / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
        names.append(name)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            os.devnull,
            *(f"--package={n}" for n in names),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
