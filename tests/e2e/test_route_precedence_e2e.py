"""Which route answers a request, in both generated servers and both layouts.

OpenAPI matches a concrete path before a templated one, and a concrete path that matches but
lacks the method answers 405 (with its own Allow), never its templated sibling's route. The
spec declares the templated paths first and files the concrete ones under another tag, so
neither the order of the spec nor that of the per-tag routers decides; a greedy `{path+}`
comes after everything else.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.0.3
info: {title: Precedence, version: "1"}
paths:
  /items/{item_id}:
    parameters:
      - {name: item_id, in: path, required: true, schema: {type: string, format: uuid}}
    get:
      operationId: getItem
      tags: [items]
      responses:
        "200":
          description: the item
          content: {application/json: {schema: {$ref: "#/components/schemas/AtItem"}}}
    delete:
      operationId: deleteItem
      tags: [items]
      responses: {"204": {description: gone}}
    options:
      operationId: itemOptions
      tags: [items]
      responses: {"204": {description: cors}}
  /items/list:
    get:
      operationId: listItems
      tags: [listing]
      responses:
        "200":
          description: the list
          content: {application/json: {schema: {$ref: "#/components/schemas/AtList"}}}
    options:
      operationId: listOptions
      tags: [listing]
      responses: {"200": {description: cors}}
  /items/batch:
    post:
      operationId: batchItems
      tags: [listing]
      responses: {"202": {description: accepted}}
  /files/{path+}:
    get:
      operationId: getFile
      tags: [items]
      parameters:
        - {name: path+, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: a file
          content: {application/json: {schema: {$ref: "#/components/schemas/AtFile"}}}
  /files/readme:
    post:
      operationId: postReadme
      tags: [listing]
      responses: {"202": {description: accepted}}
components:
  schemas:
    # The mock answers with the one value each allows: which operation answered.
    AtItem: {type: object, properties: {at: {type: string, enum: [item]}}, required: [at]}
    AtList: {type: object, properties: {at: {type: string, enum: [list]}}, required: [at]}
    AtFile: {type: object, properties: {at: {type: string, enum: [file]}}, required: [at]}
"""
ITEM = "/items/0b7c6e5e-36a4-4c4f-9a1a-0d2f1b4f3a7e"


@pytest.fixture(scope="module", params=["module", "tags"])
def mock(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ModuleType]:
    layout = request.param
    folder = tmp_path_factory.mktemp(f"precedence_{layout}")
    yield from mock_package(folder, SPEC, f"precedence_{layout}", layout)


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("method", "path", "at"),
    [
        ("GET", "/items/list", "list"),
        ("GET", ITEM, "item"),
        ("GET", "/files/a/b", "file"),
        ("GET", "/files/list", "file"),
    ],
)
def test_a_concrete_path_matches_before_a_templated_one(
    mock: ModuleType, serve: Serve, server: str, method: str, path: str, at: str
) -> None:
    response = clients(mock, serve)[server].request(method, path)
    assert response.status_code == 200, response.text
    assert response.json() == {"at": at}


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/items/list", {"GET", "OPTIONS"}),
        ("GET", "/items/batch", {"POST"}),
        ("OPTIONS", "/items/batch", {"POST"}),
        ("GET", "/files/readme", {"POST"}),
        ("POST", ITEM, {"GET", "DELETE", "OPTIONS"}),
    ],
)
def test_a_path_lacking_the_method_answers_405_with_its_own_methods(
    mock: ModuleType, serve: Serve, server: str, method: str, path: str, allowed: set[str]
) -> None:
    response = clients(mock, serve)[server].request(method, path)
    assert response.status_code == 405, response.text
    # Werkzeug serves HEAD wherever GET is served.
    assert set(response.headers["Allow"].split(", ")) - {"HEAD"} == allowed


@pytest.mark.parametrize("server", ["fastapi", "flask"])
def test_options_answers_the_declared_operation_of_its_own_path(
    mock: ModuleType, serve: Serve, server: str
) -> None:
    client = clients(mock, serve)[server]
    assert client.options("/items/list").status_code == 200
    assert client.options(ITEM).status_code == 204
    # The declared OPTIONS validates its parameters (no automatic answer).
    assert client.options("/items/not-a-uuid").status_code == 400
