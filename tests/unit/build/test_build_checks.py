"""generator/build/checks.py: which request bodies the models validate alone, read from real
documents through the whole build (the request side of the servers' checks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.checks import model_is_exact, text_is_checked
from tests.unit.build.test_build_api import build

SPEC = """
openapi: 3.1.0
info: {title: Checks, version: '1'}
paths:
  /a:
    post:
      operationId: a
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/%s'}}
      responses:
        '204': {description: ok}
components:
  schemas:
    Plain:
      type: object
      additionalProperties: false
      required: [id]
      properties:
        id: {type: string, format: uuid}
        size: {type: integer, minimum: 1, maximum: 9, multipleOf: 1}
        name: {type: string, minLength: 1, maxLength: 9, pattern: '^[a-z]+$'}
        kind: {type: string, enum: [a, b]}
        tags: {type: array, items: {type: string}, maxItems: 3}
        note: {type: string, nullable: true}
        extra: {type: object, additionalProperties: {type: integer}}
        child: {$ref: '#/components/schemas/Plain'}
        any: {anyOf: [{type: string}, {type: integer}]}
    Tagged:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: pet}
    Cat: {type: object, required: [pet], properties: {pet: {const: Cat}}}
    Dog: {type: object, required: [pet], properties: {pet: {const: Dog}}}
    Exclusive:
      oneOf: [{type: object, properties: {a: {type: string}}}, {type: object}]
    Negated: {type: object, properties: {a: {not: {type: string}}}}
    Unique: {type: array, uniqueItems: true, items: {type: string}}
    Email: {type: object, properties: {to: {type: string, format: email}}}
    Stamped: {type: object, properties: {at: {type: string, format: date-time}}}
    Dated: {type: object, properties: {on: {type: string, format: date}}}
    Both:
      type: object
      properties: {a: {type: string}}
      additionalProperties: {type: integer}
    Hidden:
      type: object
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
    Deep: {type: object, properties: {inner: {$ref: '#/components/schemas/Negated'}}}
    Flag: {type: object, properties: {merge: {type: boolean, enum: [false]}}}
    Empty:
      anyOf: [{type: array}, {type: object, nullable: true, additionalProperties: false}]
"""


@pytest.mark.parametrize(
    ("schema", "exact"),
    [
        ("Plain", True),
        ("Tagged", True),  # the discriminator picks exactly one member
        ("Exclusive", False),  # exactly one of two may match: only the schema says so
        ("Negated", False),
        ("Unique", False),
        ("Email", False),  # the model keeps an email as `str`
        ("Stamped", False),  # pydantic reads "0" and timestamps as datetimes
        ("Dated", False),  # and "0" as a date
        ("Both", False),  # the model types its properties, not the extra ones
        ("Hidden", False),  # a readOnly property sent in a request is forbidden (`not`)
        ("Deep", False),  # found through a reference
        ("Flag", False),  # the model's Enum compares by ==: 0 would pass for false
        ("Empty", False),  # no properties: the model is a dict, which takes any key
    ],
)
def test_which_bodies_the_model_validates_alone(tmp_path: Path, schema: str, exact: bool) -> None:
    (op,) = build(tmp_path, SPEC % schema).operations
    assert op.body is not None and op.body.model_is_exact is exact


def test_what_is_no_schema_is_not_exact() -> None:
    assert model_is_exact({}, {"type": "string"})
    assert not model_is_exact({}, None)  # no schema: nothing to say it all
    assert not model_is_exact({}, False)
    assert not model_is_exact({}, {"$ref": "#/nowhere"})
    assert not model_is_exact({}, {"type": ["string", "integer"]})
    assert not model_is_exact({}, {"type": "integer", "exclusiveMinimum": True})  # 3.0 style


@pytest.mark.parametrize(
    ("schema", "checked"),
    [
        (None, False),  # no schema: any text
        ({}, False),
        ({"type": "string"}, False),  # what a `str` says
        ({"type": "string", "description": "a note", "nullable": True}, False),
        ({"type": "string", "maxLength": 10}, True),
        ({"type": "string", "pattern": "^[a-z]+$"}, True),
        ({"type": "string", "format": "email"}, True),
        ({"enum": ["a", "b"]}, True),
        ({"const": "a"}, True),
        ({"$ref": "#/components/schemas/Code"}, True),
        ({"$ref": "#/components/schemas/Text"}, False),
        ({"$ref": "#/components/schemas/Text", "minLength": 1}, True),  # 3.1: beside $ref
        ({"$ref": "#/nowhere"}, False),
        # Not of a string: how text spells a number or an object no rule says.
        ({"type": "integer", "minimum": 1}, False),
        ({"enum": [1, 2]}, False),
        ({"type": ["string", "integer"], "maxLength": 3}, True),
    ],
)
def test_which_text_bodies_servers_check(schema: object, checked: bool) -> None:
    document = {
        "components": {
            "schemas": {"Code": {"type": "string", "minLength": 3}, "Text": {"type": "string"}}
        }
    }
    assert text_is_checked(document, schema) is checked


def test_a_text_body_is_marked_checked_through_the_build(tmp_path: Path) -> None:
    spec = SPEC.replace(
        "application/json: {schema: {$ref: '#/components/schemas/%s'}}",
        "text/plain: {schema: {type: string, maxLength: 3}}\n"
        "          text/csv: {schema: {type: string}}",
    )
    (op,) = build(tmp_path, spec).operations
    assert op.body is not None
    assert (op.body.content.media_type, op.body.content.is_checked) == ("text/plain", True)
    (csv,) = op.body.alternatives
    assert (csv.media_type, csv.is_checked) == ("text/csv", False)
