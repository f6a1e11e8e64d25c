"""Nested inline schemas become named types of ours: parent-scoped names, one type per shape,
use keywords at the reference; scalar components only parameters use are not types."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from textwrap import dedent
from typing import Any

from generator.build.api import build_api
from generator.ir.model import Api
from generator.load import load_spec
from generator.render.header import python_header
from generator.render.python.models import render_models
from generator.validate import validate

SPEC = """
openapi: 3.0.3
info: {title: Nest, version: '1'}
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      parameters:
        - {name: itemId, in: path, required: true, schema: {$ref: '#/components/schemas/ItemId'}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Item'}}
components:
  schemas:
    ItemId: {type: string, format: uuid}
    UsedId: {type: string, format: uuid}
    Item:
      type: object
      properties:
        id: {$ref: '#/components/schemas/UsedId'}
        source:
          type: string
          enum: [app, api, null]
          nullable: true
          default: app
          description: Where it came from
        owner:
          type: object
          properties:
            role: {type: string, enum: [admin, member]}
        labels:
          type: array
          items:
            type: object
            properties:
              name: {type: string}
        extras:
          type: object
          additionalProperties: {type: string, enum: [x, y]}
        shape:
          anyOf:
            - {type: object, properties: {radius: {type: number}}}
            - {type: object, properties: {side: {type: number}}}
        pet:
          oneOf:
            - {type: object, properties: {kind: {type: string, enum: [cat]}}}
            - {type: object, properties: {kind: {type: string, enum: [dog]}}}
          discriminator: {propertyName: kind}
    Other:
      allOf:
        - $ref: '#/components/schemas/Item'
        - type: object
          properties:
            mood: {type: string, enum: [calm, busy]}
      properties:
        origin: {type: string, enum: [app, api]}
    Pointed:
      type: object
      properties:
        role: {$ref: '#/components/schemas/Item/properties/owner/properties/role'}
"""


def _api(tmp_path: Path) -> Api:
    path = tmp_path / "nest.yaml"
    path.write_text(dedent(SPEC), "utf-8")
    spec, _ = load_spec([path])
    return build_api("nest", validate(spec).document, spec)


def _schemas(api: Api) -> dict[str, Any]:
    schemas: dict[str, Any] = api.models_document["components"]["schemas"]
    return schemas


def test_nested_types_get_parent_scoped_names(tmp_path: Path) -> None:
    api = _api(tmp_path)
    hoisted = {s.name: s.pointer for s in api.schemas if s.hoisted}
    assert hoisted == {
        "ItemSource": "/components/schemas/Item/properties/source",
        "ItemOwnerRole": "/components/schemas/Item/properties/owner/properties/role",
        "ItemOwner": "/components/schemas/Item/properties/owner",
        "ItemLabelsItem": "/components/schemas/Item/properties/labels/items",
        "ItemExtrasValue": "/components/schemas/Item/properties/extras/additionalProperties",
        "ItemShapeOption1": "/components/schemas/Item/properties/shape/anyOf/0",
        "ItemShapeOption2": "/components/schemas/Item/properties/shape/anyOf/1",
        "OtherMood": "/components/schemas/Other/allOf/1/properties/mood",
        "ItemPetOption1": "/components/schemas/Item/properties/pet/oneOf/0",
        "ItemPetOption1Kind": "/components/schemas/Item/properties/pet/oneOf/0/properties/kind",
        "ItemPetOption2": "/components/schemas/Item/properties/pet/oneOf/1",
        "ItemPetOption2Kind": "/components/schemas/Item/properties/pet/oneOf/1/properties/kind",
    }
    schemas = _schemas(api)
    assert set(schemas) == {"UsedId", "Item", "Other", "Pointed", *hoisted}
    # ItemId is only a path parameter's type, which is its uuid: no type of its own. UsedId
    # is a property's type, and stays.
    assert "ItemId" not in {s.name for s in api.schemas}


def test_use_keywords_stay_at_the_reference_and_null_moves_there(tmp_path: Path) -> None:
    schemas = _schemas(_api(tmp_path))
    source = schemas["Item"]["properties"]["source"]
    assert source == {
        "$ref": "#/components/schemas/ItemSource",
        "default": "app",
        "nullable": True,
        "description": "Where it came from",
    }
    assert schemas["ItemSource"] == {"type": "string", "enum": ["app", "api"]}
    assert schemas["Item"]["properties"]["owner"] == {"$ref": "#/components/schemas/ItemOwner"}
    assert schemas["ItemOwner"]["properties"]["role"] == {
        "$ref": "#/components/schemas/ItemOwnerRole"
    }


def test_identical_shapes_are_one_type_and_a_ref_into_a_schema_shares_it(tmp_path: Path) -> None:
    schemas = _schemas(_api(tmp_path))
    # Other.origin is the enum of Item.source (use keywords aside): one type.
    assert schemas["Other"]["properties"]["origin"] == {"$ref": "#/components/schemas/ItemSource"}
    # A $ref to the inline node names the same type as the nesting does.
    assert schemas["Pointed"]["properties"]["role"] == {
        "$ref": "#/components/schemas/ItemOwnerRole"
    }


def test_allof_parts_stay_in_place_and_union_members_are_types(tmp_path: Path) -> None:
    schemas = _schemas(_api(tmp_path))
    part = schemas["Other"]["allOf"][1]
    assert part["type"] == "object"  # merged into Other by the model generator, not a type
    assert part["properties"]["mood"] == {"$ref": "#/components/schemas/OtherMood"}
    pet = schemas["Item"]["properties"]["pet"]
    assert pet["oneOf"] == [
        {"$ref": "#/components/schemas/ItemPetOption1"},
        {"$ref": "#/components/schemas/ItemPetOption2"},
    ]
    assert schemas["ItemPetOption1"]["properties"]["kind"] == {
        "$ref": "#/components/schemas/ItemPetOption1Kind"
    }


def test_python_models_drop_what_only_the_model_generator_left_unused(tmp_path: Path) -> None:
    """datamodel-code-generator types a discriminating property as a Literal in each member,
    so the enums hoisted for it (which TypeScript uses) are no classes of models.py."""
    api = _api(tmp_path)
    source, _ = render_models(api, python_header(api))
    classes = {n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}
    assert {"ItemPetOption1", "ItemPetOption2", "Item", "UsedId"} <= classes
    assert not classes & {"ItemPetOption1Kind", "ItemPetOption2Kind"}
    assert re.search(r"class ItemPetOption1\(BaseModel\):\n    kind: Literal\[.cat.\]", source)
