"""The Martian reference server driven by the generated clients: async in process
(ASGITransport), sync over a real socket; stored entries read back with sqlite3."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from martian import client as mc
from martian import models as mm

from reference.app import Settings, create_martian_app
from reference.ratelimit import RateLimit

KEY = "mk-key"
BASE = "http://testserver"
KNOWN_A = uuid.UUID("019503a1-b2c3-7d4e-8f01-234567890abc")
KNOWN_B = uuid.UUID("019503a2-d4e5-7f60-a1b2-c3d4e5f60718")
UNKNOWN = uuid.UUID("00000000-0000-4000-8000-000000000000")
Serve = Callable[[Any], str]
Query = Callable[..., list[tuple[Any, ...]]]
NO_RETRY = mc.RetryPolicy(max_attempts=1)
NOT_FOUND = mm.FeedbackError(status_code=400, message="ID does not exist")


def make_app(db_path: Path, close_stores: list[Any], **options: Any) -> Any:
    settings = Settings(
        db=str(db_path), api_keys=(KEY,), inference_ids=(KNOWN_A, KNOWN_B), **options
    )
    app = create_martian_app(settings)
    close_stores.append(app)
    return app


def call_async(app: Any, body: Any, token: str | None = KEY, **client: Any) -> Any:
    async def go() -> Any:
        transport = httpx.ASGITransport(app)
        async with mc.AsyncClient(BASE, token=token, transport=transport, **client) as api:
            return await api.post_feedback(body=body)

    return asyncio.run(go())


def raw(
    app: Any, method: str = "POST", path: str = "/v1/feedback", **kwargs: Any
) -> httpx.Response:
    kwargs.setdefault("headers", {}).setdefault("Authorization", f"Bearer {KEY}")

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE) as http:
            return await http.request(method, path, **kwargs)

    return asyncio.run(go())


# The prose's examples in one request, an unknown id in the middle, and an empty feedback.
REQUEST = [
    {
        "id": str(KNOWN_B),
        "feedback": {
            "thumbs_up": True,
            "relevance": 0.92,
            "comment": "Answered the question clearly",
            "accuracy": {"score": 4, "reason": "Correct but could include more detail"},
        },
        "tags": {"evaluator": "human", "task": "question-answering"},
    },
    {"id": str(UNKNOWN), "feedback": {"helpful": True}},
    {
        "id": str(KNOWN_A),
        "feedback": {
            "evaluation": {"quality": {"precision": 0.95, "recall": 1}, "none": {}},
            "helpful": False,
            "graded": {"score": "B"},
        },
        "optimize": "min",
    },
    {"id": str(KNOWN_A), "feedback": {}},
]
KEYS = [
    ["thumbs_up", "relevance", "comment", "accuracy"],
    None,
    ["evaluation.quality.precision", "evaluation.quality.recall", "helpful", "graded"],
    [],
]


def check_results(response: mm.FeedbackResponse) -> list[uuid.UUID]:
    """Per-event results in request order; returns every feedback id, in order."""
    ids: list[uuid.UUID] = []
    assert len(response.root) == len(REQUEST)
    for result, keys in zip(response.root, KEYS, strict=True):
        outcome = result.root
        if keys is None:
            assert isinstance(outcome, mm.FeedbackFailure)
            assert outcome.error == NOT_FOUND and outcome.feedback_ids is None
            continue
        assert isinstance(outcome, mm.FeedbackSuccess) and outcome.error is None
        assert list(outcome.feedback_ids.root) == keys
        ids += outcome.feedback_ids.root.values()
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # new, time-ordered
    return ids


def check_stored(query: Query, ids: list[uuid.UUID]) -> None:
    rows = query(
        "SELECT feedback_id, inference_id, key, value_type, value, optimize, tags, metadata"
        " FROM martian_feedback ORDER BY feedback_id"
    )
    tags = json.dumps({"evaluator": "human", "task": "question-answering"}, ensure_ascii=False)
    a, b = str(KNOWN_A), str(KNOWN_B)
    assert [row[0] for row in rows] == [str(i) for i in ids]
    assert [row[1:] for row in rows] == [
        (b, "thumbs_up", "boolean", "true", "max", tags, "{}"),
        (b, "relevance", "number", "0.92", "max", tags, "{}"),
        (b, "comment", "string", '"Answered the question clearly"', None, tags, "{}"),
        (b, "accuracy", "number", "4.0", "max", tags,
         '{"reason": "Correct but could include more detail"}'),
        (a, "evaluation.quality.precision", "number", "0.95", "min", "{}", "{}"),
        (a, "evaluation.quality.recall", "number", "1.0", "min", "{}", "{}"),
        (a, "helpful", "boolean", "false", "min", "{}", "{}"),
        (a, "graded", "string", '"B"', None, "{}", "{}"),
    ]  # fmt: skip
    events = query("SELECT inference_id, optimize, tags FROM martian_events ORDER BY id")
    assert events == [(b, "max", tags), (a, "min", "{}"), (a, "max", "{}")]  # unknown id: none


# --- success paths -------------------------------------------------------------------------------


def test_async_client_in_process(db_path: Path, close_stores: list[Any], query: Query) -> None:
    app = make_app(db_path, close_stores)
    response = call_async(app, mm.FeedbackRequest.model_validate(REQUEST))
    check_stored(query, check_results(response))


def test_sync_client_over_a_socket(
    serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    with mc.Client(serve(make_app(db_path, close_stores)), token=KEY) as api:
        response = api.post_feedback(body=mm.FeedbackRequest.model_validate(REQUEST))
    check_stored(query, check_results(response))


def test_wire_format_always_sends_both_keys(close_stores: list[Any]) -> None:
    app = make_app(Path(":memory:"), close_stores)
    response = raw(
        app, json=[{"id": str(UNKNOWN), "feedback": {}}, {"id": str(KNOWN_A), "feedback": {}}]
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [
        {"feedback_ids": None, "error": {"status_code": 400, "message": "ID does not exist"}},
        {"feedback_ids": {}, "error": None},
    ]


def test_every_event_unknown_is_still_200(close_stores: list[Any]) -> None:
    app = make_app(Path(":memory:"), close_stores)
    body = mm.FeedbackRequest.model_validate([{"id": str(uuid.uuid4()), "feedback": {"a": 1}}] * 3)
    response = call_async(app, body)
    # The reference server sends `"feedback_ids": null` (not absent), as the spec's example does.
    failure = mm.FeedbackFailure(feedback_ids=None, error=NOT_FOUND)
    assert [r.root for r in response.root] == [failure] * 3


def test_inference_ids_known_to_the_store_count(
    db_path: Path, close_stores: list[Any], query: Query
) -> None:
    """Ids come from the store: one seeded by an earlier server on the same file counts."""
    make_app(db_path, close_stores)
    later = create_martian_app(Settings(db=str(db_path), api_keys=(KEY,)))
    close_stores.append(later)
    [result] = call_async(later, mm.FeedbackRequest.model_validate(REQUEST[2:3])).root
    assert isinstance(result.root, mm.FeedbackSuccess)
    assert query("SELECT count(*) FROM martian_inferences") == [(2,)]


def test_deep_nesting_is_flattened(db_path: Path, close_stores: list[Any], query: Query) -> None:
    data: dict[str, Any] = {"leaf": 0.5}
    for level in range(40):
        data = {f"l{level}": data}
    app = make_app(db_path, close_stores)

    [result] = call_async(
        app, mm.FeedbackRequest.model_validate([{"id": str(KNOWN_A), "feedback": data}])
    ).root

    assert isinstance(result.root, mm.FeedbackSuccess)
    [key] = result.root.feedback_ids.root
    assert key == ".".join(f"l{level}" for level in reversed(range(40))) + ".leaf"
    assert query("SELECT key, value FROM martian_feedback") == [(key, "0.5")]


def test_deeper_nesting_is_not_a_server_error(close_stores: list[Any]) -> None:
    deep = '{"a": ' * 200 + "1" + "}" * 200
    content = f'[{{"id": "{KNOWN_A}", "feedback": {deep}}}]'
    app = make_app(Path(":memory:"), close_stores)

    async def go() -> int:
        transport = httpx.ASGITransport(app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
            response = await http.post("/v1/feedback", content=content, headers=headers)
            return response.status_code

    assert asyncio.run(go()) in (200, 400)


# --- errors ---------------------------------------------------------------------------------


def error_of(response: httpx.Response, status: int) -> str:
    """The message of an `ErrorResponse` body (any status), after checking its shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = mm.ErrorResponse.model_validate(response.json())
    assert body.error.status_code == status
    return body.error.message


INVALID_BODIES = {
    "empty array": [],
    "not an array": {"id": str(KNOWN_A), "feedback": {}},
    "array value": [{"id": str(KNOWN_A), "feedback": {"tags_list": ["a"]}}],
    "null value": [{"id": str(KNOWN_A), "feedback": {"a": None}}],
    "nested array": [{"id": str(KNOWN_A), "feedback": {"a": {"b": [1]}}}],
    "nested null": [{"id": str(KNOWN_A), "feedback": {"a": {"b": {"c": None}}}}],
    "bad reason": [{"id": str(KNOWN_A), "feedback": {"a": {"score": 1, "reason": 2}}}],
    "object score": [{"id": str(KNOWN_A), "feedback": {"a": {"score": {"x": 1}}}}],
    "missing id": [{"feedback": {}}],
    "missing feedback": [{"id": str(KNOWN_A)}],
    "non-uuid id": [{"id": "row-1", "feedback": {}}],
    "unknown optimize": [{"id": str(KNOWN_A), "feedback": {}, "optimize": "up"}],
    "misspelled field": [{"id": str(KNOWN_A), "feedback": {}, "optimise": "min"}],
    "non-string tag": [{"id": str(KNOWN_A), "feedback": {}, "tags": {"n": 1}}],
    "feedback array": [{"id": str(KNOWN_A), "feedback": [1]}],
}


@pytest.mark.parametrize("name", list(INVALID_BODIES))
def test_invalid_bodies_are_400_error_responses(
    name: str, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)
    valid_first = [{"id": str(KNOWN_A), "feedback": {"ok": 1}}]
    body = INVALID_BODIES[name]
    sent = valid_first + body if isinstance(body, list) and body else body

    message = error_of(raw(app, json=sent), 400)

    assert message.startswith("request body")
    assert query("SELECT count(*) FROM martian_feedback") == [(0,)]  # rejected as a whole


def test_400_from_the_client_is_typed(close_stores: list[Any]) -> None:
    app = make_app(Path(":memory:"), close_stores)
    with pytest.raises(mc.PostFeedback400Error) as caught:
        call_async(app, mm.FeedbackRequest.model_construct(root=[]))
    assert caught.value.body == mm.ErrorResponse(
        error=mm.FeedbackError(
            status_code=400,
            message="request body does not match the schema: body: [] has less than 1 item",
        )
    )


@pytest.mark.parametrize("token", [None, "wrong", KEY + "x", KEY.upper()])
def test_missing_or_wrong_key_is_a_typed_401(
    token: str | None, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)
    with pytest.raises(mc.PostFeedback401Error) as caught:
        call_async(app, mm.FeedbackRequest.model_validate(REQUEST), token=token)
    assert caught.value.headers["www-authenticate"] == "Bearer"
    assert isinstance(caught.value.body, mm.ErrorResponse)
    assert caught.value.body.error.status_code == 401
    assert query("SELECT count(*) FROM martian_events") == [(0,)]


def test_without_configured_keys_every_request_is_401(close_stores: list[Any]) -> None:
    app = create_martian_app(Settings(inference_ids=(KNOWN_A,)))
    close_stores.append(app)
    message = error_of(raw(app, json=REQUEST, headers={"Authorization": "Bearer anything"}), 401)
    assert "SPECGEN_API_KEYS" in message


def test_server_errors_are_error_responses(close_stores: list[Any]) -> None:
    app = make_app(Path(":memory:"), close_stores, max_body_bytes=300)
    json_type = {"Content-Type": "application/json"}
    assert "malformed JSON" in error_of(raw(app, content=b"[{", headers=json_type), 400)
    assert "not valid JSON" in error_of(raw(app, content=b"[NaN]", headers=json_type), 400)
    assert error_of(raw(app, content=b"[]", headers={"Content-Type": "text/csv"}), 415)
    big = [{"id": str(KNOWN_A), "feedback": {"k": "x" * 400}}]
    assert "300 bytes" in error_of(raw(app, json=big), 413)
    assert error_of(raw(app, path="/v1/feedbacks"), 404)
    response = raw(app, method="GET")
    assert error_of(response, 405) and response.headers["allow"] == "POST"


def test_streamed_body_over_the_limit_is_413(close_stores: list[Any]) -> None:
    """No Content-Length (chunked): the bytes received count."""
    app = make_app(Path(":memory:"), close_stores, max_body_bytes=300)

    async def chunks() -> Any:
        yield b'[{"id": "%s", "feedback": {"k": "' % str(KNOWN_A).encode()
        for _ in range(10):
            yield b"x" * 50
        yield b'"}}]'

    response = raw(app, content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert error_of(response, 413)


# --- rate limiting ---------------------------------------------------------------------------


def test_429_is_typed_with_an_integer_retry_after(serve: Serve, close_stores: list[Any]) -> None:
    app = make_app(Path(":memory:"), close_stores, rate_limit=RateLimit(2, 30.0))
    body = mm.FeedbackRequest.model_validate(REQUEST[:1])

    with mc.Client(serve(app), token=KEY, retry=NO_RETRY) as api:
        api.post_feedback(body=body)
        api.post_feedback(body=body)
        with pytest.raises(mc.PostFeedback429Error) as caught:
            api.post_feedback(body=body)

    assert caught.value.headers["retry-after"] == "15"
    assert caught.value.body == mm.ErrorResponse(
        error=mm.FeedbackError(status_code=429, message="rate limit exceeded, retry after 15 s")
    )


def test_async_client_waits_out_retry_after(
    db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores, rate_limit=RateLimit(1, 1.0))
    body = mm.FeedbackRequest.model_validate(REQUEST[:1])

    async def go() -> float:
        transport = httpx.ASGITransport(app)
        async with mc.AsyncClient(BASE, token=KEY, transport=transport) as api:
            await api.post_feedback(body=body)
            started = time.monotonic()
            [result] = (await api.post_feedback(body=body)).root
            assert isinstance(result.root, mm.FeedbackSuccess)
            return time.monotonic() - started

    assert asyncio.run(go()) >= 0.9
    assert query("SELECT count(*) FROM martian_events") == [(2,)]
