"""The emit-safety pass in process: it collects every problem of a spec in one run, located,
and the mechanisms behind the corpus's clean cases (reserved names, docstring-safe comments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.api import build_api
from generator.diagnostics import SpecError
from generator.ir.model import Api
from generator.ir.names import ClassName, PythonIdentifier
from generator.load import load_spec
from generator.load.spec import Spec
from generator.render.filters import comment
from generator.validate import validate
from generator.validate.emit_safety import check_emit_safety, require_emit_safety

SPEC = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: get
      parameters:
        - {name: "X-A\\r\\nB", in: header, schema: {type: string}}
      responses:
        default:
          description: any
          content:
            application/json: {schema: {type: string}}
  /b:
    get:
      operationId: getDefaultJson
      responses:
        "204": {description: none}
components:
  securitySchemes:
    timeout: {type: apiKey, in: header, name: X-Key}
"""


def _api(tmp_path: Path, text: str) -> tuple[Api, Spec]:
    path = tmp_path / "api.yaml"
    path.write_text(text, "utf-8")
    spec, _ = load_spec([path])
    validated = validate(spec)
    return build_api("case", validated.document, spec), spec


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    api, spec = _api(tmp_path, SPEC)
    found = check_emit_safety(api, spec)
    assert [(d.code, d.location.line if d.location else 0) for d in found] == [
        ("SG512", 8),  # CR LF in a header name
        ("SG510", 15),  # GetDefaultJsonResponse twice in handlers.py
        ("SG511", 21),  # `timeout` is an argument of Client() already
    ]
    assert all(d.hint for d in found)
    assert "\r" not in "".join(d.message for d in found)  # spec text shown escaped
    with pytest.raises(SpecError) as caught:
        require_emit_safety(api, spec)
    assert len(caught.value.diagnostics) == 3


def test_reserved_operation_names_are_renamed_not_refused(tmp_path: Path) -> None:
    text = SPEC.replace("getDefaultJson", "close").replace('"X-A\\r\\nB"', "field")
    text = text.replace("timeout:", "token:").replace("security", "x-security")
    api, spec = _api(tmp_path, text)
    assert check_emit_safety(api, spec) == []
    names = {op.py_name for op in api.operations}
    assert names == {"get", "close_operation"}
    (param,) = api.operations[0].parameters
    assert param.py_name == "field_header"


def test_names_without_ascii_letters_stay_apart() -> None:
    assert PythonIdentifier("ид") != PythonIdentifier("✓")
    assert PythonIdentifier("ид").startswith("value_")
    assert PythonIdentifier("") == "value" and ClassName("") == "Model"
    assert ClassName("🐶") != ClassName("🐱")


@pytest.mark.parametrize("text", ['a """ b', 'ends with a quote"', "C:\\new\\x", "\\N{x}"])
def test_comment_output_is_safe_inside_a_docstring(text: str) -> None:
    source = f'"""Title {comment(text)}."""\n# {comment(text)}\n'
    compile(source, "x.py", "exec")
    assert "\n" not in comment(text + "\nimport os")
