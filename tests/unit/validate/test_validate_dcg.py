"""Round trip through datamodel-code-generator: every nullable form, once normalised,
renders as `T | None` (the reason for the canonical form, see generator/validate/normalise.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from datamodel_code_generator import InputFileType, PythonVersion, generate
from datamodel_code_generator.enums import DataModelType

from generator.diagnostics import Severity
from generator.load.spec import Origin, SourceFile, Spec
from generator.validate import validate

MakeSpec = Callable[..., Spec]
REF = {"$ref": "#/components/schemas/X"}

# field name -> (schema as written, annotation datamodel-code-generator must produce)
FORMS: dict[str, tuple[dict[str, Any], str]] = {
    "nullable_30": ({"type": "string", "nullable": True}, "str | None"),
    "type_list": ({"type": ["string", "null"]}, "str | None"),
    "type_list_many": ({"type": ["string", "integer", "null"]}, "str | int | None"),
    "any_of_ref_null": ({"anyOf": [REF, {"type": "null"}]}, "X | None"),
    "one_of_ref_null": ({"oneOf": [{"type": "null"}, REF]}, "X | None"),
    "any_of_ref_enum_null": ({"anyOf": [REF, {"enum": [None]}]}, "X | None"),
    "all_of_ref_nullable_30": ({"allOf": [REF], "nullable": True}, "X | None"),
    "any_of_inline_null": (
        {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]},
        "str | None",
    ),
    "any_of_two_null": (
        {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        "str | int | None",
    ),
    "array_of_nullable": (
        {"type": "array", "items": {"type": ["integer", "null"]}},
        "list[int | None]",
    ),
    "only_null": ({"type": "null"}, "None"),
    "const": ({"const": "x"}, "Literal['x']"),
}


def _generate(document: dict[str, Any]) -> str:
    output = generate(
        document,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        use_annotated=True,
        field_constraints=True,
        use_standard_collections=True,
        use_union_operator=True,
        disable_timestamp=True,
        strict_nullable=True,
        formatters=[],
    )
    assert isinstance(output, str)
    return output


def _annotation(source: str, model: str, field: str) -> str:
    body = source.split(f"class {model}(BaseModel):", 1)[1]
    match = re.search(rf"^    {field}: (.+)$", body, re.M)
    assert match is not None, f"{field} not in {model}"
    annotation = match.group(1)
    annotated = re.match(r"Annotated\[(.+), Field\(.*\)\]", annotation)
    return annotated.group(1) if annotated else annotation


@pytest.fixture(scope="module", params=["3.0.3", "3.1.0"])
def rendered(request: pytest.FixtureRequest) -> str:
    schemas = {
        "X": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        "M": {
            "type": "object",
            "properties": {name: schema for name, (schema, _) in FORMS.items()},
            "required": list(FORMS),
        },
    }
    document = {
        "openapi": request.param,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    source = SourceFile(Path("api.yaml"), "api.yaml", "0" * 64, document, {})
    validated = validate(Spec(document, (source,), {"": Origin(source, "")}))
    assert [d for d in validated.diagnostics if d.severity is Severity.ERROR] == []
    return _generate(validated.document)


@pytest.mark.parametrize("field", list(FORMS))
def test_nullable_form_renders_as_optional(rendered: str, field: str) -> None:
    assert _annotation(rendered, "M", field) == FORMS[field][1]


def test_inline_branch_keeps_its_constraints(rendered: str) -> None:
    line = next(line for line in rendered.splitlines() if "any_of_inline_null:" in line)
    assert "max_length=3" in line


def test_without_normalisation_an_enum_null_branch_is_an_enum_class() -> None:
    # why `{enum: [null]}` branches are dropped: DCG makes a one-member Enum of them
    schemas = {
        "X": {"type": "object", "properties": {"a": {"type": "string"}}},
        "M": {
            "type": "object",
            "properties": {"f": {"anyOf": [REF, {"enum": [None]}]}},
            "required": ["f"],
        },
    }
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}
    source = _generate({**document, "components": {"schemas": schemas}})
    assert _annotation(source, "M", "f") != "X | None"
