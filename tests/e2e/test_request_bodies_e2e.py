"""Request bodies the generated servers must take or refuse as the spec says, on FastAPI and
Flask in process (httpx's ASGI and WSGI transports), from one small inline spec:

- an integer of format int32/int64 is bounded by its width, whether the model alone checks
  the body (strict mode) or the JSON Schema check runs too;
- an invalid `default` beside `allOf: [$ref]` (`"null"` for an object) is no default: a body
  without the property is valid;
- a discriminator whose property no member declares (`nowhere`) changes no member: the
  members of another union still take their own bodies;
- a union member that is null or an empty object (`nullable`, `additionalProperties:
  false`): null is valid, an object with any property is not (unless another member
  takes it);
- an enum of booleans takes no number (`0` is no `false`);
- a multipart part without a filename is the bytes of a lone binary property (RFC 7578
  makes the filename optional), never an item of an array of files (400).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.functional.conftest import run_specgen

NAME = "bodies_e2e"
FRAMEWORKS = ("fastapi", "flask")
SPEC = """\
openapi: 3.0.3
info: {title: Bodies, version: "1"}
paths:
  /counts:
    post:
      operationId: postCounts
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                small: {type: integer, format: int32}
                big: {type: integer, format: int64, minimum: 0}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /loose:
    post:
      operationId: postLoose
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                small: {type: integer, format: int32}
                tags: {type: array, uniqueItems: true, items: {type: string}}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /grammar:
    post:
      operationId: postGrammar
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Chat"}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /upload:
    post:
      operationId: postUpload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                photo: {type: string, format: binary, nullable: true}
                pages: {type: array, items: {type: string, format: binary}}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /scores:
    put:
      operationId: putScore
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Score"}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
  /pets:
    post:
      operationId: postPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
      responses:
        "200": {$ref: "#/components/responses/Ok"}
components:
  responses:
    Ok:
      description: ok
      content:
        application/json:
          schema: {$ref: "#/components/schemas/Ok"}
  schemas:
    Ok:
      type: object
      properties: {seen: {type: string}}
    Chat:
      type: object
      properties:
        format:
          allOf: [{$ref: "#/components/schemas/Grammar"}]
          nullable: true
          default: "null"
    Score:
      # Stainless's "nullableVariant": a union member that is null or an empty object.
      type: object
      properties:
        prompt:
          anyOf:
            - {$ref: "#/components/schemas/Grammar"}
            - {type: object, nullable: true, additionalProperties: false}
        categories: {$ref: "#/components/schemas/Categories"}
        merge: {type: boolean, nullable: true, enum: [false, null]}
    Categories:
      anyOf:
        - {type: array, items: {type: string}}
        - {type: object, additionalProperties: {type: number}}
        - {title: nullableVariant, type: object, nullable: true, additionalProperties: false}
    Pet:
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: kind}
    Other:
      anyOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: nowhere}
    Cat: {type: object, required: [kind], properties: {kind: {type: string, enum: [Cat]}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string, enum: [Dog]}}}
    Grammar:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("bodies")
    spec = out / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    styles = ("--style", "fastapi", "--style", "flask")
    result = run_specgen("generate", spec, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "server", "flask_server")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


def _handlers(pkg: dict[str, ModuleType]) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    class Bodies(h.Handlers):  # type: ignore[misc, name-defined]
        async def post_counts(self, request: Any) -> Any:
            return h.PostCounts200JsonResponse(body=models.Ok(seen=repr(request.body.small)))

        async def post_loose(self, request: Any) -> Any:
            return h.PostLoose200JsonResponse(body=models.Ok(seen=repr(request.body.small)))

        async def post_grammar(self, request: Any) -> Any:
            return h.PostGrammar200JsonResponse(body=models.Ok(seen=repr(request.body.format)))

        async def post_pet(self, request: Any) -> Any:
            return h.PostPet200JsonResponse(body=models.Ok(seen=type(request.body.root).__name__))

        async def put_score(self, request: Any) -> Any:
            body = request.body.model_dump(mode="json", exclude_unset=True)
            return h.PutScore200JsonResponse(body=models.Ok(seen=repr(body)))

        async def post_upload(self, request: Any) -> Any:
            body = request.body
            seen = repr(body.file.read())
            if body.photo is not models.MISSING:
                seen += f" photo={body.photo and body.photo.read()!r}"
            if body.pages is not models.MISSING:
                seen += f" pages={[page.read() for page in body.pages]!r}"
            return h.PostUpload200JsonResponse(body=models.Ok(seen=seen))

    return Bodies()


class _AsgiBridge(httpx.BaseTransport):
    """A sync transport over httpx's ASGI transport, so one sync client drives both apps."""

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def run() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(run())


@pytest.fixture(params=FRAMEWORKS)
def client(request: pytest.FixtureRequest, pkg: dict[str, ModuleType]) -> Iterator[httpx.Client]:
    handlers = _handlers(pkg)
    transport: httpx.BaseTransport
    if request.param == "fastapi":
        transport = _AsgiBridge(pkg["server"].create_app(handlers))
    else:
        transport = httpx.WSGITransport(app=pkg["flask_server"].create_app(handlers))
    with httpx.Client(base_url="http://bodies.test", transport=transport) as http:
        yield http


@pytest.mark.parametrize("path", ["/counts", "/loose"])
def test_integer_formats_bound_the_body(client: httpx.Client, path: str) -> None:
    top = 2**31 - 1
    assert client.post(path, json={"small": top}).json() == {"seen": repr(top)}
    assert client.post(path, json={"small": -(2**31)}).status_code == 200
    for value in (top + 1, -(2**31) - 1, 2**63):
        answer = client.post(path, json={"small": value})
        assert answer.status_code == 400, (value, answer.text)


def test_int64_keeps_a_tighter_declared_bound(client: httpx.Client) -> None:
    assert client.post("/counts", json={"big": 2**63 - 1}).status_code == 200
    assert client.post("/counts", json={"big": 2**63}).status_code == 400
    assert client.post("/counts", json={"big": -1}).status_code == 400


def test_an_invalid_default_through_a_ref_is_no_default(client: httpx.Client) -> None:
    assert client.post("/grammar", json={}).json() == {"seen": "MISSING"}
    assert client.post("/grammar", json={"format": None}).json() == {"seen": "None"}
    sent = client.post("/grammar", json={"format": {"kind": "regex"}})
    assert sent.status_code == 200 and "regex" in sent.json()["seen"]
    assert client.post("/grammar", json={"format": "null"}).status_code == 400


def test_a_lone_binary_part_needs_no_filename(client: httpx.Client) -> None:
    # RFC 7578 makes the filename optional: where the field is one binary value, a part
    # without one (text to both servers' parsers) is its bytes.
    text_part = client.post("/upload", files={"file": (None, b"plain words")})
    assert text_part.json() == {"seen": repr(b"plain words")}
    photo = client.post("/upload", files={"file": ("a", b"x"), "photo": (None, b"null")})
    assert photo.json() == {"seen": repr(b"x") + " photo=b'null'"}
    file_part = client.post("/upload", files={"file": ("a.bin", b"\x00\xff", "image/png")})
    assert file_part.json() == {"seen": repr(b"\x00\xff")}


def test_an_array_of_files_takes_file_parts_only(client: httpx.Client) -> None:
    files = [("file", ("a", b"x")), ("pages", ("p1", b"1")), ("pages", ("p2", b"2"))]
    assert client.post("/upload", files=files).json() == {"seen": "b'x' pages=[b'1', b'2']"}
    # A lone text part is no array of files (what a fuzzer sends for "a string").
    text = client.post("/upload", files=[("file", ("a", b"x")), ("pages", (None, b"s"))])
    assert text.status_code == 400 and "pages" in text.text


def test_a_nullable_union_member_takes_null(client: httpx.Client) -> None:
    for body in ({"categories": None}, {"prompt": None}):
        assert client.put("/scores", json=body).json() == {"seen": repr(body)}
    for body in ({"categories": ["a"]}, {"categories": {"a": 1.5}}, {"prompt": {}}):
        assert client.put("/scores", json=body).status_code == 200, body


def test_an_empty_object_member_refuses_unknown_properties(client: httpx.Client) -> None:
    # No member takes {"x": 1}: `kind` is missing, and the empty object forbids `x`.
    answer = client.put("/scores", json={"prompt": {"x": 1}})
    assert answer.status_code == 400, answer.text
    assert client.put("/scores", json={"prompt": {"kind": "k"}}).status_code == 200
    # The array and weights members refuse these; the empty one forbids any property.
    for categories in ({"a": "text"}, [1]):
        answer = client.put("/scores", json={"categories": categories})
        assert answer.status_code == 400, (categories, answer.text)


def test_an_enum_of_booleans_takes_no_numbers(client: httpx.Client) -> None:
    for merge in (False, None):
        assert client.put("/scores", json={"merge": merge}).status_code == 200
    for merge in (0, 1, True):
        assert client.put("/scores", json={"merge": merge}).status_code == 400, merge


def test_another_unions_discriminator_adds_no_property(
    client: httpx.Client, pkg: dict[str, ModuleType]
) -> None:
    assert "nowhere" not in pkg["models"].Cat.model_fields
    assert client.post("/pets", json={"kind": "Dog"}).json() == {"seen": "Dog"}
    assert client.post("/pets", json={"kind": "Eel"}).status_code == 400
