"""Parameter rules: one minimal before/after pair per rule."""

from __future__ import annotations

from typing import Any

from generator.diff.model import Severity
from tests.diff.helpers import Diff, Doc, api, ok, only, rules


def param(name: str = "limit", where: str = "query", **fields: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": {"type": "integer"}, **fields}


def with_params(*params: dict[str, Any]) -> Doc:
    return api(
        {"/items": {"get": {"operationId": "list", "parameters": list(params), "responses": ok()}}}
    )


def test_parameter_removed(diff: Diff) -> None:
    change = only(diff(with_params(param()), with_params()), "request-parameter-removed")
    assert change.severity is Severity.WARNING and change.side == "old"
    assert change.pointer == "/paths/~1items/get/parameters/0"
    assert change.message == "query parameter `limit` removed"


def test_parameter_added_required_and_optional(diff: Diff) -> None:
    required = only(
        diff(with_params(), with_params(param(required=True))), "request-parameter-added-required"
    )
    assert required.severity is Severity.BREAKING
    optional = only(diff(with_params(), with_params(param())), "request-parameter-added-optional")
    assert optional.severity is Severity.INFO


def test_parameter_became_required_and_optional(diff: Diff) -> None:
    optional, required = with_params(param()), with_params(param(required=True))
    assert rules(diff(optional, required)) == {"request-parameter-became-required"}
    assert rules(diff(required, optional)) == {"request-parameter-became-optional"}


def test_parameter_moved(diff: Diff) -> None:
    changes = diff(with_params(param()), with_params(param(where="header")))
    change = only(changes, "request-parameter-location-changed")
    assert rules(changes) == {"request-parameter-location-changed"}
    assert change.severity is Severity.BREAKING and "moved to header" in change.message


def test_header_parameters_match_case_insensitively(diff: Diff) -> None:
    old = with_params(param("X-Trace", "header"))
    assert diff(old, with_params(param("x-trace", "header"))) == []


def test_parameter_style_changed(diff: Diff) -> None:
    ids = {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
    changes = diff(with_params(ids), with_params({**ids, "explode": False}))
    assert rules(changes) == {"request-parameter-style-changed"}


def test_parameter_deprecated(diff: Diff) -> None:
    changes = diff(with_params(param()), with_params(param(deprecated=True)))
    assert rules(changes) == {"request-parameter-deprecated"}


def test_parameter_schema_through_a_component(diff: Diff) -> None:
    """Parameters given by `$ref`, schemas by `$ref`: compared where they are defined."""

    def doc(maximum: int) -> Doc:
        components = {
            "parameters": {
                "Limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"$ref": "#/components/schemas/Limit"},
                }
            },
            "schemas": {"Limit": {"type": "integer", "maximum": maximum}},
        }
        ref = {"$ref": "#/components/parameters/Limit"}
        return api(
            {"/items": {"get": {"parameters": [ref], "responses": ok()}}}, components=components
        )

    change = only(diff(doc(100), doc(50)), "request-parameter-max-decreased")
    assert change.pointer == "/components/schemas/Limit"
    assert change.message == "query parameter `limit`: maximum changed from 100 to 50"
