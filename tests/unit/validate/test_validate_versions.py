"""SG300 (unsupported version), SG301/SG302 (version mixing), the seeds and the full spec."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.load.spec import SourceFile, Spec
from generator.validate import Validated, validate

MakeSpec = Callable[..., Spec]


def _doc(version: str = "3.0.3", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}, **extra}


def _codes(diagnostics: tuple[Diagnostic, ...], code: str | None = None) -> list[tuple[str, str]]:
    return [
        (d.code, d.location.pointer if d.location else "")
        for d in diagnostics
        if code is None or d.code == code
    ]


def _errors(diagnostics: tuple[Diagnostic, ...]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("head", "words"),
    [
        ({"swagger": "2.0"}, "Swagger"),
        ({}, "no `openapi`"),
        ({"openapi": 3.1}, "must be a string"),
        ({"openapi": "4.0.0"}, "not supported"),
        ({"openapi": "3.2.0"}, "not supported"),
        ({"openapi": "2.0"}, "not supported"),
    ],
)
def test_unsupported_versions_are_sg300_errors(
    make_spec: MakeSpec, head: dict[str, Any], words: str
) -> None:
    document = {**head, "info": {"title": "t", "version": "1"}, "paths": {}}
    result = validate(make_spec(document))
    assert result.version == ""
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("SG300", Severity.ERROR)
    assert words in diagnostic.message


def test_a_document_that_is_not_a_mapping_is_sg300(make_spec: MakeSpec) -> None:
    [diagnostic] = validate(make_spec("- just\n- a list\n")).diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("SG300", Severity.ERROR)


def test_sg300_stays_an_error_with_allow_invalid(make_spec: MakeSpec) -> None:
    result = validate(make_spec({"swagger": "2.0"}), allow_invalid=True)
    assert [d.severity for d in result.diagnostics] == [Severity.ERROR]


@pytest.mark.parametrize(
    ("declared", "version"), [("3.0.3", "3.0"), ("3.0.0", "3.0"), ("3.1.1", "3.1")]
)
def test_declared_version(make_spec: MakeSpec, declared: str, version: str) -> None:
    result = validate(make_spec(_doc(declared)))
    assert (result.version, result.diagnostics) == (version, ())


def _schemas(make_spec: MakeSpec, version: str, schemas: dict[str, Any]) -> Validated:
    return validate(make_spec(_doc(version, components={"schemas": schemas})))


def test_3_1_document_with_nullable_is_sg301_per_node(make_spec: MakeSpec) -> None:
    result = _schemas(
        make_spec,
        "3.1.0",
        {
            "A": {"type": "string", "nullable": True},
            "B": {"type": "object", "properties": {"x": {"type": "integer", "nullable": True}}},
        },
    )
    assert sorted(_codes(result.diagnostics)) == [
        ("SG301", "/components/schemas/A/nullable"),
        ("SG301", "/components/schemas/B/properties/x/nullable"),
    ]
    assert all(d.severity is Severity.WARNING for d in result.diagnostics)
    assert "null is also allowed" in result.diagnostics[0].message


def test_3_1_document_with_boolean_exclusive_minimum_is_sg301(make_spec: MakeSpec) -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    result = _schemas(make_spec, "3.1.0", {"A": schema})
    assert _codes(result.diagnostics) == [("SG301", "/components/schemas/A/exclusiveMinimum")]


def test_3_0_document_with_3_1_forms_is_sg302_per_keyword(make_spec: MakeSpec) -> None:
    result = _schemas(
        make_spec,
        "3.0.3",
        {
            "A": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "B": {"type": ["string", "null"]},
            "C": {"type": ["string", "integer"]},
            "D": {"const": "x"},
            "E": {"type": "integer", "exclusiveMinimum": 0},
            "F": {"type": "string", "examples": ["a"]},
        },
    )
    assert sorted(_codes(result.diagnostics)) == [
        ("SG302", "/components/schemas/A/anyOf/1/type"),
        ("SG302", "/components/schemas/B/type"),
        ("SG302", "/components/schemas/C/type"),
        ("SG302", "/components/schemas/D/const"),
        ("SG302", "/components/schemas/E/exclusiveMinimum"),
        ("SG302", "/components/schemas/F/examples"),
    ]


def test_mixing_is_only_read_in_schema_positions(make_spec: MakeSpec) -> None:
    # a property *named* "type" or "nullable", and example data that looks like a schema
    schema = {
        "type": "object",
        "properties": {"type": {"type": "string"}, "nullable": {"type": "boolean"}},
        "example": {"type": "null", "nullable": True},
    }
    assert _schemas(make_spec, "3.0.3", {"A": schema}).diagnostics == ()
    assert _schemas(make_spec, "3.1.0", {"A": schema}).diagnostics == ()


def test_schemas_everywhere_are_read(make_spec: MakeSpec) -> None:
    nullable = {"type": "string", "nullable": True}
    operation = {
        "parameters": [{"name": "q", "in": "query", "schema": nullable}],
        "requestBody": {"content": {"application/json": {"schema": nullable}}},
        "responses": {
            "200": {
                "description": "ok",
                "headers": {"X-Rate": {"schema": nullable}},
                "content": {"application/json": {"schema": {"items": nullable}}},
            }
        },
    }
    document = _doc("3.1.0", paths={"/a": {"post": {"operationId": "a", **operation}}})
    pointers = [p for _, p in _codes(validate(make_spec(document)).diagnostics, "SG301")]
    assert sorted(pointers) == [
        "/paths/~1a/post/parameters/0/schema/nullable",
        "/paths/~1a/post/requestBody/content/application~1json/schema/nullable",
        "/paths/~1a/post/responses/200/content/application~1json/schema/items/nullable",
        "/paths/~1a/post/responses/200/headers/X-Rate/schema/nullable",
    ]


def test_every_use_is_kept_even_past_twenty(make_spec: MakeSpec) -> None:
    schemas = {f"S{i}": {"type": "string", "nullable": True} for i in range(30)}
    assert len(_codes(_schemas(make_spec, "3.1.0", schemas).diagnostics, "SG301")) == 30


def test_diagnostics_carry_file_positions(make_spec: MakeSpec) -> None:
    document = _doc("3.1.0", components={"schemas": {"A": {"nullable": True}}})
    positions = {"/components/schemas/A": (7, 5), "/components/schemas/A/nullable": (8, 7)}
    [diagnostic] = validate(make_spec(document, "api.yaml", positions)).diagnostics
    assert diagnostic.location is not None
    where = (diagnostic.location.file, diagnostic.location.line, diagnostic.location.column)
    assert where == ("api.yaml", 8, 7)


@pytest.mark.parametrize(
    ("page", "item"),
    [
        ("braintrust_experiment_feedback.md", "FeedbackExperimentItem"),
        ("braintrust_project_logs_feedback.md", "FeedbackProjectLogsItem"),
    ],
)
def test_braintrust_seed_pages_have_sg301_warnings_only(
    make_spec: MakeSpec, seed_yaml: Callable[[str], str], page: str, item: str
) -> None:
    result = validate(make_spec(seed_yaml(page), page))
    assert result.version == "3.1"
    assert _errors(result.diagnostics) == []
    assert {d.code for d in result.diagnostics} == {"SG301"}
    pointers = [p for _, p in _codes(result.diagnostics)]
    assert f"/components/schemas/{item}/properties/comment/nullable" in pointers
    assert all(p.endswith("/nullable") for p in pointers)


@pytest.fixture(scope="module")
def full_spec(full_document: dict[str, Any]) -> Validated:
    source = SourceFile(Path("spec.yaml"), "spec.yaml", "0" * 64, full_document, {})
    return validate(Spec(document=full_document, sources=(source,), origins={}))


def test_full_braintrust_spec_has_warnings_only(full_spec: Validated) -> None:
    assert full_spec.version == "3.0"
    assert _errors(full_spec.diagnostics) == []
    assert Counter(d.code for d in full_spec.diagnostics) == {"SG302": 17}


def test_full_braintrust_spec_null_types_are_located(full_spec: Validated) -> None:
    pointers = [p for _, p in _codes(full_spec.diagnostics, "SG302")]
    assert "/components/schemas/NullableSavedFunctionId/anyOf/2/type" in pointers
    layout = "/components/schemas/ProjectSettings/properties/spanFieldOrder/items/properties/layout"
    assert f"{layout}/anyOf/2/type" in pointers


def test_full_braintrust_spec_is_normalised(full_spec: Validated) -> None:
    saved = full_spec.document["components"]["schemas"]["NullableSavedFunctionId"]
    assert saved["nullable"] is True
    assert [branch.get("type") for branch in saved["anyOf"]] == ["object", "object"]
