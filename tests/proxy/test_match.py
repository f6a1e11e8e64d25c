"""Request paths to operations: templated segments, literal precedence, the base path."""

from __future__ import annotations

from typing import Any

import pytest

from generator.proxy.contract import Operation, build_contract
from generator.proxy.match import Router


def _operation(method: str, path: str) -> Operation:
    return Operation(method, path, f"{method} {path}", "", (), None, False, ())


def _document(servers: list[dict[str, Any]], *paths: str) -> dict[str, Any]:
    ok = {"responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": servers,
        "paths": {path: {"get": ok} for path in paths},
    }


ROUTER = Router(
    [
        _operation("GET", "/users/{id}"),
        _operation("GET", "/users/me"),
        _operation("PUT", "/users/{id}"),
        _operation("GET", "/files/{name}.{ext}"),
        _operation("GET", "/{org}/repos"),
        _operation("GET", "/acme/{repo}"),
        _operation("GET", "/"),
        _operation("GET", "/lit/%7Bid%7D"),
        _operation("GET", "/lit/{id}"),
        _operation("GET", "/z/{id}%3C/a b"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "template", "values"),
    [
        ("GET", "/users/42", "/users/{id}", {"id": "42"}),
        ("GET", "/users/me", "/users/me", {}),  # the literal wins
        ("PUT", "/users/me", "/users/{id}", {"id": "me"}),  # ... only for its own methods
        ("GET", "/users/a%2Fb", "/users/{id}", {"id": "a/b"}),  # decoded after splitting
        ("GET", "/users/caf%C3%A9", "/users/{id}", {"id": "café"}),
        ("GET", "/files/report.tar.gz", "/files/{name}.{ext}", {"name": "report.tar", "ext": "gz"}),
        ("GET", "/acme/repos", "/acme/{repo}", {"repo": "repos"}),  # literals win from the left
        ("GET", "/other/repos", "/{org}/repos", {"org": "other"}),
        ("GET", "/", "/", {}),
        # Literal text is URL text, matched decoded: a literal brace is no template.
        ("GET", "/lit/%7Bid%7D", "/lit/%7Bid%7D", {}),
        ("GET", "/lit/%7Bx%7D", "/lit/{id}", {"id": "{x}"}),
        ("GET", "/z/7%3C/a%20b", "/z/{id}%3C/a b", {"id": "7"}),
    ],
)
def test_match(method: str, path: str, template: str, values: dict[str, str]) -> None:
    found = ROUTER.match(method, path)
    assert found is not None and found.operation is not None
    assert (found.operation.path, found.values) == (template, values)


def test_no_operation() -> None:
    assert ROUTER.match("GET", "/users") is None
    assert ROUTER.match("GET", "/users/1/2") is None
    assert ROUTER.match("GET", "/files/noext") is None
    only_path = ROUTER.match("DELETE", "/users/1")
    assert only_path is not None and only_path.operation is None
    assert only_path.template == "/users/{id}"


@pytest.mark.parametrize(
    ("servers", "override", "base"),
    [
        ([{"url": "https://api.example.com/v1/"}], None, "/v1"),
        ([{"url": "/api"}, {"url": "https://x.example/other"}], None, "/api"),
        (
            [
                {
                    "url": "https://{region}.example/{version}",
                    "variables": {"region": {"default": "eu"}, "version": {"default": "v2"}},
                }
            ],
            None,
            "/v2",
        ),
        ([], None, ""),
        ([{"url": "https://api.example.com/v1"}], "", ""),
        ([{"url": "https://api.example.com/v1"}], "/edge/v1/", "/edge/v1"),
    ],
)
def test_base_path(servers: list[dict[str, Any]], override: str | None, base: str) -> None:
    contract = build_contract(_document(servers, "/items/{id}"), override)
    assert contract.base_path == base
    router = Router(contract.operations, contract.base_path)
    found = router.match("GET", f"{base}/items/7")
    assert found is not None and found.values == {"id": "7"}
    if base:
        assert router.match("GET", "/items/7") is None
