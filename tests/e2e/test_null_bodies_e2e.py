"""A required JSON body whose schema admits null, sent as no body at all (how schemathesis
and httpx send a JSON null), in both generated servers: the request means null, so it is
answered as if `null` was sent; where null is no valid body, no body stays a 400."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.0.3
info: {title: Null bodies, version: "1"}
paths:
  /anything:
    post:
      operationId: sendAnything
      requestBody:
        required: true
        content: {application/json: {schema: {nullable: true}}}
      responses:
        "200": {description: done}
  /maybe:
    post:
      operationId: sendMaybe
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              nullable: true
              properties: {name: {type: string}}
      responses:
        "200": {description: done}
  /object:
    post:
      operationId: sendObject
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200": {description: done}
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("null_bodies"), SPEC, "null_bodies")


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize("path", ["/anything", "/maybe"])
def test_no_body_is_null_where_null_is_a_valid_body(
    mock: ModuleType, serve: Serve, server: str, path: str
) -> None:
    client = clients(mock, serve)[server]
    assert client.post(path).status_code == 200
    assert client.post(path, content=b"null").status_code == 200


@pytest.mark.parametrize("server", ["fastapi", "flask"])
def test_no_body_is_still_required_where_null_is_not_valid(
    mock: ModuleType, serve: Serve, server: str
) -> None:
    client = clients(mock, serve)[server]
    response = client.post("/object")
    assert response.status_code == 400
    assert response.json()["detail"] == "a request body is required"
    assert client.post("/object", content=b"null").status_code == 400
