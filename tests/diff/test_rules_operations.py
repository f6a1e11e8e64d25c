"""Paths, operations, security and servers: one minimal before/after pair per rule."""

from __future__ import annotations

from typing import Any

from generator.diff.model import Severity
from tests.diff.helpers import Diff, api, get, ok, only, rules

BEARER = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
OAUTH = {
    "securitySchemes": {
        "oauth": {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "https://example.com/token",
                    "scopes": {"read": "r", "write": "w"},
                }
            },
        },
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
}


def test_identical_documents_have_no_changes(diff: Diff) -> None:
    doc = api({"/items": get()})
    assert diff(doc, doc) == []


def test_path_removed_without_deprecation(diff: Diff) -> None:
    changes = diff(api({"/a": get(), "/b": get(operationId="b")}), api({"/a": get()}))
    change = only(changes, "api-path-removed-without-deprecation")
    assert change.severity is Severity.BREAKING
    assert change.side == "old" and change.pointer == "/paths/~1b/get"
    assert str(change.operation) == "GET /b (b)"


def test_path_removed_with_deprecation(diff: Diff) -> None:
    old = api({"/a": get(), "/b": get(operationId="b", deprecated=True)})
    change = only(diff(old, api({"/a": get()})), "api-path-removed-with-deprecation")
    assert change.severity is Severity.WARNING


def test_operation_removed_without_and_with_deprecation(diff: Diff) -> None:
    post: dict[str, Any] = {"operationId": "p", "responses": ok()}
    old = api({"/a": {**get(), "post": post, "delete": {**post, "operationId": "d"}}})
    old["paths"]["/a"]["delete"]["deprecated"] = True
    changes = diff(old, api({"/a": get()}))
    assert only(changes, "api-removed-without-deprecation").operation.method == "POST"  # type: ignore[union-attr]
    assert only(changes, "api-removed-with-deprecation").operation.method == "DELETE"  # type: ignore[union-attr]


def test_endpoint_added(diff: Diff) -> None:
    change = only(
        diff(api({"/a": get()}), api({"/a": get(), "/b": get(operationId="b")})), "endpoint-added"
    )
    assert change.severity is Severity.INFO and change.pointer == "/paths/~1b/get"


def test_deprecated_and_reactivated(diff: Diff) -> None:
    plain, deprecated = api({"/a": get()}), api({"/a": get(deprecated=True)})
    assert rules(diff(plain, deprecated)) == {"api-deprecated"}
    assert rules(diff(deprecated, plain)) == {"api-reactivated"}


def test_operation_id_changed(diff: Diff) -> None:
    change = only(
        diff(api({"/a": get()}), api({"/a": get(operationId="listItems")})),
        "api-operation-id-changed",
    )
    assert change.severity is Severity.WARNING
    assert "`getItems` to `listItems`" in change.message


def test_path_parameter_renamed_is_the_same_operation(diff: Diff) -> None:
    def item(name: str) -> dict[str, Any]:
        param = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        return {"get": {"operationId": "getItem", "parameters": [param], "responses": ok()}}

    changes = diff(api({"/items/{id}": item("id")}), api({"/items/{item_id}": item("item_id")}))
    assert rules(changes) == {"api-path-parameter-renamed"}
    assert changes[0].severity is Severity.INFO


def test_security_added(diff: Diff) -> None:
    old = api({"/a": get()}, components=BEARER)
    new = api({"/a": get(security=[{"bearer": []}])}, components=BEARER)
    change = only(diff(old, new), "api-security-added")
    assert change.severity is Severity.BREAKING
    assert change.pointer == "/paths/~1a/get/security"


def test_security_removed(diff: Diff) -> None:
    old = api({"/a": get()}, components=BEARER, security=[{"bearer": []}])
    new = api({"/a": get()}, components=BEARER, security=[{"bearer": []}, {}])
    change = only(diff(old, new), "api-security-removed")
    assert change.severity is Severity.INFO and change.pointer == "/security"


def test_security_alternative_removed_and_added(diff: Diff) -> None:
    old = api({"/a": get(security=[{"oauth": ["read"]}, {"key": []}])}, components=OAUTH)
    new = api({"/a": get(security=[{"oauth": ["read"]}])}, components=OAUTH)
    assert rules(diff(old, new)) == {"api-security-alternative-removed"}
    assert rules(diff(new, old)) == {"api-security-alternative-added"}


def test_security_scope_added_and_removed(diff: Diff) -> None:
    old = api({"/a": get(security=[{"oauth": ["read"]}])}, components=OAUTH)
    new = api({"/a": get(security=[{"oauth": ["read", "write"]}])}, components=OAUTH)
    change = only(diff(old, new), "api-security-scope-added")
    assert change.severity is Severity.BREAKING and "write" in change.message
    assert rules(diff(new, old)) == {"api-security-scope-removed"}


def test_security_scheme_changed(diff: Diff) -> None:
    old = api({"/a": get(security=[{"key": []}])}, components=OAUTH)
    new = api({"/a": get(security=[{"key": []}])}, components=OAUTH)
    new["components"]["securitySchemes"]["key"]["name"] = "X-Api-Key"
    change = only(diff(old, new), "security-scheme-changed")
    assert change.operation is None and change.pointer == "/components/securitySchemes/key"


def test_servers(diff: Diff) -> None:
    old = api({"/a": get()}, servers=[{"url": "https://a.example.com"}])
    new = api({"/a": get()}, servers=[{"url": "https://b.example.com"}])
    changes = diff(old, new)
    assert rules(changes) == {"server-removed", "server-added"}
    assert only(changes, "server-removed").severity is Severity.WARNING
