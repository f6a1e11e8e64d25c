"""A JSON body whose union member refers to a nullable union through `allOf: [$ref,
{description}]` (the Braintrust `function_data` shape), in both generated servers: every
member the schema accepts is accepted, its null included, and what no member accepts is a
400."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.0.3
info: {title: Unions, version: "1"}
paths:
  /functions:
    post:
      operationId: createFunction
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                function_data:
                  anyOf:
                    - type: object
                      properties: {type: {type: string, enum: [prompt]}}
                      required: [type]
                    - $ref: "#/components/schemas/BatchedFacetData"
              required: [function_data]
      responses:
        "200": {description: created}
components:
  schemas:
    BatchedFacetData:
      type: object
      properties:
        type: {type: string, enum: [batched_facet]}
        preprocessor:
          allOf:
            - $ref: "#/components/schemas/NullableFunctionId"
            - description: The preprocessor; null for the project's default.
        facets: {type: array, items: {type: string}}
      required: [type, facets]
    NullableFunctionId:
      anyOf:
        - type: object
          properties: {type: {type: string, enum: [function]}, id: {type: string}}
          required: [type, id]
        - type: object
          properties: {type: {type: string, enum: [global]}, name: {type: string}}
          required: [type, name]
      nullable: true
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("unions"), SPEC, "union_bodies")


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    "data",
    [
        {"type": "prompt"},
        {"type": "batched_facet", "facets": []},
        {"type": "batched_facet", "preprocessor": None, "facets": ["a"]},
        {"type": "batched_facet", "preprocessor": {"type": "global", "name": "t"}, "facets": []},
    ],
)
def test_every_member_the_schema_accepts_is_accepted(
    mock: ModuleType, serve: Serve, server: str, data: dict[str, Any]
) -> None:
    response = clients(mock, serve)[server].post("/functions", json={"function_data": data})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    "data",
    [
        {"type": "batched"},
        {"type": "batched_facet", "preprocessor": {"type": "global"}, "facets": []},
        {"type": "batched_facet", "preprocessor": None},
        None,
    ],
)
def test_what_no_member_accepts_is_rejected(
    mock: ModuleType, serve: Serve, server: str, data: dict[str, Any] | None
) -> None:
    response = clients(mock, serve)[server].post("/functions", json={"function_data": data})
    assert response.status_code == 400, response.text
