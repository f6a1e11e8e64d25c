"""The emit-safety pass in process: it collects every problem of a spec in one run, located,
and the mechanisms behind the corpus's clean cases (names renamed rather than refused,
docstring-safe comments)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.api import build_api
from generator.diagnostics import SpecError
from generator.ir.model import Api
from generator.load import load_spec
from generator.load.spec import Spec
from generator.render.env import make_environment
from generator.render.filters import comment
from generator.render.python.render import python_view
from generator.render.styles import resolve_styles
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
    long_name = "x" * 300
    text = SPEC.replace("operationId: get\n", f"operationId: {long_name}\n")
    text = text.replace("name: X-Key", 'name: "X-\\u0085Key"')
    api, spec = _api(tmp_path, text)
    found = check_emit_safety(api, spec)
    assert [(d.code, d.location.line if d.location else 0) for d in found] == [
        ("SG513", 5),  # a 300-character identifier (at its operation)
        ("SG512", 8),  # CR LF in a header name
        ("SG512", 21),  # NEL in the name of an API key
    ]
    assert all(d.hint for d in found)
    assert "\r" not in "".join(d.message for d in found)  # spec text shown escaped
    with pytest.raises(SpecError) as caught:
        require_emit_safety(api, spec)
    assert len(caught.value.diagnostics) == 3


def test_names_that_meet_generated_ones_are_renamed_not_refused(tmp_path: Path) -> None:
    """`getDefaultJson` and `get`'s default JSON variant both want GetDefaultJsonResponse;
    `timeout` is an argument of Client() already; `close` a method of Client; `field` is
    called in the request record's body. Each spec name is renamed by the documented rule."""
    text = SPEC.replace('"X-A\\r\\nB"', "field").replace(
        "/b:",
        "/b:\n    post:\n      operationId: close\n      responses: {'204': {description: none}}\n",
    )
    api, spec = _api(tmp_path, text)
    assert check_emit_safety(api, spec) == []
    styles = resolve_styles(("fastapi", "flask", "httpx"), "pydantic")
    view = python_view(api, make_environment(), styles)
    get, get_default, close = view.operations
    assert [op.method for op in view.operations] == ["get", "get_default_json", "close_operation"]
    assert get.responses[0].variants[0].name == "GetDefaultJsonResponse"
    assert get_default.response_alias == "GetDefaultJsonResponse2"
    assert [p.name for p in get.params] == ["field_header"]
    assert view.api_key_arguments == ("timeout_key",)
    assert close.request_class == "CloseRequest"


@pytest.mark.parametrize("text", ['a """ b', 'ends with a quote"', "C:\\new\\x", "\\N{x}"])
def test_comment_output_is_safe_inside_a_docstring(text: str) -> None:
    source = f'"""Title {comment(text)}."""\n# {comment(text)}\n'
    compile(source, "x.py", "exec")
    assert "\n" not in comment(text + "\nimport os")
