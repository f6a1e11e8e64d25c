"""generator/fuzz_hooks.py: a negative form body schemathesis calls accepted is no failure
where the body as sent (text parts, file parts) is valid, as a null sent for a string field
as the text "null"; a body invalid as sent stays a failure."""

from __future__ import annotations

import subprocess
from pathlib import Path

import jsonschema_rs
import pytest

from generator.fuzz_hooks import read_fields
from tests.mock import mockserver

ROOT = Path(__file__).resolve().parents[2]
SPEC = """\
openapi: 3.0.3
info: {title: Imports, version: "1"}
paths:
  /imports:
    post:
      operationId: createImport
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                segments: {type: string}
                count: {type: integer, minimum: 1}
                tags: {type: array, items: {type: string}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: string}}}
"""
SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string"},
        "segments": {"type": "string"},
        "count": {"type": "integer", "minimum": 1},
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def test_fields_are_read_as_a_server_reads_them() -> None:
    validator = jsonschema_rs.validator_for(SCHEMA)
    sent = {"file": ["\x89PNG"], "segments": ["null"], "count": ["5"], "tags": ["a"]}
    data = read_fields(sent, validator)
    assert data == {"file": "\x89PNG", "segments": "null", "count": 5, "tags": ["a"]}
    assert validator.is_valid(data)
    assert read_fields({"tags": ["1", "2"]}, validator) == {"tags": ["1", "2"]}
    # No reading of these is valid: the body stays negative.
    for bad in ({"count": ["null"]}, {"count": ["0"]}, {"segments": ["a", "b"]}):
        assert not validator.is_valid({"file": "", **read_fields(bad, validator)}), bad


def _fuzz(spec: Path, *target: str) -> subprocess.CompletedProcess[str]:
    # Seed 3 draws an integer made an empty array (nothing is sent): valid as sent.
    command = [*mockserver.specgen_command(), "fuzz", "--spec", str(spec), *target]
    command += ["--seed", "3", "--max-examples", "100"]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.slow
def test_a_form_valid_as_sent_is_no_failure(tmp_path: Path) -> None:
    spec = tmp_path / "imports.yaml"
    spec.write_text(SPEC, "utf-8")
    with mockserver.mock_server([spec], cache=tmp_path / "cache") as mock:
        result = _fuzz(spec, "--url", mock.url)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_a_form_invalid_as_sent_still_fails(tmp_path: Path) -> None:
    spec = tmp_path / "imports.yaml"
    spec.write_text(SPEC, "utf-8")
    result = _fuzz(spec, "--app", "tests.fuzzing.accepting_app:app")
    assert result.returncode == 1, result.stdout[-4000:] + result.stderr[-2000:]
    assert "ST201" in result.stdout
