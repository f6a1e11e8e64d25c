"""The Python view layer: identifiers claimed in the scopes they land in, around the names the
templates bind (read off the rendered probe, not listed), and type expressions with their
imports."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from generator.build.api import build_api
from generator.ir.model import Api
from generator.load import load_spec
from generator.render.env import make_environment
from generator.render.header import python_header
from generator.render.python.models import render_models
from generator.render.python.names import Role
from generator.render.python.render import fixed_names, python_view
from generator.render.python.reserved import analyse
from generator.render.python.views import PythonView
from generator.render.styles import resolve_styles
from generator.validate import validate

STYLES = resolve_styles(("fastapi", "flask", "httpx"), "pydantic")
SPEC = """
openapi: 3.1.0
info: {title: Pets, version: '2'}
paths:
  /pets/{pet-id}/{rest+}:
    get:
      operationId: getPet
      parameters:
        - {name: pet-id, in: path, required: true, schema: {type: string, format: uuid}}
        - {name: rest+, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50, default: 10}}
        - {name: since, in: header, schema: {type: string, format: date-time}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: id, in: query, schema: {type: string}}
        - {name: id, in: header, schema: {type: string}}
      responses:
        '200':
          description: ok
          headers:
            Retry-After: {schema: {type: integer}, required: true}
            retry-after: {schema: {type: string}}
          content:
            application/json: {schema: {$ref: '#/components/schemas/Pet'}}
            text/plain: {schema: {type: string}}
        4XX:
          description: client error
          content:
            application/json: {schema: {type: object, properties: {detail: {type: string}}}}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 10}
        born: {type: string, format: date}
"""


def build(tmp_path: Path, text: str = SPEC) -> Api:
    path = tmp_path / "spec.yaml"
    path.write_text(dedent(text), "utf-8")
    spec, _ = load_spec([path])
    return build_api("pets", validate(spec).document, spec)


def view(tmp_path: Path, text: str = SPEC) -> PythonView:
    return python_view(build(tmp_path, text), make_environment(), STYLES)


def test_names_types_and_routes(tmp_path: Path) -> None:
    (op,) = view(tmp_path).operations
    assert (op.method, op.request_class, op.response_alias) == (
        "get_pet",
        "GetPetRequest",
        "GetPetResponse",
    )
    assert op.responses_table == "_GET_PET"
    by_wire = {(p.wire, p.location.value): p for p in op.params}
    assert (
        by_wire[("pet-id", "path")].name == "pet_id" and by_wire[("pet-id", "path")].type == "UUID"
    )
    limit = by_wire[("limit", "query")]
    assert (limit.type, limit.declared_type, limit.optional_type) == ("int", "int", "int | None")
    assert limit.constraints == (("ge", 1), ("le", 50))
    assert by_wire[("tags", "query")].declared_type == "list[str] | None"
    # A name in two locations: the second gets its location (SG408 says so).
    assert (by_wire[("id", "query")].name, by_wire[("id", "header")].name) == ("id", "id_header")
    assert op.route_path == "/pets/{pet_id}/{rest:path}"
    assert op.flask_rule == "/pets/<pet_id>/<path:rest>"
    ok, error = op.responses
    assert [v.name for v in ok.variants] == ["GetPet200JsonResponse", "GetPet200TextResponse"]
    assert ok.headers_class == "GetPet200Headers"
    assert [h.name for h in ok.headers] == ["retry_after", "retry_after_header"]
    assert ok.body_type == "models.Pet | str" and op.success_type == "models.Pet | str"
    assert error.error_class == "GetPet4xxError" and error.body_type == "models.GetPet4xxBody"
    assert error.variants[0].fields == ("code", "body")


def test_type_imports_come_from_the_types_used(tmp_path: Path) -> None:
    assert view(tmp_path).type_imports == ("from datetime import datetime", "from uuid import UUID")


def test_a_user_template_that_binds_a_name_moves_the_spec_name_away(tmp_path: Path) -> None:
    """Nothing lists what templates bind: a template folder whose client module defines
    `get_pet` at module level and reads `limit` in every method makes those names taken."""
    folder = tmp_path / "templates" / "client" / "httpx"
    folder.mkdir(parents=True)
    builtin = (Path(__file__).resolve().parents[3] / "templates" / "client" / "httpx").glob(
        "*.jinja"
    )
    for source in builtin:
        text = source.read_text("utf-8")
        if source.name == "_macros.jinja":
            text = text.replace(
                "        response = self._transport.send(",
                "        print(limit)\n        response = self._transport.send(",
            )
        (folder / source.name).write_text(text, "utf-8")
    env = make_environment([tmp_path / "templates"])
    fixed = fixed_names(env, STYLES)
    assert "limit" in fixed.by_role[Role.PARAMETER]
    (op,) = python_view(build(tmp_path), env, STYLES).operations
    assert [p.name for p in op.params if p.wire == "limit"] == ["limit_query"]


def test_models_named_like_imports_of_models_py_are_renamed(tmp_path: Path) -> None:
    """datamodel-code-generator imports `Field` (a constraint needs it) and would rename a
    schema called Field itself; specgen reads that off the output and names the class
    FieldModel everywhere."""
    text = SPEC.replace(
        "    Pet:\n",
        "    Field:\n      type: object\n      properties: {x: {type: string}}\n    Pet:\n",
    )
    text = text.replace("$ref: '#/components/schemas/Pet'", "$ref: '#/components/schemas/Field'")
    api = build(tmp_path, text)
    source, classes = render_models(api, python_header(api))
    assert classes["Field"] == "FieldModel" and classes["Pet"] == "Pet"
    assert (
        "class FieldModel(BaseModel):" in source
        and "from pydantic import BaseModel, Field" in source
    )
    view = python_view(api, make_environment(), STYLES, classes)
    assert view.operations[0].success_type == "models.FieldModel | str"


def test_scopes_are_read_off_code() -> None:
    """The analysis: names bound or read in a scope and in what it contains; class bodies and
    their bases; annotations and `cast` strings."""
    found = analyse(
        {
            "m.py": dedent(
                """
                from typing import cast
                import json
                class Base:
                    def close(self) -> None: ...
                class Zz(Base):
                    zzfield: int = 1
                    other: Mapping[str, int] = field(default=1)
                def outer(a: int) -> None:
                    def zzroute(zzarg: UUID) -> int:
                        value = cast("models.Pet | None", json.loads(a))
                        return value
                """
            )
        }
    )
    assert {"close", "other", "Mapping", "field"} <= found["zzfield"]  # the base: close
    assert {"json", "cast", "a", "UUID", "models"} <= found["zzroute"]
    assert {"models", "value", "cast", "json", "UUID"} <= found["zzarg"]
    assert not any("zz" in name for names in found.values() for name in names)


def test_email_formats_stay_str_in_models(tmp_path: Path) -> None:
    """EmailStr would need email-validator, which generated code does not depend on."""
    text = SPEC.replace("born: {type: string, format: date}", "mail: {type: string, format: email}")
    api = build(tmp_path, text)
    source, _ = render_models(api, python_header(api))
    assert "EmailStr" not in source and "mail: str | None = None" in source
    # Only the copy handed to datamodel-code-generator changes: the IR keeps the format.
    pet = api.models_document["components"]["schemas"]["Pet"]
    assert pet["properties"]["mail"]["format"] == "email"


BINARY = """
openapi: 3.1.0
info: {title: Files, version: '1'}
paths:
  /x:
    put:
      operationId: get_x
      parameters:
        - {name: content_type, in: query, schema: {type: string}}
      requestBody:
        required: true
        content:
          image/*: {schema: {type: string, format: binary}}
      responses:
        '200':
          description: ok
          content:
            image/*: {schema: {type: string, format: binary}}
            application/pdf: {schema: {type: string, format: binary}}
  /y:
    post:
      operationId: stream_get_x
      requestBody:
        content:
          application/*: {schema: {type: string, format: binary}}
          application/zip: {schema: {type: string, format: binary}}
      responses:
        '204': {description: none}
"""


def test_binary_bodies_say_their_media_types_and_downloads_take_free_names(
    tmp_path: Path,
) -> None:
    get_x, stream_get_x = view(tmp_path, BINARY).operations
    # An operation keeps its name; the download method of another takes the next free one.
    assert (stream_get_x.method, stream_get_x.stream_method) == ("stream_get_x", None)
    assert get_x.stream_method == "stream_get_x_operation"
    # The record's and the clients' `content_type` push the parameter away.
    assert [p.name for p in get_x.params] == ["content_type_query"]
    assert get_x.request_fields == ("content_type_query", "body", "content_type", "auth")
    assert get_x.body is not None and stream_get_x.body is not None
    assert get_x.body.sent_media_type is None  # image/*: the caller names it
    assert stream_get_x.body.sent_media_type == "application/zip"  # the first concrete one
    assert get_x.body.client_type(False) == "rb.Upload"
    assert stream_get_x.body.client_type(True) == "rb.AsyncUpload | None"
    image, pdf = get_x.responses[0].variants
    assert (image.content_type_required, pdf.content_type_required) == (True, False)
    assert image.fields == ("body", "content_type") and image.body_type == "BinaryBody"


def test_webhooks_are_a_view_of_their_own(tmp_path: Path) -> None:
    """The webhooks' modules are scopes of their own: names there do not move the API's."""
    text = Path(__file__).resolve().parents[2].joinpath("corpus", "webhooks.yaml").read_text()
    py = view(tmp_path, text)
    assert [str(op.method) for op in py.operations] == ["subscribe"]
    assert py.webhooks is not None and py.webhooks.webhooks is None
    new_pet, event, callback = py.webhooks.operations  # the webhooks, then the callbacks
    assert [str(v.method) for v in (new_pet, event, callback)] == [
        "new_pet",
        "pet_event",
        "subscribe_pet_event",
    ]
    assert str(new_pet.request_class) == "NewPetRequest"
    assert [str(p.name) for p in new_pet.params] == ["x_delivery_id"]
    assert str(new_pet.route_path) == "/newPet" and str(event.flask_rule) == "/pet.event"
    assert [str(r.error_class) for r in new_pet.error_responses] == [
        "NewPet400Error",
        "NewPet422Error",
    ]
    assert py.webhooks.groups == ()
    assert view(tmp_path).webhooks is None


SEVERAL = """
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/xml: {schema: {type: string}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Pet'}}
          application/json: {schema: {$ref: '#/components/schemas/Pet'}}
      responses:
        '204': {description: done}
components:
  schemas:
    Pet:
      type: object
      properties: {name: {type: string}}
"""


def test_a_body_of_several_media_types(tmp_path: Path) -> None:
    """The clients' view is the JSON media type's; the servers decode each, in order; the
    handler gets the union (optional here), with the Content-Type it came with."""
    (op,) = view(tmp_path, SEVERAL).operations
    body = op.body
    assert body is not None
    assert (body.kind, str(body.type), body.media_type) == (
        "json",
        "models.Pet",
        "application/json",
    )
    assert [(m.media_type, m.kind, str(m.type)) for m in body.media] == [
        ("application/json", "json", "models.Pet"),
        ("application/xml", "binary", "bytes"),
        ("application/x-www-form-urlencoded", "form", "models.Pet"),
    ]
    _, xml, form = body.media
    assert xml.schema == "" and form.schema == form.content.pointer
    assert [f.name for f in form.fields] == ["name"]
    assert str(body.contract_type) == "models.Pet | bytes | None"
    assert op.content_type_field and not op.sends_content_type and not op.uses_binary
    assert "content_type" in op.request_fields


def test_a_body_of_one_media_type_keeps_its_contract(tmp_path: Path) -> None:
    lines = SEVERAL.splitlines()
    one = "\n".join(line for line in lines if "xml" not in line and "urlencoded" not in line)
    (op,) = view(tmp_path, one).operations
    body = op.body
    assert body is not None and body.media == () and not op.content_type_field
    assert body.contract_type == body.declared_type
