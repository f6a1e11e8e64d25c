"""The canonical document: nullability only as `nullable: true`, the source left untouched,
and no recursion on deep documents."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator.diagnostics import Severity
from generator.load.spec import Spec
from generator.validate import MAX_DOCUMENT_DEPTH, validate
from generator.validate.normalise import discriminator_values
from generator.validate.schemas import MAX_SCHEMA_DEPTH

MakeSpec = Callable[..., Spec]


def _normalised(make_spec: MakeSpec, schema: Any, version: str = "3.1.0") -> Any:
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"X": {"type": "object"}, "S": schema}},
    }
    return validate(make_spec(document)).document["components"]["schemas"]["S"]


REF = {"$ref": "#/components/schemas/X"}


@pytest.mark.parametrize(
    ("source", "canonical"),
    [
        # type lists
        ({"type": ["string", "null"]}, {"type": "string", "nullable": True}),
        (
            {"type": ["null", "integer"], "minimum": 1},
            {"type": "integer", "minimum": 1, "nullable": True},
        ),
        ({"type": ["string"]}, {"type": "string"}),
        ({"type": ["null"]}, {"type": "null"}),
        (
            {
                "type": ["string", "integer", "null"],
                "maxLength": 3,
                "minimum": 1,
                "description": "d",
            },
            {
                "description": "d",
                "nullable": True,
                "anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "minimum": 1}],
            },
        ),
        (
            {"type": ["string", "integer"], "enum": ["a", 1, None], "format": "int64"},
            {
                "anyOf": [
                    {"type": "string", "enum": ["a"]},
                    {"type": "integer", "format": "int64", "enum": [1]},
                ]
            },
        ),
        # null branches of anyOf / oneOf
        ({"anyOf": [REF, {"type": "null"}]}, {"anyOf": [REF], "nullable": True}),
        ({"oneOf": [{"type": "null"}, REF]}, {"oneOf": [REF], "nullable": True}),
        ({"anyOf": [REF, {"enum": [None]}]}, {"anyOf": [REF], "nullable": True}),
        ({"anyOf": [REF, {"type": ["null"]}]}, {"anyOf": [REF], "nullable": True}),
        (
            {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}], "description": "d"},
            {"description": "d", "nullable": True, "type": "string", "maxLength": 3},
        ),
        (
            {
                "anyOf": [
                    {"type": "string"},
                    {"type": "integer"},
                    {"type": "null", "description": "none"},
                ]
            },
            {"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": True},
        ),
        ({"anyOf": [{"type": "null"}]}, {"type": "null"}),
        # a branch that would collide with the schema's own keywords stays a branch
        (
            {"anyOf": [{"type": "string", "title": "inner"}, {"type": "null"}], "title": "outer"},
            {"anyOf": [{"type": "string", "title": "inner"}], "title": "outer", "nullable": True},
        ),
        # only null
        ({"type": "null"}, {"type": "null"}),
        ({"enum": [None]}, {"type": "null"}),
        ({"type": "null", "nullable": True}, {"type": "null"}),
        # kept as written
        ({"type": "string", "nullable": True}, {"type": "string", "nullable": True}),
        (
            {"type": "string", "enum": ["a", None], "nullable": True},
            {"type": "string", "enum": ["a", None], "nullable": True},
        ),
        ({"const": "x"}, {"const": "x"}),
        ({"type": "integer", "exclusiveMinimum": 0}, {"type": "integer", "exclusiveMinimum": 0}),
        (
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
            {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        ),
        ({"type": "string", "examples": ["a"]}, {"type": "string", "examples": ["a"]}),
        # a null listed in a typed enum allows null
        (
            {"type": "string", "enum": ["a", None]},
            {"type": "string", "enum": ["a", None], "nullable": True},
        ),
        ({"enum": ["a", None]}, {"enum": ["a", None]}),
        # allOf members of annotations only are folded into the parent
        (
            {"allOf": [REF, {"description": "d", "x-k": 1}]},
            {"allOf": [REF], "description": "d", "x-k": 1},
        ),
        (
            {"description": "p", "allOf": [REF, {"description": "d"}]},
            {"description": "p", "allOf": [REF]},
        ),
        ({"allOf": [{"title": "t"}]}, {"title": "t"}),
        # ... but not a null or a side, which the parent would read otherwise
        ({"allOf": [REF, {"nullable": True}]}, {"allOf": [REF, {"nullable": True}]}),
        ({"allOf": [REF, {"readOnly": True}]}, {"allOf": [REF, {"readOnly": True}]}),
    ],
)
def test_canonical_form(make_spec: MakeSpec, source: Any, canonical: Any) -> None:
    assert _normalised(make_spec, source) == canonical


def test_nested_forms_are_rewritten_inside_out(make_spec: MakeSpec) -> None:
    source = {
        "type": "object",
        "properties": {
            "a": {
                "anyOf": [
                    {"type": "array", "items": {"type": ["string", "null"]}},
                    {"type": "null"},
                ]
            },
            "type": {"type": ["boolean", "null"]},  # a property named "type"
        },
        "example": {"type": ["string", "null"]},  # data, not a schema
    }
    assert _normalised(make_spec, source) == {
        "type": "object",
        "properties": {
            "a": {"nullable": True, "type": "array", "items": {"type": "string", "nullable": True}},
            "type": {"type": "boolean", "nullable": True},
        },
        "example": {"type": ["string", "null"]},
    }


def test_3_0_document_is_normalised_the_same_way(make_spec: MakeSpec) -> None:
    source = {"anyOf": [REF, {"type": "null"}]}
    assert _normalised(make_spec, source, "3.0.3") == {"anyOf": [REF], "nullable": True}


def test_source_document_is_not_mutated(make_spec: MakeSpec) -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {"S": {"anyOf": [{"type": "string"}, {"type": "null"}], "const": "a"}}
        },
    }
    before = copy.deepcopy(document)
    spec = make_spec(document)
    result = validate(spec)
    assert spec.document == before
    assert result.document is not spec.document
    assert result.document["components"]["schemas"]["S"]["nullable"] is True


def _deep_document(depth: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": schema}},
    }


def test_ten_thousand_levels_are_sg305_not_recursion_error(make_spec: MakeSpec) -> None:
    result = validate(make_spec(_deep_document(10_000)))
    [diagnostic] = [d for d in result.diagnostics if d.code == "SG305"]
    assert diagnostic.severity is Severity.ERROR
    assert diagnostic.location is not None
    assert diagnostic.location.pointer == "/components/schemas/Deep"
    assert len(diagnostic.message) < 300
    assert [d.code for d in result.diagnostics] == ["SG305"]  # structural checks skipped


def test_depth_at_the_limit_validates(make_spec: MakeSpec) -> None:
    result = validate(make_spec(_deep_document(MAX_SCHEMA_DEPTH)))
    assert result.diagnostics == ()


def _with_example(depth: int) -> dict[str, Any]:
    example: Any = 1
    for _ in range(depth):
        example = {"a": example}
    document = _deep_document(1)
    document["components"]["schemas"]["Deep"]["example"] = example
    return document


def test_deep_data_is_sg305_not_recursion_error(make_spec: MakeSpec) -> None:
    result = validate(make_spec(_with_example(10_000)))
    [diagnostic] = result.diagnostics
    assert (diagnostic.code, diagnostic.severity) == ("SG305", Severity.ERROR)
    assert diagnostic.location is not None
    assert diagnostic.location.pointer == "/components/schemas/Deep"
    assert len(diagnostic.message) < 300
    assert "a" in result.document["components"]["schemas"]["Deep"]["example"]  # copied


def test_data_at_the_document_limit_validates(make_spec: MakeSpec) -> None:
    # /components/schemas/Deep/example is 4 levels: the example may nest up to the limit
    assert validate(make_spec(_with_example(MAX_DOCUMENT_DEPTH - 4))).diagnostics == ()


SCHEMAS = "#/components/schemas/"


def test_azure_discriminator_values_complete_the_base_mapping() -> None:
    """`x-ms-discriminator-value` is the tag of a schema extending a discriminated base:
    without it, OpenAPI takes the schema's name (`Dog`), which the base's enum refuses."""
    base = {"discriminator": {"propertyName": "kind", "mapping": {"tabby": "Cat"}}}
    document = {
        "components": {
            "schemas": {
                "Pet": base,
                "Cat": {"x-ms-discriminator-value": "cat", "allOf": [{"$ref": SCHEMAS + "Pet"}]},
                "Dog": {"x-ms-discriminator-value": "dog", "allOf": [{"$ref": SCHEMAS + "Pet"}]},
                "Bird": {"x-ms-discriminator-value": "tabby", "allOf": [{"$ref": SCHEMAS + "Pet"}]},
                "Fish": {"x-ms-discriminator-value": "fish", "allOf": [{"$ref": SCHEMAS + "Nope"}]},
            }
        }
    }
    discriminator_values(document)
    # Cat was mapped by name already, Bird's value is taken: the mapping's own entries stay.
    assert base["discriminator"]["mapping"] == {"tabby": "Cat", "dog": SCHEMAS + "Dog"}
