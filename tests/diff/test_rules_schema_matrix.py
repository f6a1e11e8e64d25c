"""Every schema rule (`<scope>-<aspect>`), each with a minimal before/after pair, placed in every
scope: a parameter, a request body (root and property), a response body (root and property),
a response header. Direction decides the severity: the catalog's, checked against the
expectations written out in test_direction_table."""

from __future__ import annotations

import re
from typing import Any

import pytest

from generator.diff.catalog import ASPECTS, RULES, SCOPES
from tests.diff.helpers import Diff, Doc, api, ok, rules

STRING = {"type": "string"}
ARRAY = {"type": "array", "items": STRING}
OBJECT = {"type": "object", "properties": {"a": STRING}}

# aspect suffix -> (old schema, new schema): the smallest change that triggers it.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "type-narrowed": ({"type": "number"}, {"type": "integer"}),
    "type-widened": ({"type": "integer"}, {"type": "number"}),
    "type-changed": ({"type": "string"}, {"type": "integer"}),
    "format-narrowed": (
        {"type": "integer", "format": "int64"},
        {"type": "integer", "format": "int32"},
    ),
    "format-widened": ({"type": "string", "format": "uuid"}, STRING),
    "format-changed": (
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date-time"},
    ),
    "became-not-nullable": ({"type": "string", "nullable": True}, STRING),
    "became-nullable": (STRING, {"type": "string", "nullable": True}),
    "enum-value-removed": (
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a"]},
    ),
    "enum-value-added": ({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["a", "b"]}),
    "became-enum": (STRING, {"type": "string", "enum": ["a"]}),
    "enum-removed": ({"type": "string", "enum": ["a"]}, STRING),
    "max-length-decreased": (
        {"type": "string", "maxLength": 10},
        {"type": "string", "maxLength": 5},
    ),
    "max-length-increased": ({"type": "string", "maxLength": 5}, STRING),
    "min-length-increased": (STRING, {"type": "string", "minLength": 2}),
    "min-length-decreased": (
        {"type": "string", "minLength": 2},
        {"type": "string", "minLength": 1},
    ),
    "max-decreased": ({"type": "integer", "maximum": 10}, {"type": "integer", "maximum": 5}),
    "max-increased": (
        {"type": "integer", "maximum": 10, "exclusiveMaximum": True},
        {"type": "integer", "maximum": 10},
    ),
    "min-increased": ({"type": "integer"}, {"type": "integer", "minimum": 1}),
    "min-decreased": ({"type": "integer", "minimum": 1}, {"type": "integer", "minimum": 0}),
    "max-items-decreased": ({**ARRAY, "maxItems": 5}, {**ARRAY, "maxItems": 3}),
    "max-items-increased": ({**ARRAY, "maxItems": 3}, {**ARRAY, "maxItems": 5}),
    "min-items-increased": (ARRAY, {**ARRAY, "minItems": 1}),
    "min-items-decreased": ({**ARRAY, "minItems": 2}, ARRAY),
    "pattern-added": (STRING, {"type": "string", "pattern": "^a"}),
    "pattern-removed": ({"type": "string", "pattern": "^a"}, STRING),
    "pattern-changed": ({"type": "string", "pattern": "^a"}, {"type": "string", "pattern": "^b"}),
    "multiple-of-changed": (
        {"type": "integer", "multipleOf": 2},
        {"type": "integer", "multipleOf": 3},
    ),
    "unique-items-added": (ARRAY, {**ARRAY, "uniqueItems": True}),
    "unique-items-removed": ({**ARRAY, "uniqueItems": True}, ARRAY),
    "additional-properties-disallowed": (OBJECT, {**OBJECT, "additionalProperties": False}),
    "additional-properties-allowed": ({**OBJECT, "additionalProperties": False}, OBJECT),
    "variant-removed": ({"oneOf": [STRING, {"type": "integer"}]}, {"oneOf": [STRING]}),
    "variant-added": ({"oneOf": [STRING]}, {"oneOf": [STRING, {"type": "integer"}]}),
    "default-value-changed": ({"type": "integer", "default": 1}, {"type": "integer", "default": 2}),
}


def placed(scope: str, schema: dict[str, Any]) -> Doc:
    """A document with `schema` at the place `scope` names."""
    wrapped = {"type": "object", "properties": {"p": schema}}
    if scope == "request-parameter":
        param = {"name": "p", "in": "query", "schema": schema}
        return api({"/items": {"get": {"parameters": [param], "responses": ok()}}})
    if scope.startswith("request-"):
        body = schema if scope == "request-body" else wrapped
        request = {"content": {"application/json": {"schema": body}}}
        return api({"/items": {"post": {"requestBody": request, "responses": ok()}}})
    if scope == "response-header":
        headers = {"X-P": {"schema": schema}}
        return api({"/items": {"get": {"responses": ok(headers=headers)}}})
    body = schema if scope == "response-body" else wrapped
    return api({"/items": {"get": {"responses": ok(body)}}})


def test_every_aspect_has_a_case() -> None:
    assert sorted(CASES) == sorted(a.suffix for a in ASPECTS)


@pytest.mark.parametrize("scope", [s.name for s in SCOPES])
@pytest.mark.parametrize("suffix", sorted(CASES))
def test_schema_rule(diff: Diff, scope: str, suffix: str) -> None:
    old, new = CASES[suffix]
    changes = diff(placed(scope, old), placed(scope, new))
    rule = f"{scope}-{suffix}"
    assert rules(changes) == {rule}, [(c.rule, c.message) for c in changes]
    (change,) = changes
    assert change.severity == RULES[rule].severity
    assert change.side == ("old" if suffix == "variant-removed" else "new")
    side = "old" if change.side == "old" else "new"
    assert re.search(rf"/{side}\.json:\d+:\d+$", change.location), change.location


# What the issue asks for, spelled out: (rule, severity).
DIRECTION = [
    ("request-property-enum-value-removed", "breaking"),
    ("response-property-enum-value-removed", "info"),
    ("request-property-enum-value-added", "info"),
    ("response-property-enum-value-added", "breaking"),
    ("request-body-type-narrowed", "breaking"),
    ("response-body-type-narrowed", "info"),
    ("request-body-type-widened", "info"),
    ("response-body-type-widened", "breaking"),
    ("request-parameter-type-changed", "breaking"),
    ("response-property-type-changed", "breaking"),
    ("request-parameter-max-length-decreased", "breaking"),
    ("request-property-max-decreased", "breaking"),
    ("request-property-min-increased", "breaking"),
    ("request-parameter-pattern-added", "breaking"),
    ("request-property-max-items-decreased", "breaking"),
    ("request-property-min-items-increased", "breaking"),
    ("response-property-max-length-decreased", "info"),
    ("response-property-max-length-increased", "breaking"),
    ("response-property-became-nullable", "breaking"),
    ("response-property-became-not-nullable", "info"),
    ("request-property-became-not-nullable", "breaking"),
    ("request-parameter-default-value-changed", "warning"),
    ("response-property-default-value-changed", "info"),
    ("request-property-pattern-changed", "warning"),
    ("request-body-variant-removed", "breaking"),
    ("response-body-variant-added", "breaking"),
    ("response-header-format-widened", "breaking"),
    ("request-parameter-format-widened", "info"),
]


@pytest.mark.parametrize(("rule", "severity"), DIRECTION)
def test_direction_table(rule: str, severity: str) -> None:
    assert RULES[rule].severity == severity
