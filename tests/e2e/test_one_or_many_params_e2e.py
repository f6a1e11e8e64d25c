"""A query parameter that is one value or an array of them (`anyOf`/`oneOf` of a scalar and
an array of it), in both generated servers: on the wire one value is an array of one, so it
is bound as a list and each value is checked like the scalar (a format, an empty value), as
the parameter's schema does."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.0.3
info: {title: One or many, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: ids, in: query, schema: {$ref: "#/components/schemas/Ids"}}
        - name: counts
          in: query
          schema:
            oneOf:
              - {type: integer, description: one}
              - {type: array, items: {type: integer}}
        # The scalar has a constraint the list cannot carry: the handler parses a string.
        - name: sizes
          in: query
          schema:
            anyOf:
              - {type: integer, minimum: 0}
              - {type: array, items: {type: integer}}
      responses:
        "200": {description: the things}
components:
  schemas:
    Ids:
      anyOf:
        - {type: string, format: uuid}
        - {type: array, items: {type: string, format: uuid}}
"""
A = "0b7c6e5e-36a4-4c4f-9a1a-0d2f1b4f3a7e"
B = "5f0c1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("one_or_many"), SPEC, "one_or_many")


def test_the_handler_contract_takes_a_list(mock: ModuleType) -> None:
    from one_or_many import handlers  # type: ignore[import-not-found]

    fields = handlers.ListThingsRequest.__annotations__
    assert fields["ids"] == "list[UUID] | None"
    assert fields["counts"] == "list[int] | None"
    assert fields["sizes"] == "str | None"


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    "query", [{}, {"ids": A}, {"ids": [A, B]}, {"counts": "3"}, {"counts": ["1", "2"]}]
)
def test_one_value_or_many_are_accepted(
    mock: ModuleType, serve: Serve, server: str, query: dict[str, object]
) -> None:
    response = clients(mock, serve)[server].get("/things", params=query)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    "query", [{"ids": "nope"}, {"ids": ""}, {"ids": [A, "nope"]}, {"counts": "x"}]
)
def test_a_value_neither_member_takes_is_rejected(
    mock: ModuleType, serve: Serve, server: str, query: dict[str, object]
) -> None:
    response = clients(mock, serve)[server].get("/things", params=query)
    assert response.status_code == 400, response.text
