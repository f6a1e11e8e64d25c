"""Normalised documents → IR: operations, parameters, bodies, responses, security, type names.

The IR is language-neutral: spec names as written, types as `TypeRef`s. How Python spells them
is tested with the views (tests/unit/render/test_python_views.py)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from generator.build.api import build_api
from generator.ir.model import Api, ContentKind, ParamLocation
from generator.ir.types import Primitive, TypeKind, TypeRef
from generator.load import load_spec
from generator.validate import validate

SPEC = """
openapi: 3.1.0
info: {title: Pets, version: '2'}
servers: [{url: 'https://pets.example'}]
security: [{bearer: []}, {}]
paths:
  /pets/{pet-id}:
    parameters:
      - {name: pet-id, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
        - {name: id, in: query, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: class, in: cookie, schema: {type: string, enum: [a, b]}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
      responses:
        '200':
          description: ok
          headers:
            Retry-After: {schema: {type: integer}, required: true}
          content:
            application/json: {schema: {$ref: '#/components/schemas/Pet'}}
            text/plain: {schema: {type: string}}
        4XX:
          description: client error
          content:
            application/problem+json: {schema: {type: object, properties: {detail: {type: string}}}}
        default: {description: other}
    post:
      operationId: class
      security: [{apiKey: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
      responses:
        '204': {description: done}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    apiKey: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        nick: {type: [string, 'null']}
    list: {type: string}
"""


def build(tmp_path: Path, text: str) -> Api:
    path = tmp_path / "spec.yaml"
    path.write_text(dedent(text), "utf-8")
    spec, _ = load_spec([path])
    validated = validate(spec)
    return build_api("pets", validated.document, spec)


def test_operations_and_parameters(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    get, post = api.operations
    assert (get.method, get.path, get.operation_id) == ("GET", "/pets/{pet-id}", "getPet")
    assert post.operation_id == "class"
    by_name = {p.name: p for p in get.parameters}
    assert by_name["pet-id"].location is ParamLocation.PATH and by_name["pet-id"].required
    assert by_name["pet-id"].type == TypeRef.primitive(Primitive.UUID)
    limit = by_name["limit"]
    assert limit.has_default and limit.default == 10 and not limit.is_optional
    assert {(c.keyword, c.value) for c in limit.constraints} == {("minimum", 1), ("maximum", 50)}
    assert by_name["class"].type.kind is TypeKind.MODEL  # an enum gets a type of its own
    assert by_name["tags"].type == TypeRef.list_of(TypeRef.primitive(Primitive.STRING))
    assert get.parameters[0].required  # required first: positional in clients
    assert get.pointer == "/paths/~1pets~1{pet-id}/get"


def test_responses_headers_and_bodies(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    get, post = api.operations
    assert [r.status for r in get.responses] == ["200", "4XX", "default"]
    ok = get.responses[0]
    assert [c.kind for c in ok.contents] == [ContentKind.JSON, ContentKind.TEXT]
    assert ok.contents[0].type == TypeRef.model("Pet")
    assert ok.headers[0].name == "Retry-After"
    assert ok.headers[0].type == TypeRef.primitive(Primitive.INTEGER)
    assert [label for label, _ in ok.variants] == ["json", "text"]
    assert get.responses[1].status_range == (400, 499)
    assert get.responses[2].status_range == (100, 599)
    assert get.responses[2].variants == (("", None),)  # no content: one variant
    assert post.body is not None and post.body.required
    assert post.body.content.type == TypeRef.list_of(TypeRef.model("Pet"))


def test_security_and_servers(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    get, post = api.operations
    assert get.allows_anonymous and get.security_schemes == ("bearer",)
    assert not post.allows_anonymous and post.security_schemes == ("apiKey",)
    assert api.scheme("bearer").is_bearer and api.scheme("apiKey").is_api_key
    assert api.default_server_url == "https://pets.example"


def test_schema_names_and_hoisting(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    names = {str(s.name): s for s in api.schemas}
    assert names["List"].pointer == "/components/schemas/list"  # PascalCase, nothing more
    hoisted = [s for s in api.schemas if s.hoisted]
    assert {str(s.name) for s in hoisted} == {"GetPetClass", "GetPet4xxBody"}
    document = api.models_document["components"]["schemas"]
    assert set(document) == set(names)
    # 3.1 type lists reach datamodel-code-generator as `nullable`.
    assert document["Pet"]["properties"]["nick"] == {"type": "string", "nullable": True}


STREAMS = Path(__file__).resolve().parents[2] / "corpus" / "streams.yaml"


def test_streamed_responses_are_typed_item_by_item(tmp_path: Path) -> None:
    api = build(tmp_path, STREAMS.read_text("utf-8"))
    contents = {
        op.operation_id: [(c.media_type, c.kind, c.type) for r in op.responses for c in r.contents]
        for op in api.operations
    }
    chunk, token, line = (TypeRef.model(n) for n in ("Chunk", "Token", "LogLine"))
    text = TypeRef.primitive(Primitive.STRING)
    assert contents["complete"] == [
        ("application/json", ContentKind.JSON, TypeRef.model("Completion")),
        ("text/event-stream", ContentKind.EVENTS, chunk),  # OpenAI style: the data's schema
    ]
    # 3.2: `itemSchema` is the event object; its data's `contentSchema` is the type.
    assert contents["streamTokens"] == [("text/event-stream", ContentKind.EVENTS, token)]
    assert contents["ticker"] == [("text/event-stream", ContentKind.EVENTS, text)]
    assert contents["tailLogs"] == [("application/x-ndjson", ContentKind.LINES, line)]
    assert ContentKind.EVENTS.is_stream and not ContentKind.JSON.is_stream


MULTI = """
openapi: 3.1.0
info: {title: M, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/xml: {schema: {$ref: '#/components/schemas/Pet'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
          multipart/form-data:
            schema:
              type: object
              properties: {photo: {type: string, format: binary}}
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
          text/plain: {schema: {type: string}}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      properties: {name: {type: string}}
"""


def test_every_request_media_type_is_typed(tmp_path: Path) -> None:
    """JSON is what clients send (`content`); the other media types are typed too, in
    declared order, each form or multipart body with its fields and a type of its own
    where its schema is not the shared one; their schemas are checked by pointer."""
    api = build(tmp_path, MULTI)
    body = api.operations[0].body
    assert body is not None
    assert body.content.media_type == "application/json"
    pet = TypeRef.model("Pet")
    assert body.content.type == pet
    kinds = [(c.media_type, c.kind) for c in body.alternatives]
    assert kinds == [
        ("application/xml", ContentKind.BINARY),
        ("application/x-www-form-urlencoded", ContentKind.FORM),
        ("multipart/form-data", ContentKind.MULTIPART),
        ("text/plain", ContentKind.TEXT),
    ]
    xml, form, multipart, text = body.alternatives
    assert xml.type == TypeRef.primitive(Primitive.BINARY)
    assert form.type == pet and [f.name for f in form.fields] == ["name"]
    assert multipart.type == TypeRef.model("AddPetMultipartBody")
    assert [f.name for f in multipart.fields] == ["photo"]
    assert text.type == TypeRef.primitive(Primitive.STRING)
    assert body.contents == (body.content, *body.alternatives)
    assert "AddPetMultipartBody" in api.operation_types()
    checked = set(api.request_schemas["bodies"])
    assert checked == {"addPet", form.pointer, multipart.pointer}


def test_one_media_type_has_no_alternatives(tmp_path: Path) -> None:
    api = build(tmp_path, SPEC)
    body = api.operations[1].body
    assert body is not None and body.alternatives == () and body.other_media_types == ()
