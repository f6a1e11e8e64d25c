"""Credentials where the spec puts them (a header, the query, a cookie), in both generated
servers: the one a requirement names is read from its place, one elsewhere does not count,
and an operation without security reads none (the servers parse the query and cookies only
when a scheme needs them)."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package

SPEC = """\
openapi: 3.1.0
info: {title: Credentials, version: "1"}
paths:
  /header:
    get:
      operationId: byHeader
      security: [{header_key: []}]
      responses: {"204": {description: ok}}
  /query:
    get:
      operationId: byQuery
      security: [{query_key: []}]
      responses: {"204": {description: ok}}
  /cookie:
    get:
      operationId: byCookie
      security: [{cookie_key: []}]
      responses: {"204": {description: ok}}
  /open:
    get:
      operationId: open
      parameters: [{name: q, in: query, schema: {type: integer}}]
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    header_key: {type: apiKey, in: header, name: X-Key}
    query_key: {type: apiKey, in: query, name: key}
    cookie_key: {type: apiKey, in: cookie, name: session}
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from mock_package(tmp_path_factory.mktemp("credentials"), SPEC, "credentials_e2e")


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/header", {"headers": {"X-Key": "k"}}),
        ("/query", {"params": {"key": "k"}}),
        ("/cookie", {"headers": {"Cookie": "session=k"}}),
    ],
)
def test_a_credential_in_its_place_is_read(
    mock: ModuleType, serve: Serve, server: str, path: str, where: dict[str, dict[str, str]]
) -> None:
    client = clients(mock, serve)[server]
    assert client.get(path, **where).status_code == 204  # type: ignore[arg-type]
    assert client.get(path).status_code == 401


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("path", "elsewhere"),
    [
        ("/header", {"params": {"X-Key": "k"}}),
        ("/query", {"headers": {"key": "k", "Cookie": "key=k"}}),
        ("/cookie", {"params": {"session": "k"}, "headers": {"session": "k"}}),
    ],
)
def test_a_credential_elsewhere_does_not_count(
    mock: ModuleType, serve: Serve, server: str, path: str, elsewhere: dict[str, dict[str, str]]
) -> None:
    client = clients(mock, serve)[server]
    assert client.get(path, **elsewhere).status_code == 401  # type: ignore[arg-type]


@pytest.mark.parametrize("server", ["fastapi", "flask"])
def test_an_open_operation_still_reads_its_query(
    mock: ModuleType, serve: Serve, server: str
) -> None:
    client = clients(mock, serve)[server]
    assert client.get("/open", params={"q": "3"}).status_code == 204
    assert client.get("/open", params={"q": "x"}).status_code == 400
