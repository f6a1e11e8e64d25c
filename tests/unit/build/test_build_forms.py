"""Form bodies in the IR: which media type a body is generated for, and each property's
field (file, JSON or text; repeated; `encoding` applied), read from real documents."""

from __future__ import annotations

from pathlib import Path

from generator.build.forms import is_file_schema
from generator.ir.model import Api, ContentKind, FieldShape, FormField, Operation
from tests.unit.build.test_build_api import build

SPEC = """
openapi: 3.1.0
info: {title: Forms, version: '1'}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              allOf:
                - $ref: '#/components/schemas/Base'
                - type: object
                  properties:
                    photo: {type: string, contentMediaType: image/png}
                    photos: {type: array, items: {type: string, format: binary}}
                    text64: {type: string, contentMediaType: image/png, contentEncoding: base64}
                    points: {type: array, items: {$ref: '#/components/schemas/Point'}}
                    ids: {type: array, items: {type: integer}}
            encoding:
              photo: {contentType: 'image/png, image/jpeg'}
              ids: {contentType: application/json}
      responses:
        '204': {description: ok}
  /form:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                tags: {type: array, items: {type: string}}
                sizes: {type: array, items: {type: integer}}
                blob: {type: string, format: binary}
                where: {$ref: '#/components/schemas/Point'}
            encoding:
              sizes: {explode: false}
      responses:
        '204': {description: ok}
  /either:
    post:
      operationId: either
      requestBody:
        content:
          text/plain: {schema: {type: string}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Point'}}
          multipart/form-data: {schema: {$ref: '#/components/schemas/Point'}}
      responses:
        '204': {description: ok}
  /bare:
    post:
      operationId: bare
      requestBody:
        content:
          multipart/form-data: {schema: {type: object}}
      responses:
        '200':
          description: a form in a response is bytes
          content:
            multipart/form-data: {schema: {$ref: '#/components/schemas/Point'}}
components:
  schemas:
    Base:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [a, b]}
    Point:
      type: object
      properties:
        x: {type: number}
        y: {type: number}
"""


def _op(api: Api, operation_id: str) -> Operation:
    return next(op for op in api.operations if op.operation_id == operation_id)


def _fields(
    fields: tuple[FormField, ...],
) -> list[tuple[str, FieldShape, bool, bool, tuple[str, ...]]]:
    return [(f.name, f.shape, f.repeated, f.explode, tuple(f.content_types)) for f in fields]


def test_multipart_fields(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    body = _op(api, "upload").body
    assert body is not None and body.content.kind is ContentKind.MULTIPART
    assert _fields(body.content.fields) == [
        ("name", FieldShape.TEXT, False, True, ()),
        ("kind", FieldShape.TEXT, False, True, ()),
        ("photo", FieldShape.FILE, False, True, ("image/png", "image/jpeg")),
        ("photos", FieldShape.FILE, True, True, ()),
        ("text64", FieldShape.TEXT, False, True, ()),  # base64 text, not bytes
        ("points", FieldShape.JSON, True, True, ()),  # one JSON part per object
        ("ids", FieldShape.JSON, False, True, ()),  # `encoding`: the whole array as JSON
    ]
    assert body.content.fields[0].pointer.endswith("/components/schemas/Base/properties/name")


def test_urlencoded_fields(tmp_path: Path) -> None:
    body = _op(build(tmp_path, SPEC), "form").body
    assert body is not None and body.content.kind is ContentKind.FORM
    assert _fields(body.content.fields) == [
        ("tags", FieldShape.TEXT, True, True, ()),
        ("sizes", FieldShape.TEXT, True, False, ()),  # comma-joined
        ("blob", FieldShape.TEXT, False, True, ()),  # no files in a urlencoded form
        ("where", FieldShape.JSON, False, True, ()),
    ]


def test_forms_are_preferred_to_text_and_multipart_to_urlencoded(tmp_path: Path) -> None:
    body = _op(build(tmp_path, SPEC), "either").body
    assert body is not None and body.content.media_type == "multipart/form-data"
    assert set(body.other_media_types) == {"text/plain", "application/x-www-form-urlencoded"}


def test_a_form_without_properties_is_bytes_and_forms_in_responses_too(tmp_path: Path) -> None:
    op = _op(build(tmp_path, SPEC), "bare")
    assert op.body is not None and op.body.content.kind is ContentKind.BINARY
    assert op.body.content.fields == ()
    assert [c.kind for c in op.responses[0].contents] == [ContentKind.BINARY]


def test_is_file_schema() -> None:
    assert is_file_schema({"type": "string", "format": "binary"})
    assert is_file_schema({"type": "string", "contentMediaType": "application/pdf"})
    assert not is_file_schema({"type": "string", "format": "byte"})
    assert not is_file_schema(
        {"type": "string", "contentMediaType": "x", "contentEncoding": "base64"}
    )
    assert not is_file_schema({"format": "binary"})  # a property named `format`, say
    assert not is_file_schema({"type": "object", "properties": {"format": {}}})
