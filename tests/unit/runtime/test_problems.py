"""generator/runtime/python/_problems.py as code: an error the server found, fitted to the
error schemas published APIs declare (schemas as pydantic's `json_schema()` writes them)."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, TypeAdapter

from generator.runtime.python._problems import Problem, fit, title_of

INVALID = Problem(
    400,
    "Bad Request",
    "request body is invalid",
    [{"loc": ["body", "name"], "msg": "too short", "type": "string_too_short"}],
)
MISSING_PET = Problem(404, "Not Found", "no pet 7")


def schema_of(annotation: Any) -> dict[str, Any]:
    schema: dict[str, Any] = TypeAdapter(annotation).json_schema()
    return schema


class Rfc9457(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class OpenAiStyle(BaseModel):
    class Inner(BaseModel):
        message: str
        type: str
        code: str | None = None

    error: Inner


class Field(BaseModel):
    field: str
    message: str


class WithDetails(BaseModel):
    code: int
    message: str
    errors: list[Field] = []


class Retry(BaseModel):
    retry_token: str


def test_a_problem_schema_gets_the_problem() -> None:
    value = fit(schema_of(Rfc9457), MISSING_PET, problem_json=True)
    assert value == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no pet 7",
    }


def test_a_nested_error_object_is_filled_by_name() -> None:
    value = fit(schema_of(OpenAiStyle), MISSING_PET)
    assert value == {"error": {"message": "no pet 7", "type": "not_found", "code": "not_found"}}
    OpenAiStyle.model_validate(value)


def test_validation_errors_become_the_declared_items() -> None:
    value = fit(schema_of(WithDetails), INVALID)
    assert value == {
        "code": 400,
        "message": "request body is invalid",
        "errors": [{"field": "body.name", "message": "too short"}],
    }


def test_an_optional_errors_array_is_left_out_without_errors() -> None:
    assert fit(schema_of(WithDetails), MISSING_PET) == {"code": 404, "message": "no pet 7"}


def test_a_required_property_nothing_fits_is_refused() -> None:
    with pytest.raises(ValueError, match="retry_token"):
        fit(schema_of(Retry), MISSING_PET)


def test_enums_and_consts_are_respected() -> None:
    class Coded(BaseModel):
        status: Literal[400, 422]
        message: str

    assert fit(schema_of(Coded), INVALID)["status"] == 400
    with pytest.raises(ValueError):
        fit(schema_of(Coded), MISSING_PET)


def test_a_union_takes_the_first_alternative_that_fits() -> None:
    value = fit(schema_of(Retry | WithDetails), MISSING_PET)
    assert value == {"code": 404, "message": "no pet 7"}


def test_a_schema_that_says_nothing_gets_the_problem_body() -> None:
    assert fit({}, INVALID) == INVALID.body()
    assert fit({"type": "object"}, MISSING_PET) == MISSING_PET.body()
    with pytest.raises(ValueError):
        fit({"type": "string"}, MISSING_PET)


def test_all_of_parts_are_merged() -> None:
    schema = {
        "allOf": [
            {"$ref": "#/$defs/Base"},
            {"type": "object", "properties": {"detail": {"type": "string"}}},
        ],
        "$defs": {
            "Base": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": {"type": "string"}},
            }
        },
    }
    assert fit(schema, MISSING_PET) == {"title": "Not Found", "detail": "no pet 7"}


def test_the_problem_body_and_titles() -> None:
    assert INVALID.body() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "request body is invalid",
        "errors": [{"loc": ["body", "name"], "msg": "too short", "type": "string_too_short"}],
    }
    assert (title_of(415), title_of(599)) == ("Unsupported Media Type", "Error")
