"""SG310: openapi-spec-validator findings, each located at the offending node, one line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.load.spec import SourceFile, Spec
from generator.load.tree import deep_copy
from generator.validate import validate
from generator.validate.normalise import for_validation
from generator.validate.schemas import walk_schemas
from generator.validate.structural import check_structure

MakeSpec = Callable[..., Spec]
INFO = {"title": "t", "version": "1"}
OK = {"200": {"description": "ok"}}


def _doc(version: str, **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": INFO, "paths": {}, **extra}


def _sg310(diagnostics: tuple[Diagnostic, ...]) -> dict[str, str]:
    """pointer -> message of the SG310 diagnostics."""
    return {d.location.pointer: d.message for d in diagnostics if d.code == "SG310" and d.location}


def test_missing_responses(make_spec: MakeSpec) -> None:
    # required in 3.0 only: 3.1 made `responses` optional
    document = _doc("3.0.3", paths={"/a": {"get": {"operationId": "a"}}})
    result = validate(make_spec(document))
    assert _sg310(result.diagnostics) == {"/paths/~1a/get": "'responses' is a required property"}
    [diagnostic] = result.diagnostics
    assert diagnostic.severity is Severity.ERROR
    assert "#operation-object" in diagnostic.hint
    assert "--allow-invalid" in diagnostic.hint


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_wrong_types_inside_a_response_schema(make_spec: MakeSpec, version: str) -> None:
    schema = {"type": "object", "properties": {"x": {"type": "strin"}, "y": {"minimum": "zero"}}}
    content = {"application/json": {"schema": schema}}
    responses = {"200": {"description": "ok", "content": content}}
    document = _doc(version, paths={"/a": {"get": {"operationId": "a", "responses": responses}}})
    found = _sg310(validate(make_spec(document)).diagnostics)
    base = "/paths/~1a/get/responses/200/content/application~1json/schema/properties"
    assert set(found) == {f"{base}/x/type", f"{base}/y/minimum"}
    assert found[f"{base}/y/minimum"] == "'zero' is not of type 'number'"
    assert found[f"{base}/x/type"].startswith("'strin' is not one of")


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
def test_component_schema_errors_are_all_reported(make_spec: MakeSpec, version: str) -> None:
    schemas = {
        "A": {"type": "object", "properties": {"x": {"type": "strin"}, "y": {"minimum": "zero"}}},
        "B": "string",
        "C": {"type": "integer", "default": "abc"},
        "D": {"type": "object", "required": ["q"], "allOf": [{"properties": {"r": {}}}]},
    }
    result = validate(make_spec(_doc(version, components={"schemas": schemas})))
    found = _sg310(result.diagnostics)
    assert set(found) == {
        "/components/schemas/A/properties/x/type",
        "/components/schemas/A/properties/y/minimum",
        "/components/schemas/B",
        "/components/schemas/D/required",
    }
    assert "['q']" in found["/components/schemas/D/required"]
    # A default its schema rejects is a warning (SG311), and generation reads no default.
    (default,) = [d for d in result.diagnostics if d.code == "SG311"]
    assert default.severity is Severity.WARNING and default.location is not None
    assert default.location.pointer == "/components/schemas/C/default"
    assert default.message.startswith("'abc' is not of type 'integer'")
    assert "default" not in result.document["components"]["schemas"]["C"]


def test_unknown_schema_keyword_in_3_0(make_spec: MakeSpec) -> None:
    """A keyword OpenAPI does not define is a warning (SG313: ignored), as other generators
    read it; --strict makes it an error."""
    schemas = {"A": {"type": "string", "nullabel": True}}
    result = validate(make_spec(_doc("3.0.3", components={"schemas": schemas})))
    (found,) = result.diagnostics
    assert found.code == "SG313" and found.severity is Severity.WARNING
    assert found.location is not None and found.location.pointer == "/components/schemas/A"
    assert "'nullabel'" in found.message


def test_path_parameter_without_required(make_spec: MakeSpec) -> None:
    param = {"name": "id", "in": "path", "schema": {"type": "string"}}
    document = _doc(
        "3.0.3",
        paths={"/a/{id}": {"get": {"operationId": "a", "parameters": [param], "responses": OK}}},
    )
    result = validate(make_spec(document))
    pointer = "/paths/~1a~1{id}/get/parameters/0"
    assert _sg310(result.diagnostics) == {pointer: "'required' is a required property"}
    assert [(d.code, d.severity) for d in result.diagnostics if d.code != "SG310"] == [
        ("SG405", Severity.WARNING)
    ]


def test_duplicate_tags_are_located(make_spec: MakeSpec) -> None:
    document = _doc("3.1.0", tags=[{"name": "t"}, {"name": "u"}, {"name": "t"}])
    assert _sg310(validate(make_spec(document)).diagnostics) == {
        "/tags/2/name": "Duplicate tag name 't'"
    }


def test_missing_info_version_in_3_1(make_spec: MakeSpec) -> None:
    document = {"openapi": "3.1.0", "info": {"title": "t"}, "paths": {}}
    assert _sg310(validate(make_spec(document)).diagnostics) == {
        "/info": "'version' is a required property"
    }


def test_missing_info_is_at_the_root(make_spec: MakeSpec) -> None:
    document = {"openapi": "3.0.3", "paths": {}}
    assert _sg310(validate(make_spec(document)).diagnostics) == {
        "": "'info' is a required property"
    }


def test_big_offending_values_are_clipped(make_spec: MakeSpec) -> None:
    response = {"description": "x" * 5000, "content": {"application/json": {"schema": {"type": 5}}}}
    document = _doc(
        "3.0.3",
        paths={"/a": {"get": {"operationId": "a", "responses": {"200": response, "bogus": 1}}}},
    )
    result = validate(make_spec(document))
    assert result.diagnostics
    assert all(len(d.message) <= 300 for d in result.diagnostics)
    assert all("x" * 100 not in d.message for d in result.diagnostics)


def test_allow_invalid_downgrades_structural_errors_only(make_spec: MakeSpec) -> None:
    paths = {
        "/a": {"get": {"operationId": "a"}},  # SG310: responses missing
        "/b": {"get": {"operationId": "a", "responses": OK}},  # SG402: duplicate operationId
    }
    result = validate(make_spec(_doc("3.0.3", paths=paths)), allow_invalid=True)
    by_code = {d.code: d for d in result.diagnostics}
    assert by_code["SG310"].severity is Severity.WARNING
    assert "--allow-invalid" in by_code["SG310"].message
    assert "pass --allow-invalid" not in by_code["SG310"].hint
    assert by_code["SG402"].severity is Severity.ERROR


def test_3_0_document_validates_after_3_1_null_forms_are_read(make_spec: MakeSpec) -> None:
    schemas = {
        "A": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "B": {"type": ["integer", "null"], "exclusiveMinimum": 0},
        "C": {"const": 3, "examples": [3]},
    }
    result = validate(make_spec(_doc("3.0.3", components={"schemas": schemas})))
    assert {d.code for d in result.diagnostics} == {"SG302"}


def test_unresolvable_ref_skips_the_validator_instead_of_crashing(make_spec: MakeSpec) -> None:
    responses = {"200": {"$ref": "#/components/responses/Nope"}}
    document = _doc("3.0.3", paths={"/a": {"get": {"operationId": "a", "responses": responses}}})
    result = validate(make_spec(document))
    assert [d.code for d in result.diagnostics] == ["SG406"]


def test_validator_failures_become_sg310_not_exceptions() -> None:
    # check_structure on its own (validate() skips it for broken refs): a broken ref stops
    # openapi-spec-validator, and that is reported rather than raised
    document = _doc("3.0.3", paths={"/a": {"get": {"responses": {"200": {"$ref": "#/nope"}}}}})
    source = SourceFile(Path("api.yaml"), "api.yaml", "0" * 64, document, {})
    found = check_structure(document, "3.0", walk_schemas(document), Spec(document, (source,)))
    assert [d.code for d in found] == ["SG310"]
    assert "stopped" in found[0].message


def test_full_spec_validator_time(full_document: dict[str, Any]) -> None:
    """Not a benchmark: a guard against pathological slowdowns (about 1 s here)."""
    document = deep_copy(full_document)
    walk = walk_schemas(document)
    for_validation(walk, "3.0")
    source = SourceFile(Path("spec.yaml"), "spec.yaml", "0" * 64, document, {})
    started = time.perf_counter()
    found = check_structure(document, "3.0", walk, Spec(document, (source,)))
    elapsed = time.perf_counter() - started
    assert found == []
    assert elapsed < 30
