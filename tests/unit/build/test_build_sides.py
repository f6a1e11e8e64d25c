"""readOnly/writeOnly sides (generator.build.sides): which schemas get two types, what each
side leaves out, how the write side is named, and what the servers' checks forbid."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent
from typing import Any

from generator.build.api import build_api
from generator.build.sides import FORBIDDEN, marked, split_sides
from generator.ir.model import Api, Side
from generator.load import load_spec
from generator.validate import validate

SPEC = """
openapi: 3.0.3
info: {title: Sides, version: '1'}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Batch'}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Batch'}}
  /audits:
    get:
      operationId: listAudits
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Audit'}}
    post:
      operationId: addNote
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [id, text]
              properties:
                id: {type: string, readOnly: true}
                text: {type: string}
      responses:
        '204': {description: done}
components:
  schemas:
    Batch:
      type: object
      properties:
        orders: {type: array, items: {$ref: '#/components/schemas/Order'}}
        plain: {$ref: '#/components/schemas/Plain'}
    Order:
      allOf:
        - $ref: '#/components/schemas/Stamped'
        - type: object
          required: [id, item, password]
          properties:
            item: {type: string}
            password: {type: string, writeOnly: true}
            extra:
              type: object
              properties:
                seen: {type: boolean, readOnly: true}
                why: {type: string}
    Stamped:
      type: object
      required: [id]
      properties:
        id: {$ref: '#/components/schemas/Id'}
    Id: {type: string, readOnly: true}
    OrderInput: {type: object, properties: {taken: {type: string}}}
    Plain: {type: object, properties: {x: {type: integer}}}
    Audit:
      type: object
      properties:
        at: {type: string, readOnly: true}
"""


def _api(tmp_path: Path) -> Api:
    path = tmp_path / "sides.yaml"
    path.write_text(dedent(SPEC), "utf-8")
    spec, _ = load_spec([path])
    return build_api("sides", validate(spec).document, spec)


def _schemas(api: Api) -> dict[str, Any]:
    schemas: dict[str, Any] = api.models_document["components"]["schemas"]
    return schemas


def test_two_types_only_where_the_closure_is_marked(tmp_path: Path) -> None:
    api = _api(tmp_path)
    sides = {s.name: (s.side, s.pointer) for s in api.schemas if not s.hoisted}
    read, write = Side.READ, Side.WRITE
    assert sides == {
        "Batch": (read, "/components/schemas/Batch"),  # through Order: transitively
        "Order": (read, "/components/schemas/Order"),
        "Stamped": (read, "/components/schemas/Stamped"),
        "OrderInput": (None, "/components/schemas/OrderInput"),  # the spec's own
        "Plain": (None, "/components/schemas/Plain"),  # nothing marked: one type
        "Id": (None, "/components/schemas/Id"),  # a readOnly string is the same string
        "Audit": (None, "/components/schemas/Audit"),  # marked, but no request uses it
        "BatchInput": (write, "/components/schemas/Batch"),
        "OrderInput2": (write, "/components/schemas/Order"),  # numbered past the spec's
        "StampedInput": (write, "/components/schemas/Stamped"),
    }


def test_each_side_leaves_out_what_it_never_carries(tmp_path: Path) -> None:
    schemas = _schemas(_api(tmp_path))
    read_part, write_part = schemas["Order"]["allOf"][1], schemas["OrderInput2"]["allOf"][1]
    assert set(read_part["properties"]) == {"item", "extra"}
    assert read_part["required"] == ["id", "item"]
    assert set(write_part["properties"]) == {"item", "password", "extra"}
    assert write_part["required"] == ["item", "password"]  # `id` lives in Stamped's part
    assert schemas["OrderInput2"]["allOf"][0] == {"$ref": "#/components/schemas/StampedInput"}
    assert "required" not in schemas["StampedInput"] and schemas["StampedInput"]["properties"] == {}
    batch_input = schemas["BatchInput"]["properties"]
    assert batch_input["orders"]["items"] == {"$ref": "#/components/schemas/OrderInput2"}
    assert batch_input["plain"] == {"$ref": "#/components/schemas/Plain"}


def test_nested_types_of_a_write_side_are_named_and_located_under_it(tmp_path: Path) -> None:
    api = _api(tmp_path)
    hoisted = {s.name: s.pointer for s in api.schemas if s.hoisted}
    assert hoisted["OrderExtra"] == "/components/schemas/Order/allOf/1/properties/extra"
    assert hoisted["OrderInput2Extra"] == "/components/schemas/Order/allOf/1/properties/extra"
    schemas = _schemas(api)
    assert set(schemas["OrderExtra"]["properties"]) == {"seen", "why"}
    assert set(schemas["OrderInput2Extra"]["properties"]) == {"why"}


def test_bodies_and_operations_use_their_side(tmp_path: Path) -> None:
    api = _api(tmp_path)
    ops = {op.operation_id: op for op in api.operations}
    create = ops["createOrder"]
    assert create.body is not None and create.body.content.type.name == "BatchInput"
    assert create.responses[0].contents[0].type.name == "Batch"
    note = ops["addNote"].body
    assert note is not None
    inline = _schemas(api)[note.content.type.name]
    assert set(inline["properties"]) == {"text"} and inline["required"] == ["text"]


def test_checks_forbid_hidden_properties_and_list_responses_that_could_leak(
    tmp_path: Path,
) -> None:
    checks = _api(tmp_path).request_schemas
    components = checks["components"]["schemas"]
    assert components["Order"]["allOf"][1]["properties"]["password"] == FORBIDDEN
    assert components["StampedInput"]["properties"]["id"] == FORBIDDEN
    assert checks["bodies"]["createOrder"] == {"$ref": "#/components/schemas/BatchInput"}
    assert checks["bodies"]["addNote"]["properties"]["id"] == FORBIDDEN
    # Batch can carry the password; Audit has nothing writeOnly: no check.
    assert list(checks["responses"]) == [
        "/paths/~1orders/post/responses/200/content/application~1json"
    ]


def test_a_document_without_marks_is_left_as_it_is() -> None:
    document = {
        "openapi": "3.0.3",
        "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}}}}}}},
        "components": {"schemas": {"A": {"type": "object", "properties": {"x": {}}}}},
    }  # fmt: skip
    sides = split_sides(document)
    assert sides.models == document and sides.checks == document
    assert not sides.write_keys and not sides.checked_responses


def test_marked_follows_refs_allof_and_single_members() -> None:
    document = {"components": {"schemas": {"Id": {"type": "string", "readOnly": True}}}}
    ref = {"$ref": "#/components/schemas/Id"}
    assert marked(ref, document, "readOnly")
    assert marked({"allOf": [ref], "description": "the id"}, document, "readOnly")
    assert marked({"oneOf": [{"type": "string", "writeOnly": True}]}, document, "writeOnly")
    assert not marked({"anyOf": [ref, {"type": "integer"}]}, document, "readOnly")
    assert not marked(ref, document, "writeOnly")


def test_recursive_and_discriminated_schemas_get_one_write_side_each() -> None:
    refs = "#/components/schemas/"
    document = {
        "openapi": "3.0.3",
        "paths": {"/t": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": refs + "Pet"}}}}}}},
        "components": {"schemas": {
            "Pet": {"oneOf": [{"$ref": refs + "Cat"}, {"$ref": refs + "Tree"}],
                    "discriminator": {"propertyName": "kind",
                                      "mapping": {"cat": refs + "Cat", "tree": refs + "Tree"}}},
            "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
            "Tree": {"type": "object", "properties": {
                "kind": {"type": "string"},
                "id": {"type": "string", "readOnly": True},
                "children": {"type": "array", "items": {"$ref": refs + "Tree"}}}},
        }},
    }  # fmt: skip
    sides = split_sides(document)
    assert sides.write_keys == {"PetInput": "Pet", "TreeInput": "Tree"}
    schemas = sides.models["components"]["schemas"]
    assert schemas["PetInput"]["oneOf"] == [{"$ref": refs + "Cat"}, {"$ref": refs + "TreeInput"}]
    assert schemas["PetInput"]["discriminator"]["mapping"]["tree"] == refs + "TreeInput"
    assert schemas["TreeInput"]["properties"]["children"]["items"] == {"$ref": refs + "TreeInput"}
    assert set(schemas["TreeInput"]["properties"]) == {"kind", "children"}
