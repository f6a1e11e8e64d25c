"""Martian, end to end in process: the generated `AsyncClient` calls the generated FastAPI app
through `httpx.ASGITransport`, served by a small flattening handler written here.

Covers postFeedback: typed success path and typed inputs (recursive feedback values), the
per-item result union, declared and undeclared errors, the required bearer security, and the
request-body rules the spec states (arrays and null are not feedback values, at any depth).
"""

from __future__ import annotations

import asyncio
import json
import math
import uuid
from typing import Any

import httpx
import pytest
from martian import client as mc
from martian import handlers as mh
from martian import models as mm
from martian import server as ms
from pydantic import MISSING

BASE = "http://testserver"
GOOD_TOKEN = "mk-good"
AUTH = {"Authorization": f"Bearer {GOOD_TOKEN}"}
ID_A = uuid.UUID("019503a1-b2c3-7d4e-8f01-234567890abc")
ID_B = uuid.UUID("019503a2-d4e5-7f60-a1b2-c3d4e5f60718")
UNKNOWN_ID = uuid.UUID("00000000-0000-4000-8000-000000000000")
NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


def flatten(feedback: dict[str, mm.FeedbackValue], prefix: str = "") -> list[str]:
    """Flattened dot-notation keys, as the spec describes (empty nested objects vanish)."""
    keys: list[str] = []
    for key, value in feedback.items():
        assert isinstance(value, mm.FeedbackValue)
        inner = value.root
        if isinstance(inner, mm.FeedbackObject):
            keys.extend(flatten(inner.root, f"{prefix}{key}."))
        else:
            assert isinstance(inner, mm.ScalarFeedbackValue | mm.StructuredScore)
            keys.append(prefix + key)
    return keys


def feedback_id(event_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{event_id}/{key}")


class FlatteningHandlers(mh.Handlers):
    """A tiny in-memory Martian: checks typed inputs, flattens, answers one result per event.

    `UNKNOWN_ID` is an inference that does not exist (a per-item failure)."""

    def __init__(self, reply: Any = None) -> None:
        self.reply = reply
        self.calls: list[mh.PostFeedbackRequest] = []
        self.authenticated: list[tuple[str, str]] = []

    async def authenticate(self, scheme: str, credential: str) -> bool:
        self.authenticated.append((scheme, credential))
        return scheme == "bearerAuth" and credential == GOOD_TOKEN

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        assert isinstance(request, mh.PostFeedbackRequest)
        assert isinstance(request.body, mm.FeedbackRequest)
        assert request.auth.credentials == {"bearerAuth": GOOD_TOKEN}
        for event in request.body.root:
            assert isinstance(event, mm.FeedbackEvent)
            assert isinstance(event.id, uuid.UUID)
            assert isinstance(event.optimize, mm.FeedbackEventOptimize)
        self.calls.append(request)
        if self.reply is not None:
            response: mh.PostFeedbackResponse = self.reply(request)
            return response
        results: list[mm.FeedbackResult] = []
        for event in request.body.root:
            if event.id == UNKNOWN_ID:
                failure = mm.FeedbackFailure(
                    feedback_ids=None,
                    error=mm.FeedbackError(status_code=400, message="ID does not exist"),
                )
                results.append(mm.FeedbackResult(failure))
            else:
                ids = {key: feedback_id(event.id, key) for key in flatten(event.feedback)}
                success = mm.FeedbackSuccess(feedback_ids=mm.FeedbackIds(ids), error=None)
                results.append(mm.FeedbackResult(success))
        return mh.PostFeedback200JsonResponse(body=mm.FeedbackResponse(results))


def call(
    app: Any,
    body: mm.FeedbackRequest,
    *,
    token: str | None = GOOD_TOKEN,
    base_url: str = BASE,
    raise_app_exceptions: bool = True,
) -> mm.FeedbackResponse:
    async def go() -> mm.FeedbackResponse:
        transport = httpx.ASGITransport(app, raise_app_exceptions=raise_app_exceptions)
        async with mc.AsyncClient(base_url, token=token, transport=transport) as client:
            return await client.post_feedback(body=body)

    return asyncio.run(go())


def raw(app: Any, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE) as http:
            return await http.post("/v1/feedback", **kwargs)

    return asyncio.run(go())


NESTED_JSON: list[dict[str, Any]] = [
    {
        "id": str(ID_A),
        "feedback": {
            "helpful": True,
            "rating": 4.5,
            "comment": "Answered the question clearly",
            "accuracy": {"score": 4, "reason": "Correct but could include more detail"},
            "evaluation": {
                "quality": {"precision": 0.95, "recall": 0.87},
                "style": {"tone": {"formal": False, "graded": {"score": "B"}}},
                "empty": {},
            },
        },
        "tags": {"evaluator": "human", "task": "question-answering"},
        "optimize": "min",
    },
    {"id": str(UNKNOWN_ID), "feedback": {"helpful": False}},
    {"id": str(ID_B), "feedback": {}},
]
NESTED_KEYS = [
    "helpful",
    "rating",
    "comment",
    "accuracy",
    "evaluation.quality.precision",
    "evaluation.quality.recall",
    "evaluation.style.tone.formal",
    "evaluation.style.tone.graded",
]


# --- 1 and 5. success path, recursive values, per-item union --------------------------------


def test_success_typed_inputs_and_per_item_union() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)
    body = mm.FeedbackRequest.model_validate(NESTED_JSON)

    result = call(app, body)

    # Client side: the parsed model, with the per-item union resolved per item.
    assert isinstance(result, mm.FeedbackResponse)
    first, second, third = (item.root for item in result.root)
    assert isinstance(first, mm.FeedbackSuccess)
    assert first.error is None
    assert first.feedback_ids.root == {key: feedback_id(ID_A, key) for key in NESTED_KEYS}
    assert all(isinstance(value, uuid.UUID) for value in first.feedback_ids.root.values())
    assert isinstance(second, mm.FeedbackFailure)
    assert second.feedback_ids is None
    assert second.error == mm.FeedbackError(status_code=400, message="ID does not exist")
    assert isinstance(third, mm.FeedbackSuccess)
    assert third.feedback_ids.root == {}

    # Server side: the typed, recursive structure.
    [request] = handlers.calls
    event = request.body.root[0]
    assert event.id == ID_A
    assert event.optimize is mm.FeedbackEventOptimize.min
    assert event.tags == {"evaluator": "human", "task": "question-answering"}
    feedback = event.feedback
    assert feedback["helpful"].root == mm.ScalarFeedbackValue(True)
    assert feedback["helpful"].root.root is True
    assert feedback["rating"].root.root == 4.5
    assert feedback["comment"].root.root == "Answered the question clearly"
    accuracy = feedback["accuracy"].root
    assert isinstance(accuracy, mm.StructuredScore)
    assert accuracy.score.root == 4.0
    assert accuracy.reason == "Correct but could include more detail"
    evaluation = feedback["evaluation"].root
    assert isinstance(evaluation, mm.FeedbackObject)
    quality = evaluation.root["quality"].root
    assert isinstance(quality, mm.FeedbackObject)
    assert quality.root["precision"].root.root == 0.95
    tone = evaluation.root["style"].root.root["tone"].root
    assert isinstance(tone, mm.FeedbackObject)
    assert tone.root["formal"].root.root is False
    graded = tone.root["graded"].root
    assert isinstance(graded, mm.StructuredScore)
    assert graded.score.root == "B" and graded.reason is MISSING
    assert evaluation.root["empty"].root == mm.FeedbackObject({})
    # The defaults of an event that left them out.
    assert request.body.root[1].optimize is mm.FeedbackEventOptimize.max
    assert request.body.root[1].tags is MISSING


def test_nested_values_round_trip_unchanged() -> None:
    """What the handler sees serialises back to exactly what the client sent."""
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)
    deep: dict[str, Any] = {"leaf": 0.5}
    for depth in range(12):
        deep = {f"level{depth}": deep, f"flag{depth}": depth % 2 == 0}
    sent = [{"id": str(ID_A), "feedback": {"root": deep, "s": {"score": True, "reason": "r"}}}]

    result = call(app, mm.FeedbackRequest.model_validate(sent))

    [request] = handlers.calls
    assert request.body.model_dump(mode="json", exclude_unset=True) == sent
    success = result.root[0].root
    assert isinstance(success, mm.FeedbackSuccess)
    keys = set(success.feedback_ids.root)
    assert "s" in keys
    assert "root." + ".".join(f"level{d}" for d in reversed(range(12))) + ".leaf" in keys
    assert len(keys) == 1 + 12 + 1  # s, twelve flags, one leaf


def test_wire_format_of_the_results() -> None:
    """The 200 body on the wire: the per-item shapes the spec's examples show."""
    app = ms.create_app(FlatteningHandlers())
    sent = [
        {"id": str(ID_A), "feedback": {"helpful": True}},
        {"id": str(UNKNOWN_ID), "feedback": {"helpful": True}},
    ]

    response = raw(app, json=sent, headers=AUTH)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"feedback_ids": {"helpful": str(feedback_id(ID_A, "helpful"))}, "error": None},
        {"feedback_ids": None, "error": {"status_code": 400, "message": "ID does not exist"}},
    ]


# --- 2. typed errors ---------------------------------------------------------------------------


def test_declared_400_from_handler_raises_typed_error_with_model_body() -> None:
    error_body = mm.ErrorResponse(error=mm.FeedbackError(status_code=400, message="too many"))
    app = ms.create_app(
        FlatteningHandlers(lambda _: mh.PostFeedback400JsonResponse(body=error_body))
    )

    with pytest.raises(mc.PostFeedback400Error) as caught:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON))

    error = caught.value
    assert type(error) is mc.PostFeedback400Error
    assert error.status_code == 400
    assert isinstance(error.body, mm.ErrorResponse)
    assert error.body == error_body


def test_missing_token_is_401_on_the_wire() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, json=NESTED_JSON)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert handlers.calls == [] and handlers.authenticated == []


def test_rejected_token_is_401_on_the_wire() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, json=NESTED_JSON, headers={"Authorization": "Bearer mk-wrong"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert handlers.authenticated == [("bearerAuth", "mk-wrong")]
    assert handlers.calls == []


class DeclaredErrorHandlers(FlatteningHandlers):
    """Answers the server's own errors with the spec's ErrorResponse (the error hook)."""

    async def error_response(self, error: mh.RequestError) -> mh.ResponseVariant | None:
        body = mm.ErrorResponse(
            error=mm.FeedbackError(status_code=error.status, message=error.detail)
        )
        if error.status == 400:
            return mh.PostFeedback400JsonResponse(body=body)
        if error.status == 401:
            return mh.PostFeedback401JsonResponse(body=body)
        return None


@pytest.mark.parametrize("token", [None, "mk-wrong"], ids=["missing", "rejected"])
def test_missing_or_rejected_token_raises_typed_401(token: str | None) -> None:
    handlers = DeclaredErrorHandlers()
    app = ms.create_app(handlers)

    with pytest.raises(mc.PostFeedback401Error) as caught:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON), token=token)

    error = caught.value
    assert error.status_code == 401
    assert error.headers["www-authenticate"] == "Bearer"
    assert isinstance(error.body, mm.ErrorResponse)
    assert error.body.error.status_code == 401
    assert handlers.calls == []


def test_invalid_body_through_typed_client_raises_typed_400() -> None:
    """An empty array (minItems 1), built past validation with `model_construct`."""
    handlers = DeclaredErrorHandlers()
    app = ms.create_app(handlers)

    with pytest.raises(mc.PostFeedback400Error) as caught:
        call(app, mm.FeedbackRequest.model_construct([]))

    assert isinstance(caught.value.body, mm.ErrorResponse)
    assert caught.value.body.error.status_code == 400
    assert handlers.calls == []


def test_invalid_body_and_missing_token_reach_the_client_as_api_errors() -> None:
    """Without the error hook the server's own 400 and 401 are JSON problem bodies; the
    client still raises an ApiError with the right status."""
    app = ms.create_app(FlatteningHandlers())

    with pytest.raises(mc.ApiError) as unauthorized:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON), token=None)
    assert unauthorized.value.status_code == 401

    with pytest.raises(mc.ApiError) as invalid:
        call(app, mm.FeedbackRequest.model_construct([]))
    assert invalid.value.status_code == 400


def test_handler_crash_is_unexpected_500() -> None:
    def crash(request: Any) -> Any:
        raise RuntimeError("boom")

    app = ms.create_app(FlatteningHandlers(crash))

    with pytest.raises(mc.UnexpectedStatus) as caught:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON), raise_app_exceptions=False)

    # No 500 declared: a problem+json body that says nothing of the exception.
    assert caught.value.status_code == 500
    assert caught.value.problem == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "the server failed to answer the request",
    }


def test_unknown_route_is_unexpected_status() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    with pytest.raises(mc.UnexpectedStatus) as caught:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON), base_url=f"{BASE}/v2")

    assert caught.value.status_code == 404
    assert json.loads(caught.value.body)["status"] == 404
    assert handlers.calls == []


def test_unimplemented_operation_is_501_unexpected_status() -> None:
    class Bare(mh.Handlers):
        pass

    app = ms.create_app(Bare())

    with pytest.raises(mc.UnexpectedStatus) as caught:
        call(app, mm.FeedbackRequest.model_validate(NESTED_JSON))

    error = caught.value
    assert error.status_code == 501
    assert error.headers["content-type"] == "application/problem+json"
    assert json.loads(error.body) == {
        "type": "about:blank",
        "status": 501,
        "title": "Not Implemented",
        "detail": "operation 'postFeedback' is not implemented",
    }


# --- 5 and 6. the request body rules, at the server boundary ----------------------------------


def event(feedback: Any, **extra: Any) -> list[dict[str, Any]]:
    return [{"id": str(ID_A), "feedback": feedback, **extra}]


REJECTED_BODIES = {
    "array-value": event({"tags_list": ["a", "b"]}),
    "empty-array-value": event({"x": []}),
    "null-value": event({"x": None}),
    "nested-array": event({"evaluation": {"quality": [0.9]}}),
    "nested-null": event({"evaluation": {"quality": {"precision": None}}}),
    "array-score": event({"x": {"score": [1], "reason": "r"}}),
    "null-score": event({"x": {"score": None}}),
    "feedback-array": event([{"helpful": True}]),
    "feedback-null": event(None),
    "not-an-array": {"id": str(ID_A), "feedback": {}},
    "empty-array": [],
    "missing-id": [{"feedback": {}}],
    "missing-feedback": [{"id": str(ID_A)}],
    "non-uuid-id": [{"id": "inference-1", "feedback": {}}],
    "unknown-optimize": event({}, optimize="maximum"),
    "non-string-tag": event({}, tags={"evaluator": 1}),
    "unknown-field": event({}, optimise="min"),
    "null-body": None,
}


@pytest.mark.parametrize("body", list(REJECTED_BODIES.values()), ids=list(REJECTED_BODIES))
def test_invalid_request_bodies_are_400(body: Any) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(
        app, content=json.dumps(body), headers={**AUTH, "Content-Type": "application/json"}
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    assert handlers.calls == []


# Objects whose keys are exactly `score` or `score`+`reason` are structured scores and must be
# valid ones (spec: FeedbackValue, FeedbackObject's `not`); the generated FeedbackObject model
# drops the `not`, so these fall through to "nested object" and are accepted.
NOT_STRUCTURED_SCORES = {
    "object-score": event({"x": {"score": {"a": 1}}}),
    "object-score-with-reason": event({"x": {"score": {"a": 1}, "reason": "r"}}),
    "number-reason": event({"x": {"score": 1, "reason": 2}}),
    "object-reason": event({"x": {"score": 1, "reason": {"why": "r"}}}),
}


@pytest.mark.parametrize(
    "body", list(NOT_STRUCTURED_SCORES.values()), ids=list(NOT_STRUCTURED_SCORES)
)
def test_invalid_structured_scores_are_400(body: Any) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, json=body, headers=AUTH)

    assert response.status_code == 400, response.text
    assert handlers.calls == []


def test_score_key_beside_other_keys_is_a_nested_object() -> None:
    """The other side of that rule: `score` with any other key is a nested object."""
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, json=event({"x": {"score": {"a": 1}, "other": 2}}), headers=AUTH)

    assert response.status_code == 200, response.text
    value = handlers.calls[0].body.root[0].feedback["x"].root
    assert isinstance(value, mm.FeedbackObject)
    assert set(response.json()[0]["feedback_ids"]) == {"x.score.a", "x.other"}


# `reason` and `tags` are optional but not nullable (`type: string` / `type: object`), so an
# explicit `null` breaks the schema. The models type them `X | None = None`; the server's
# JSON Schema check of the body rejects the null.
OPTIONAL_NULLS = {
    "null-reason": event({"x": {"score": 1, "reason": None}}),
    "null-tags": event({"helpful": True}, tags=None),
}


@pytest.mark.parametrize("body", list(OPTIONAL_NULLS.values()), ids=list(OPTIONAL_NULLS))
def test_null_for_optional_non_nullable_fields_is_400(body: Any) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, json=body, headers=AUTH)

    assert response.status_code == 400, response.text
    assert handlers.calls == []


@pytest.mark.parametrize(
    "content",
    [b"", b"[", b"\xff", b"[{]", b"NaN"],
    ids=["empty", "truncated", "not-utf8", "broken", "nan"],
)
def test_missing_or_malformed_json_is_400(content: bytes) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, content=content, headers={**AUTH, "Content-Type": "application/json"})

    # No error_response override: the declared 400 (ErrorResponse) with the problem fitted.
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    error = mm.ErrorResponse.model_validate(response.json()).error
    assert error.status_code == 400 and error.message
    assert handlers.calls == []


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_json_number_literals_are_400(literal: str) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)
    content = f'[{{"id": "{ID_A}", "feedback": {{"x": {literal}}}}}]'.encode()

    response = raw(app, content=content, headers={**AUTH, "Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert handlers.calls == []


def test_typed_client_cannot_deliver_non_json_numbers() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)
    body = mm.FeedbackRequest.model_validate([{"id": str(ID_A), "feedback": {"x": math.inf}}])

    with pytest.raises((ValueError, mc.ApiError)):
        call(app, body)

    assert handlers.calls == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
def test_wrong_content_type_is_415(content_type: str) -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(
        app, content=json.dumps(NESTED_JSON), headers={**AUTH, "Content-Type": content_type}
    )

    assert response.status_code == 415, response.text
    assert handlers.calls == []


def test_missing_token_is_checked_before_the_body() -> None:
    handlers = FlatteningHandlers()
    app = ms.create_app(handlers)

    response = raw(app, content=b"[", headers={"Content-Type": "application/json"})

    assert response.status_code == 401
