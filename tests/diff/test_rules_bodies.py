"""Request body and response rules: one minimal before/after pair per rule."""

from __future__ import annotations

from typing import Any

from generator.diff.model import Severity
from tests.diff.helpers import Diff, Doc, api, ok, only, rules

STRING = {"type": "string"}


def post(body: dict[str, Any] | None, responses: dict[str, Any] | None = None) -> Doc:
    operation: dict[str, Any] = {"operationId": "create", "responses": responses or ok()}
    if body is not None:
        operation["requestBody"] = body
    return api({"/items": {"post": operation}})


def body(required: bool = False, *media: str) -> dict[str, Any]:
    types = media or ("application/json",)
    return {"required": required, "content": {m: {"schema": STRING} for m in types}}


def test_request_body_added(diff: Diff) -> None:
    assert rules(diff(post(None), post(body(True)))) == {"request-body-added-required"}
    assert rules(diff(post(None), post(body(False)))) == {"request-body-added-optional"}


def test_request_body_removed(diff: Diff) -> None:
    change = only(diff(post(body()), post(None)), "request-body-removed")
    assert change.severity is Severity.WARNING and change.side == "old"


def test_request_body_became_required_and_optional(diff: Diff) -> None:
    assert rules(diff(post(body(False)), post(body(True)))) == {"request-body-became-required"}
    assert rules(diff(post(body(True)), post(body(False)))) == {"request-body-became-optional"}


def test_request_media_types(diff: Diff) -> None:
    both = post(body(False, "application/json", "text/plain"))
    change = only(diff(both, post(body(False))), "request-body-media-type-removed")
    assert change.severity is Severity.BREAKING
    assert change.pointer == "/paths/~1items/post/requestBody/content/text~1plain"
    assert rules(diff(post(body(False)), both)) == {"request-body-media-type-added"}


def test_media_types_match_without_parameters(diff: Diff) -> None:
    charset = post(body(False, "application/json; charset=utf-8"))
    assert diff(post(body(False)), charset) == []


def responses(*statuses: str, **fields: Any) -> dict[str, Any]:
    return {s: {"description": s, **fields} for s in statuses}


def test_response_statuses(diff: Diff) -> None:
    both = post(None, responses("200", "404"))
    assert rules(diff(both, post(None, responses("404")))) == {"response-success-status-removed"}
    change = only(diff(both, post(None, responses("200"))), "response-non-success-status-removed")
    assert change.severity is Severity.WARNING
    assert rules(diff(post(None, responses("200")), both)) == {"response-status-added"}


def test_response_media_types(diff: Diff) -> None:
    def doc(*media: str) -> Doc:
        return post(None, responses("200", content={m: {"schema": STRING} for m in media}))

    both = doc("application/json", "text/plain")
    change = only(diff(both, doc("application/json")), "response-media-type-removed")
    assert change.severity is Severity.BREAKING
    assert rules(diff(doc("application/json"), both)) == {"response-media-type-added"}


def test_response_headers(diff: Diff) -> None:
    def doc(**headers: dict[str, Any]) -> Doc:
        return post(None, responses("200", headers=headers))

    required = {"schema": {"type": "integer"}, "required": True}
    optional = {"schema": {"type": "integer"}}
    assert rules(diff(doc(**{"X-Rate": required}), doc())) == {"response-required-header-removed"}
    assert rules(diff(doc(**{"X-Rate": optional}), doc())) == {"response-optional-header-removed"}
    assert rules(diff(doc(), doc(**{"X-Rate": optional}))) == {"response-header-added"}
    became = diff(doc(**{"X-Rate": required}), doc(**{"x-rate": optional}))
    assert rules(became) == {"response-header-became-optional"}
