"""Lint rules SG401-SG413: one small inline spec per rule, code, severity and pointer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, Severity
from generator.load.spec import Spec
from generator.validate import validate

MakeSpec = Callable[..., Spec]
OK = {"200": {"description": "ok"}}
STRING = {"type": "string"}


def _doc(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    info = {"title": "t", "version": "1"}
    return {"openapi": "3.0.3", "info": info, "paths": paths or {}, **extra}


def _op(operation_id: str | None = None, **fields: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": OK, **fields}
    if operation_id is not None:
        op["operationId"] = operation_id
    return op


def _param(name: str, where: str = "query", **fields: Any) -> dict[str, Any]:
    required = {"required": True} if where == "path" else {}
    return {"name": name, "in": where, "schema": STRING, **required, **fields}


def _found(make_spec: MakeSpec, document: dict[str, Any], code: str) -> list[Diagnostic]:
    return [d for d in validate(make_spec(document)).diagnostics if d.code == code]


def _where(diagnostics: list[Diagnostic]) -> list[tuple[Severity, str]]:
    return sorted((d.severity, d.location.pointer if d.location else "") for d in diagnostics)


def test_sg401_missing_operation_id_names_the_fallback(make_spec: MakeSpec) -> None:
    [found] = _found(make_spec, _doc({"/v1/feedback": {"post": _op()}}), "SG401")
    assert _where([found]) == [(Severity.WARNING, "/paths/~1v1~1feedback/post")]
    assert "`post_v1_feedback`" in found.message
    assert found.hint


def test_sg402_duplicate_operation_id_names_both_locations(make_spec: MakeSpec) -> None:
    paths = {"/a": {"get": _op("same")}, "/b": {"get": _op("same")}}
    positions = {"/paths/~1a/get/operationId": (4, 7), "/paths/~1b/get/operationId": (9, 7)}
    result = validate(make_spec(_doc(paths), "api.yaml", positions))
    [found] = [d for d in result.diagnostics if d.code == "SG402"]
    assert _where([found]) == [(Severity.ERROR, "/paths/~1b/get/operationId")]
    assert found.location is not None and found.location.line == 9
    assert "api.yaml:4:7 /paths/~1a/get/operationId" in found.message
    # the validator's own (unlocated) duplicate report is not repeated as SG310
    assert [d.code for d in result.diagnostics] == ["SG402"]


def test_sg403_template_variable_without_parameter(make_spec: MakeSpec) -> None:
    found = _found(make_spec, _doc({"/a/{id}": {"get": _op("a")}}), "SG403")
    assert _where(found) == [(Severity.ERROR, "/paths/~1a~1{id}/get")]
    assert "`{id}`" in found[0].message


def test_sg403_path_level_and_referenced_parameters_count(make_spec: MakeSpec) -> None:
    paths = {
        "/a/{id}/{kind}": {
            "parameters": [_param("id", "path")],
            "get": _op("a", parameters=[{"$ref": "#/components/parameters/Kind"}]),
        }
    }
    components = {"parameters": {"Kind": _param("kind", "path")}}
    result = validate(make_spec(_doc(paths, components=components)))
    assert result.diagnostics == ()


def test_sg404_path_parameter_not_in_template(make_spec: MakeSpec) -> None:
    paths = {"/a": {"get": _op("a", parameters=[_param("id", "path")])}}
    result = validate(make_spec(_doc(paths)))
    assert _where([d for d in result.diagnostics if d.code == "SG404"]) == [
        (Severity.ERROR, "/paths/~1a/get/parameters/0")
    ]
    assert [d.code for d in result.diagnostics] == ["SG404"]  # not again as SG310


def test_sg405_path_parameter_not_required(make_spec: MakeSpec) -> None:
    param = {"name": "id", "in": "path", "schema": STRING, "required": False}
    paths = {"/a/{id}": {"get": _op("a", parameters=[param])}}
    found = _found(make_spec, _doc(paths), "SG405")
    assert _where(found) == [(Severity.WARNING, "/paths/~1a~1{id}/get/parameters/0")]
    assert "treated as required" in found[0].message


def test_path_level_problems_are_reported_once(make_spec: MakeSpec) -> None:
    item = {"parameters": [_param("id", "path", required=False)], "get": _op("a"), "put": _op("b")}
    paths = {"/a/{id}": item}
    assert len(_found(make_spec, _doc(paths), "SG405")) == 1


@pytest.mark.parametrize(
    "ref",
    ["#/components/schemas/Nope", "#/components/schemas/A/properties/missing", "other.yaml#/A"],
)
def test_sg406_unresolvable_ref(make_spec: MakeSpec, ref: str) -> None:
    schemas = {"A": {"type": "object", "properties": {"b": {"$ref": ref}}}}
    found = _found(make_spec, _doc(components={"schemas": schemas}), "SG406")
    assert _where(found) == [(Severity.ERROR, "/components/schemas/A/properties/b/$ref")]


def test_sg406_ignores_refs_inside_data(make_spec: MakeSpec) -> None:
    schema = {
        "type": "object",
        "properties": {"value": {"$ref": "#/components/schemas/B"}},  # a property named "value"
        "example": {"$ref": "#/not/a/reference"},
        "x-vendor": {"$ref": "#/nor/this"},
    }
    schemas = {"A": schema, "B": STRING}
    assert validate(make_spec(_doc(components={"schemas": schemas}))).diagnostics == ()


def test_sg407_operation_ids_with_one_python_name(make_spec: MakeSpec) -> None:
    paths = {"/a": {"get": _op("getUser")}, "/b": {"get": _op("get_user")}}
    found = _found(make_spec, _doc(paths), "SG407")
    assert _where(found) == [(Severity.WARNING, "/paths/~1b/get/operationId")]
    assert "`get_user`" in found[0].message
    assert "method is named `get_user_operation`" in found[0].message


def test_sg407_operation_id_against_a_fallback_name(make_spec: MakeSpec) -> None:
    paths = {"/a": {"get": _op("get_b")}, "/b": {"get": _op()}}
    found = _found(make_spec, _doc(paths), "SG407")
    assert _where(found) == [(Severity.WARNING, "/paths/~1b/get")]


def test_sg407_schemas_with_one_class_name(make_spec: MakeSpec) -> None:
    schemas = {"user_info": STRING, "UserInfo": STRING}
    found = _found(make_spec, _doc(components={"schemas": schemas}), "SG407")
    assert _where(found) == [(Severity.WARNING, "/components/schemas/UserInfo")]
    assert "`UserInfo`" in found[0].message and "named `UserInfo2`" in found[0].message


def test_sg407_parameters_with_one_python_name(make_spec: MakeSpec) -> None:
    params = [_param("user-id"), _param("user_id", "header")]
    found = _found(make_spec, _doc({"/a": {"get": _op("a", parameters=params)}}), "SG407")
    # Legal OpenAPI: generated, the second argument named with its location.
    assert _where(found) == [(Severity.WARNING, "/paths/~1a/get/parameters/1")]
    assert "the second is named `user_id_header`" in found[0].message


def test_a_parameter_named_like_the_body_argument_is_no_lint_finding(make_spec: MakeSpec) -> None:
    """The Python view renames it (`body_query`); the spec is not refused for it."""
    body = {"content": {"application/json": {"schema": STRING}}}
    op = _op("a", parameters=[_param("body")], requestBody=body)
    assert _found(make_spec, _doc({"/a": {"post": op}}), "SG407") == []


def test_sg407_properties_with_one_attribute_name_is_a_warning(make_spec: MakeSpec) -> None:
    schema = {"type": "object", "properties": {"userId": STRING, "user_id": STRING}}
    found = _found(make_spec, _doc(components={"schemas": {"A": schema}}), "SG407")
    assert _where(found) == [(Severity.WARNING, "/components/schemas/A/properties/user_id")]


def test_sg408_same_name_in_two_locations(make_spec: MakeSpec) -> None:
    params = [_param("id", "path"), _param("id", "query")]
    result = validate(make_spec(_doc({"/a/{id}": {"get": _op("a", parameters=params)}})))
    assert [(d.code, d.severity) for d in result.diagnostics] == [("SG408", Severity.WARNING)]
    # The first keeps its name; the second gets its location (the views' rule).
    assert "named `id` and `id_query`" in result.diagnostics[0].message


def test_sg409_duplicate_parameter(make_spec: MakeSpec) -> None:
    params = [_param("q"), {"$ref": "#/components/parameters/Q"}]
    components = {"parameters": {"Q": _param("q")}}
    result = validate(
        make_spec(_doc({"/a": {"get": _op("a", parameters=params)}}, components=components))
    )
    assert _where([d for d in result.diagnostics if d.code == "SG409"]) == [
        (Severity.ERROR, "/paths/~1a/get/parameters/1")
    ]


def test_operation_parameters_override_path_parameters(make_spec: MakeSpec) -> None:
    item = {"parameters": [_param("q")], "get": _op("a", parameters=[_param("q", description="x")])}
    assert validate(make_spec(_doc({"/a": item}))).diagnostics == ()


@pytest.mark.parametrize(
    "media_type", ["multipart/mixed", "application/xml", "application/msgpack"]
)
def test_sg410_untyped_media_types(make_spec: MakeSpec, media_type: str) -> None:
    body = {"content": {media_type: {"schema": STRING}}}
    found = _found(make_spec, _doc({"/a": {"post": _op("a", requestBody=body)}}), "SG410")
    pointer = "/paths/~1a/post/requestBody/content/" + media_type.replace("/", "~1")
    assert _where(found) == [(Severity.WARNING, pointer)]
    assert "raw bytes" in found[0].message


def test_sg410_responses_and_components(make_spec: MakeSpec) -> None:
    xml = {"application/xml": {"schema": STRING}}
    responses = {
        "200": {"description": "ok", "content": xml},
        "404": {"$ref": "#/components/responses/E"},
    }
    components = {"responses": {"E": {"description": "e", "content": xml}}}
    paths = {"/a": {"get": _op("a", responses=responses)}}
    found = _found(make_spec, _doc(paths, components=components), "SG410")
    assert _where(found) == [
        (Severity.WARNING, "/components/responses/E/content/application~1xml"),
        (Severity.WARNING, "/paths/~1a/get/responses/200/content/application~1xml"),
    ]


@pytest.mark.parametrize(
    "media_type",
    [
        "application/json",
        "application/problem+json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/csv",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "application/pdf",
        "image/png",
        "image/*",
    ],
)
def test_typed_media_types_are_quiet(make_spec: MakeSpec, media_type: str) -> None:
    body = {"content": {media_type: {"schema": STRING}}}
    assert _found(make_spec, _doc({"/a": {"post": _op("a", requestBody=body)}}), "SG410") == []


def test_sg410_forms_in_responses(make_spec: MakeSpec) -> None:
    form = {"multipart/form-data": {"schema": STRING}}
    responses = {"200": {"description": "ok", "content": form}}
    found = _found(make_spec, _doc({"/a": {"get": _op("a", responses=responses)}}), "SG410")
    pointer = "/paths/~1a/get/responses/200/content/multipart~1form-data"
    assert _where(found) == [(Severity.WARNING, pointer)]


def test_lint_survives_structurally_broken_documents(make_spec: MakeSpec) -> None:
    broken = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/{id}": {"get": {"parameters": "nope", "responses": []}, "post": 3}, "/b": []},
        "components": {"schemas": [], "responses": {"E": {"content": ["x"]}}},
    }
    result = validate(make_spec(broken))
    assert any(d.code == "SG310" for d in result.diagnostics)
    assert any(d.code == "SG403" for d in result.diagnostics)


@pytest.mark.parametrize(
    "media_type", ["text/event-stream", "application/x-ndjson", "application/jsonl"]
)
def test_streamed_media_types_are_typed(make_spec: MakeSpec, media_type: str) -> None:
    content = {media_type: {"schema": {"type": "object"}}}
    responses = {"200": {"description": "ok", "content": content}}
    assert _found(make_spec, _doc({"/a": {"get": _op("a", responses=responses)}}), "SG410") == []


def test_sg413_webhooks_and_callbacks_that_generate_nothing(make_spec: MakeSpec) -> None:
    """Webhooks and callbacks generate code: SG413 only for one whose path item has no
    operation, which would otherwise vanish silently."""
    callback = {"{$request.body#/url}": {"post": {"responses": OK}}, "{$url}": {"summary": "x"}}
    document = _doc(
        {"/subscribe": {"post": _op("subscribe", callbacks={"onEvent": callback})}},
        webhooks={"newPet": {"post": {"responses": OK}}, "empty": {"summary": "nothing"}},
    )
    document["openapi"] = "3.1.0"
    found = _found(make_spec, document, "SG413")
    assert _where(found) == [
        (Severity.WARNING, "/paths/~1subscribe/post/callbacks/onEvent/{$url}"),
        (Severity.WARNING, "/webhooks/empty"),
    ]
    assert all("not generated" in d.message for d in found)
