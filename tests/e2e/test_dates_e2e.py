"""Dates and times in request bodies are RFC 3339 text, in both generated servers: pydantic
alone would also read "0", Unix timestamps and times without an offset as datetimes, so the
JSON Schema check runs for such bodies and refuses them (400)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.1.0
info: {title: Dates, version: "1"}
paths:
  /events:
    post:
      operationId: postEvent
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                at: {type: string, format: date-time}
                on: {type: string, format: date}
      responses: {"204": {description: kept}}
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("dates"), SPEC, "dates_e2e")


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"at": "2026-12-07T01:02:03Z", "on": "2026-12-07"}, 204),
        ({"at": "2026-12-07T01:02:03.5+01:00"}, 204),
        ({"at": "0"}, 400),
        ({"at": "1700000000"}, 400),
        ({"at": "2026-12-07T01:02:03"}, 400),  # no offset
        ({"at": "2026-12-07T01:02Z"}, 400),  # no seconds
        ({"on": "0"}, 400),
        ({"on": "2026-12-07T00:00:00Z"}, 400),
    ],
)
def test_dates_are_rfc3339_text(
    mock: ModuleType, serve: Serve, server: str, body: dict[str, str], status: int
) -> None:
    response = clients(mock, serve)[server].post("/events", json=body)
    assert response.status_code == status, response.text
