"""The contract checks on their own: a spec read by the real pipeline, then requests and
responses as the proxy hands them over."""

from __future__ import annotations

import json

import pytest

from generator.pipeline import Options
from generator.proxy.checks import Checker, Request
from generator.proxy.contract import Contract, Operation, load_contract
from generator.proxy.schemas import SchemaChecker

SPEC = """\
openapi: 3.0.3
info: {title: Checks, version: "1"}
paths:
  /users/{kind}:
    parameters:
      - {name: kind, in: path, required: true, schema: {type: string, enum: [admin, guest]}}
    post:
      operationId: createUser
      parameters:
        - {name: ids, in: query, required: true, schema: {type: array, items: {type: integer}}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: dry, in: query, schema: {type: boolean}}
        - {name: X-Request-Id, in: header, schema: {type: string, format: uuid}}
        - {name: session, in: cookie, required: true, schema: {type: string, minLength: 4}}
        - {name: filter, in: query, style: deepObject, required: true, schema: {type: object}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
          image/*: {}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
            X-Rate: {schema: {type: integer, minimum: 0}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
        "204": {description: nothing}
        4XX:
          description: refused
          content:
            application/problem+json:
              schema: {type: object, required: [title]}
  /ping:
    get:
      operationId: ping
      responses:
        "200": {description: pong}
components:
  schemas:
    User:
      type: object
      required: [name]
      properties:
        name: {type: string, nullable: true}
        password: {type: string, writeOnly: true}
"""

GOOD_QUERY = b"ids=1&ids=2&tags=a,b&dry=true&filter[role]=x"
GOOD_HEADERS = {
    "content-type": ["application/json"],
    "cookie": ["theme=dark; session=abcd"],
    "x-request-id": ["0b5c3a5e-8f9a-4c3e-9d1a-2f6e5b4c3a21"],
}


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    path = tmp_path_factory.mktemp("spec") / "checks.yaml"
    path.write_text(SPEC, "utf-8")
    return load_contract([path], Options())


@pytest.fixture(scope="module")
def checker(contract: Contract) -> Checker:
    return Checker(SchemaChecker(contract.document), contract.document)


def _op(contract: Contract, operation_id: str) -> Operation:
    return next(op for op in contract.operations if op.operation_id == operation_id)


def _request(
    kind: str = "admin",
    query: bytes = GOOD_QUERY,
    body: object = None,
    **headers: list[str],
) -> Request:
    raw = json.dumps({"name": None} if body is None else body).encode()
    return Request("POST", {"kind": kind}, query, {**GOOD_HEADERS, **headers}, raw)


def test_a_good_request(contract: Contract, checker: Checker) -> None:
    assert checker.request(_op(contract, "createUser"), _request()) == []


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        (_request(kind="root"), ("path parameter 'kind'", '$: "root" is not one of')),
        (_request(query=b"filter[a]=1"), ("query parameter 'ids'", "required, but missing")),
        (_request(query=b"ids=1&ids=x&filter[a]=1"), ("query parameter 'ids'", '$[1]: "x"')),
        (
            _request(query=b"ids=1&dry=yes&filter[a]=1"),
            ("query parameter 'dry'", '$: "yes" is not'),
        ),
        (_request(query=b"ids=1"), ("query parameter 'filter'", "required, but missing")),
        (_request(cookie=["session=ab"]), ("cookie parameter 'session'", '$: "ab" is shorter')),
        (_request(cookie=["other=1"]), ("cookie parameter 'session'", "required, but missing")),
        (
            _request(**{"x-request-id": ["nope"]}),
            ("header parameter 'X-Request-Id'", '$: "nope" is not a "uuid"'),
        ),
        (_request(body={}), ("request body", '$: "name" is a required property')),
        (
            _request(body={"name": 1}),
            ("request body", '$.name: 1 is not of types "null", "string"'),
        ),
        (
            _request(**{"content-type": ["text/plain"]}),
            ("request Content-Type", "'text/plain' is not declared (declared: application/json"),
        ),
    ],
)
def test_a_bad_request(
    contract: Contract, checker: Checker, request_: Request, expected: tuple[str, str]
) -> None:
    problems = checker.request(_op(contract, "createUser"), request_)
    assert len(problems) == 1, problems
    assert problems[0].part == expected[0]
    assert problems[0].detail.startswith(expected[1]), problems[0].detail


def test_request_bodies(contract: Contract, checker: Checker) -> None:
    op = _op(contract, "createUser")
    image = Request(
        "POST",
        {"kind": "guest"},
        GOOD_QUERY,
        {**GOOD_HEADERS, "content-type": ["image/png"]},
        b"\x89PNG",
    )
    assert checker.request(op, image) == []  # a wildcard type, no schema: not parsed
    empty = Request("POST", {"kind": "guest"}, GOOD_QUERY, GOOD_HEADERS, b"")
    assert [(p.part, p.detail) for p in checker.request(op, empty)] == [
        ("request body", "required, but missing")
    ]
    broken = Request("POST", {"kind": "guest"}, GOOD_QUERY, GOOD_HEADERS, b"{")
    assert checker.request(op, broken)[0].detail.startswith("not valid JSON")
    ping = Request("GET", {}, b"", {}, b"x")
    assert [(p.part, p.detail) for p in checker.request(_op(contract, "ping"), ping)] == [
        ("request body", "sent, but the operation declares none")
    ]


def _response(
    checker: Checker, op: Operation, status: int, body: object, **headers: list[str]
) -> list[tuple[str, str]]:
    response = {"content-type": ["application/json"], "location": ["/users/1"], **headers}
    problems, declared = checker.response_head(op, status, response)
    if declared is not None:
        raw = b"" if body is None else json.dumps(body).encode()
        kept = raw if checker.collects_body(declared, response) else None
        problems += checker.response_body(declared, status, response, kept, len(raw))
    return [(p.part, p.detail) for p in problems]


def test_responses(contract: Contract, checker: Checker) -> None:
    op = _op(contract, "createUser")
    assert _response(checker, op, 201, {"name": "Ann"}) == []
    assert _response(checker, op, 201, {"name": "Ann", "password": "x"}) == [
        ("response body", "$.password: a writeOnly property, which must not be sent here")
    ]
    assert _response(checker, op, 201, {"name": "Ann"}, location=[""]) == []  # sent, empty
    missing = _response(checker, op, 201, {"name": "Ann"}, **{"x-rate": ["-1"]})
    assert missing == [("response header 'X-Rate'", "$: -1 is less than the minimum of 0")]
    assert _response(checker, op, 204, None, **{"content-type": []}) == []
    problem = {"content-type": ["application/problem+json"]}
    assert _response(checker, op, 404, {"title": "no"}, **problem) == []  # under 4XX
    assert _response(checker, op, 409, {}, **problem) == [
        ("response body", '$: "title" is a required property')
    ]
    assert _response(checker, op, 500, {}) == [
        ("status", "500 is not declared (declared: 201, 204, 4XX)")
    ]
    assert _response(checker, _op(contract, "ping"), 200, {"a": 1}) == [
        ("response body", "8 byte(s) sent, but 200 declares no content")
    ]
