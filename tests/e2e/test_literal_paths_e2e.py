"""Percent-encoded literal text in a path template, in both generated servers and the client.

A path key is URL text: `%7Bid%7D` is a literal segment `{id}` (a bare `{id}` is always a
template), `a b` is sent as `a%20b`. The request path arrives decoded, so each server must
match the literal decoded: a literal brace (which Starlette reads as a parameter), a literal
`<` (which opens a Werkzeug converter), a literal `%`. A literal segment still wins over a
templated sibling.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from tests.e2e.conftest import Serve
from tests.e2e.mock_servers import clients, mock_package


def _op(operation_id: str, at: str, *params: str) -> str:
    """A GET whose one answer says which operation answered."""
    declared = ", ".join(
        f"{{name: {p}, in: path, required: true, schema: {{type: string}}}}" for p in params
    )
    return f"""
    get:
      operationId: {operation_id}
      parameters: [{declared}]
      responses:
        "200":
          description: which operation answered
          content:
            application/json:
              schema:
                type: object
                properties: {{at: {{type: string, enum: [{at}]}}}}
                required: [at]"""


SPEC = f"""\
openapi: 3.1.0
info: {{title: Literals, version: "1"}}
paths:
  "/jinja/{{id}}/%7B%7Bx%7D%7D":{_op("getJinja", "jinja", "id")}
  "/lit/{{id}}":{_op("getTemplated", "templated", "id")}
  "/lit/%7Bid%7D":{_op("getLiteral", "literal")}
  "/z/{{ünï}}/%7Bliteral%7D/a b":{_op("getZ", "z", "ünï")}
  "/lt/%3Cb%3E/x%3C{{id}}":{_op("getAngle", "angle", "id")}
  "/pct/100%25":{_op("getPercent", "percent")}
"""


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("literal_paths")
    yield from mock_package(folder, SPEC, "literal_paths", styles=("httpx",))


@pytest.mark.parametrize("server", ["fastapi", "flask"])
@pytest.mark.parametrize(
    ("path", "at"),
    [
        ("/jinja/7/%7B%7Bx%7D%7D", "jinja"),
        ("/lit/%7Bid%7D", "literal"),
        ("/lit/%7Bother%7D", "templated"),
        ("/lit/id", "templated"),
        ("/z/%C3%BC/%7Bliteral%7D/a%20b", "z"),
        ("/lt/%3Cb%3E/x%3Cy", "angle"),
        ("/pct/100%25", "percent"),
    ],
)
def test_a_literal_segment_is_matched_decoded(
    mock: ModuleType, serve: Serve, server: str, path: str, at: str
) -> None:
    response = clients(mock, serve)[server].get(path)
    assert response.status_code == 200, response.text
    assert response.json() == {"at": at}


@pytest.mark.parametrize("server", ["fastapi", "flask"])
def test_the_literal_is_not_a_parameter(mock: ModuleType, serve: Serve, server: str) -> None:
    client = clients(mock, serve)[server]
    assert client.get("/jinja/7/%7B%7By%7D%7D").status_code == 404
    assert client.get("/z/u/%7Bother%7D/a%20b").status_code == 404
    assert client.get("/lt/%3Cc%3E/x%3Cy").status_code == 404


class _Recording(httpx.HTTPTransport):
    """A socket transport that keeps the path of each request as sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request.url.raw_path.decode())
        return super().handle_request(request)


def test_the_client_sends_the_literal_encoded(mock: ModuleType, serve: Serve) -> None:
    package = importlib.import_module("literal_paths.client")
    transport = _Recording()
    with package.Client(serve(mock.create_app()), transport=transport) as client:
        assert client.get_jinja(id="{x}").at == "jinja"
        assert client.get_z(uni="ü").at == "z"
        assert client.get_angle(id="<").at == "angle"
        assert client.get_percent().at == "percent"
    assert transport.sent == [
        "/jinja/%7Bx%7D/%7B%7Bx%7D%7D",
        "/z/%C3%BC/%7Bliteral%7D/a%20b",
        "/lt/%3Cb%3E/x%3C%3C",
        "/pct/100%25",
    ]
