"""Parameters read as the spec reads their text, in both generated servers: dates and
times only as RFC 3339 (pydantic's lax mode would take `0` as a Unix timestamp), number
and boolean enums by the value the text spells, and a list's values split where the
parameter's style puts several in one value (headers always, `explode: false` queries);
exclusive bounds exclusive."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.0.3
info: {title: Param text, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: at, in: query, schema: {type: string, format: date-time}}
        - {name: day, in: query, schema: {type: string, format: date}}
        - {name: clock, in: query, schema: {type: string, format: time}}
        - {name: days, in: query, schema: {type: array, items: {type: string, format: date}}}
        - {name: ratio, in: query, schema: {type: number, enum: [0.5, 1.5, -1e10]}}
        - {name: flag, in: query, schema: {$ref: "#/components/schemas/Flag"}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - name: pipes
          in: query
          style: pipeDelimited
          schema: {type: array, items: {type: integer}}
        - name: share
          in: query
          schema:
            {type: number, minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true}
        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}
      responses:
        "204": {description: done}
components:
  schemas:
    Flag: {type: boolean, enum: [true]}
"""
SERVERS = ["fastapi", "flask"]


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("param_text"), SPEC, "param_text")


def test_the_handler_contract_keeps_the_value_types(mock: ModuleType) -> None:
    from param_text import handlers  # type: ignore[import-not-found]

    fields = handlers.ListThingsRequest.__annotations__
    assert fields["at"] == "datetime | None"
    assert fields["day"] == "date | None"
    assert fields["days"] == "list[date] | None"


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"at": "2024-02-29T12:30:00Z"}, {}),
        ({"at": "2024-02-29t12:30:00.25+05:30"}, {}),
        ({"day": "2024-02-29"}, {}),
        ({"clock": "12:30:00Z"}, {}),
        ({"days": ["2024-01-01", "2024-01-02"]}, {}),
        ({"ratio": "0.5"}, {}),
        ({"ratio": "-1e10"}, {}),
        ({"ratio": "-10000000000"}, {}),
        ({"flag": "true"}, {}),
        ({"tags": "1,2,3"}, {}),
        ({"tags": ""}, {}),  # the empty list
        ({"pipes": "1|2"}, {}),
        ({"share": "0.5"}, {}),
        ({}, {"X-Ids": "1,2"}),
        ({}, {"X-Ids": ""}),
    ],
)
def test_values_the_spec_allows_are_accepted(
    mock: ModuleType,
    serve: Serve,
    server: str,
    query: dict[str, object],
    headers: dict[str, str],
) -> None:
    response = clients(mock, serve)[server].get("/things", params=query, headers=headers)
    assert response.status_code == 204, response.text


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"at": "0"}, {}),  # a Unix timestamp to pydantic
        ({"at": "0.5"}, {}),
        ({"at": "2024-02-29T12:30:00"}, {}),  # RFC 3339 needs the offset
        ({"at": "2024-02-29 12:30:00Z"}, {}),
        ({"at": "2024-02-30T12:30:00Z"}, {}),
        ({"day": "0"}, {}),
        ({"day": "2024-02-29T00:00:00Z"}, {}),  # a date-time is no date
        ({"day": "\uff12\uff10\uff12\uff14-02-29"}, {}),  # fullwidth digits
        ({"clock": "12:30"}, {}),
        ({"days": ["2024-01-01", "1"]}, {}),
        ({"ratio": "1"}, {}),
        ({"ratio": "x"}, {}),
        ({"flag": "1"}, {}),
        ({"flag": "false"}, {}),
        ({"tags": "1,x"}, {}),
        ({"share": "0"}, {}),  # exclusive bounds
        ({"share": "1"}, {}),
        ({}, {"X-Ids": "1,x"}),
    ],
)
def test_values_the_spec_refuses_are_rejected(
    mock: ModuleType,
    serve: Serve,
    server: str,
    query: dict[str, object],
    headers: dict[str, str],
) -> None:
    response = clients(mock, serve)[server].get("/things", params=query, headers=headers)
    assert response.status_code == 400, response.text
