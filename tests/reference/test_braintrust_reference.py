"""The Braintrust reference server driven by the generated clients: async in process
(ASGITransport), sync over a real socket. Both operations; data read back with sqlite3."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from braintrust import client as bc
from braintrust import models as bm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference.app import Settings, create_braintrust_app
from reference.ratelimit import RateLimit
from reference.storage.sqlite import from_text

KEY = "bt-key"
BASE = "http://testserver"
CONTAINER = uuid.UUID("0d9a3c4e-5f60-4a1b-8c2d-3e4f5a6b7c8d")
Serve = Callable[[Any], str]
Query = Callable[..., list[tuple[Any, ...]]]
NO_RETRY = bc.RetryPolicy(max_attempts=1)


@dataclass(frozen=True)
class Op:
    scope: str
    method: str
    path: str
    body: type[Any]
    error_prefix: str

    def error(self, status: int) -> type[bc.ApiError]:
        error: type[bc.ApiError] = getattr(bc, f"{self.error_prefix}{status}Error")
        return error


OPS = [
    Op(
        "experiment",
        "post_experiment_id_feedback",
        "/v1/experiment/{}/feedback",
        bm.FeedbackExperimentEventRequest,
        "PostExperimentIdFeedback",
    ),
    Op(
        "project_logs",
        "post_project_logs_id_feedback",
        "/v1/project_logs/{}/feedback",
        bm.FeedbackProjectLogsEventRequest,
        "PostProjectLogsIdFeedback",
    ),
]
IDS = [op.scope for op in OPS]
SUCCESS = bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)


def make_app(db_path: Path, close_stores: list[Any], **options: Any) -> Any:
    app = create_braintrust_app(Settings(db=str(db_path), api_keys=(KEY,), **options))
    close_stores.append(app)
    return app


def call_async(app: Any, op: Op, body: Any, token: str | None = KEY, **client: Any) -> Any:
    async def go() -> Any:
        transport = httpx.ASGITransport(app)
        async with bc.AsyncClient(BASE, token=token, transport=transport, **client) as api:
            return await getattr(api, op.method)(CONTAINER, body=body)

    return asyncio.run(go())


def raw(app: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE) as http:
            return await http.request(method, path, **kwargs)

    return asyncio.run(go())


FIRST = {
    "feedback": [
        {
            "id": "row-1",
            "scores": {"accuracy": 0.25, "helpfulness": 1, "old": 0.5},
            "expected": {"answer": ["4", 4.0], "unicode": "żółw 🐢"},
            "comment": "first pass",
            "metadata": {"user_id": "u-1", "n": None},
            "source": "app",
            "tags": ["golden", "v2"],
        },
        {"id": "row-2"},
    ]
}
SECOND = {
    "feedback": [
        {"id": "row-1", "scores": {"accuracy": 0.75, "old": None}, "source": None},
        {"id": "row-2", "scores": {"fresh": 0}, "expected": None},
    ]
}


def feedback_rows(query: Query, scope: str) -> list[tuple[Any, ...]]:
    return query(
        "SELECT event_id, scores, expected, comment, metadata, source, tags"
        " FROM braintrust_feedback WHERE scope = ? AND container_id = ? ORDER BY id",
        scope,
        str(CONTAINER),
    )


def merged_scores(query: Query, scope: str) -> dict[str, dict[str, float]]:
    rows = query(
        "SELECT event_id, scores FROM braintrust_events WHERE scope = ? AND container_id = ?",
        scope,
        str(CONTAINER),
    )
    return {event: json.loads(scores) for event, scores in rows}


def assert_stored(query: Query, scope: str) -> None:
    rows = feedback_rows(query, scope)
    assert [row[0] for row in rows] == ["row-1", "row-2", "row-1", "row-2"]
    first = rows[0]
    assert json.loads(first[1]) == {"accuracy": 0.25, "helpfulness": 1.0, "old": 0.5}
    assert json.loads(first[2]) == FIRST["feedback"][0]["expected"]  # type: ignore[index]
    assert json.loads(first[3]) == "first pass"
    assert json.loads(first[4]) == {"user_id": "u-1", "n": None}
    assert first[5] == "app"
    assert json.loads(first[6]) == ["golden", "v2"]
    assert rows[1][1:] == (None, None, None, None, "external", None)  # only the id was sent
    assert rows[2][5] == "external"  # `source: null` is the default too
    assert rows[3][2] == "null"  # an explicit null `expected` is kept as null
    assert merged_scores(query, scope) == {
        "row-1": {"accuracy": 0.75, "helpfulness": 1.0},
        "row-2": {"fresh": 0.0},
    }


# --- in process, async client -----------------------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_async_client_records_and_merges(
    op: Op, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)

    assert call_async(app, op, op.body.model_validate(FIRST)) == SUCCESS
    assert call_async(app, op, op.body.model_validate(SECOND), token=None) == SUCCESS  # anonymous

    assert_stored(query, op.scope)
    other = OPS[1] if op is OPS[0] else OPS[0]
    assert feedback_rows(query, other.scope) == []


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_wrong_key_is_a_typed_401_and_stores_nothing(
    op: Op, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)

    with pytest.raises(op.error(401)) as caught:
        call_async(app, op, op.body.model_validate(FIRST), token="not-the-key")

    assert caught.value.status_code == 401
    assert caught.value.body == {
        "type": "about:blank",
        "status": 401,
        "title": "Unauthorized",
        "detail": "invalid credentials",
    }
    assert feedback_rows(query, op.scope) == []


def test_without_configured_keys_any_bearer_is_served(close_stores: list[Any]) -> None:
    app = create_braintrust_app(Settings())
    close_stores.append(app)
    body = bm.FeedbackExperimentEventRequest.model_validate(FIRST)
    assert call_async(app, OPS[0], body, token="anything") == SUCCESS


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_values_outside_the_spec_are_a_typed_400(
    op: Op, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)
    # Built without validation: the client sends what it is given.
    item = bm.FeedbackExperimentItem.model_construct(id="row-1", scores={"accuracy": 1.5})
    body = op.body.model_construct(feedback=[item])

    with pytest.raises(op.error(400)) as caught:
        call_async(app, op, body)

    assert caught.value.body["status"] == 400
    assert caught.value.body["errors"][0]["loc"] == ["body", "feedback", 0, "scores", "accuracy"]
    assert feedback_rows(query, op.scope) == []


INVALID_BODIES = {
    "score above 1": {"feedback": [{"id": "r", "scores": {"s": 1.0000001}}]},
    "score below 0": {"feedback": [{"id": "r", "scores": {"s": -0.1}}]},
    "huge score": {"feedback": [{"id": "r", "scores": {"s": 1e400}}]},
    "score as string": {"feedback": [{"id": "r", "scores": {"s": "0.5"}}]},
    "scores as list": {"feedback": [{"id": "r", "scores": [0.5]}]},
    "missing id": {"feedback": [{"scores": {"s": 0.5}}]},
    "null id": {"feedback": [{"id": None}]},
    "numeric id": {"feedback": [{"id": 7}]},
    "comment as number": {"feedback": [{"id": "r", "comment": 5}]},
    "tags as string": {"feedback": [{"id": "r", "tags": "golden"}]},
    "tag as number": {"feedback": [{"id": "r", "tags": [1]}]},
    "unknown source": {"feedback": [{"id": "r", "source": "human"}]},
    "metadata as list": {"feedback": [{"id": "r", "metadata": [1]}]},
    "feedback missing": {},
    "feedback null": {"feedback": None},
    "feedback object": {"feedback": {"id": "r"}},
    "item not an object": {"feedback": ["r"]},
    "body an array": [{"id": "r"}],
    "body a string": "feedback",
}


@pytest.mark.parametrize("op", OPS, ids=IDS)
@pytest.mark.parametrize("name", list(INVALID_BODIES))
def test_invalid_bodies_are_400_with_json(
    op: Op, name: str, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)
    content = json.dumps(INVALID_BODIES[name])  # allow_nan: `1e400` is sent as Infinity...
    content = content.replace("Infinity", "1e400")  # ...so put the JSON number back

    response = raw(
        app,
        "POST",
        op.path.format(CONTAINER),
        content=content,
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["status"] == 400
    assert feedback_rows(query, op.scope) == []


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_server_errors_have_json_bodies(op: Op, close_stores: list[Any]) -> None:
    app = create_braintrust_app(Settings(max_body_bytes=200))
    close_stores.append(app)
    path = op.path.format(CONTAINER)
    json_type = {"Content-Type": "application/json"}
    cases: list[tuple[int, str, str, dict[str, Any]]] = [
        (400, "POST", op.path.format("not-a-uuid"), {"json": {"feedback": []}}),
        (400, "POST", path, {"content": b'{"feedback": [', "headers": json_type}),
        (400, "POST", path, {"content": b'{"feedback": [{"id": NaN}]}', "headers": json_type}),
        (413, "POST", path, {"json": {"feedback": [{"id": "x" * 300}]}}),
        (415, "POST", path, {"content": b"feedback", "headers": {"Content-Type": "text/plain"}}),
        (404, "POST", "/v1/experiment", {}),
        (405, "GET", path, {}),
    ]
    for status, method, url, kwargs in cases:
        response = raw(app, method, url, **kwargs)
        assert response.status_code == status, (status, response.text)
        # The spec declares 400 (and 401, 403, 429, 500) as JSON; the rest are problem+json.
        declared = "application/json" if status == 400 else "application/problem+json"
        assert response.headers["content-type"] == declared
        assert response.json()["status"] == status
    assert raw(app, "GET", path).headers["allow"] == "POST"


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_no_body_and_empty_feedback_succeed(
    op: Op, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores)
    path = op.path.format(CONTAINER)
    assert raw(app, "POST", path).json() == {"status": "success"}  # the body is optional
    assert raw(app, "POST", path, json={"feedback": []}).json() == {"status": "success"}
    assert feedback_rows(query, op.scope) == []


# Any JSON a client may send as `expected` or `metadata` (hypothesis's text has no lone
# surrogates; test_storage covers those and the values JSON numbers cannot express here).
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
ITEM = st.fixed_dictionaries(
    {"id": st.text(max_size=12)},
    optional={
        "scores": st.none()
        | st.dictionaries(st.text(max_size=5), st.none() | st.floats(0, 1), max_size=3),
        "expected": JSON,
        "comment": st.none() | st.text(max_size=12),
        "metadata": st.none() | st.dictionaries(st.text(max_size=5), JSON, max_size=3),
        "source": st.sampled_from([None, "app", "api", "external"]),
        "tags": st.none() | st.lists(st.text(max_size=5), max_size=3),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(ITEM, min_size=1, max_size=3))
def test_any_valid_item_is_stored_as_sent(items: list[dict[str, Any]]) -> None:
    app = create_braintrust_app(Settings())
    try:
        response = raw(app, "POST", OPS[0].path.format(CONTAINER), json={"feedback": items})
        assert response.status_code == 200, response.text
        db = app.state.store._db  # the in-memory database, read with plain SQL
        rows = db.execute(
            "SELECT event_id, scores, expected, comment, metadata, source, tags"
            " FROM braintrust_feedback ORDER BY id"
        ).fetchall()
    finally:
        app.state.store.close()
    assert len(rows) == len(items)
    for item, row in zip(items, rows, strict=True):
        loaded = [None if value is None else json.loads(value) for value in row[1:5]]
        assert (from_text(row[0]), *loaded) == (
            item["id"],
            item.get("scores"),
            item.get("expected"),
            item.get("comment"),
            item.get("metadata"),
        )
        assert row[5] == (item.get("source") or "external")
        assert (json.loads(row[6]) if row[6] else None) == item.get("tags")


# --- over a socket, sync client ----------------------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_sync_client_over_a_socket(
    op: Op, serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    base_url = serve(make_app(db_path, close_stores))

    with bc.Client(base_url, token=KEY) as api:
        send = getattr(api, op.method)
        assert send(CONTAINER, body=op.body.model_validate(FIRST)) == SUCCESS
        assert send(CONTAINER, body=op.body.model_validate(SECOND)) == SUCCESS
    with bc.Client(base_url, token="wrong") as api, pytest.raises(op.error(401)):
        getattr(api, op.method)(CONTAINER, body=op.body.model_validate(FIRST))

    assert_stored(query, op.scope)


# --- rate limiting -----------------------------------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=IDS)
def test_429_is_typed_and_carries_retry_after(
    op: Op, serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = make_app(db_path, close_stores, rate_limit=RateLimit(1, 60.0))
    body = op.body.model_validate({"feedback": [{"id": "row-1", "scores": {"s": 0.5}}]})

    with bc.Client(serve(app), token=KEY, retry=NO_RETRY) as api:
        send = getattr(api, op.method)
        assert send(CONTAINER, body=body) == SUCCESS
        with pytest.raises(op.error(429)) as caught:
            send(CONTAINER, body=body)
    with bc.Client(serve(app), token=None, retry=NO_RETRY) as api:
        assert getattr(api, op.method)(CONTAINER, body=body) == SUCCESS  # its own bucket

    error = caught.value
    assert error.headers["retry-after"] == "60"
    assert error.headers["content-type"] == "application/json"
    assert error.body["status"] == 429
    assert len(feedback_rows(query, op.scope)) == 2  # the refused request stored nothing


def test_sync_client_waits_out_retry_after(
    serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    op = OPS[0]
    app = make_app(db_path, close_stores, rate_limit=RateLimit(1, 1.0))
    body = op.body.model_validate({"feedback": [{"id": "row-1", "scores": {"s": 0.5}}]})

    with bc.Client(serve(app), token=KEY) as api:
        api.post_experiment_id_feedback(CONTAINER, body=body)
        started = time.monotonic()
        assert api.post_experiment_id_feedback(CONTAINER, body=body) == SUCCESS  # after a 429
        waited = time.monotonic() - started

    assert 0.9 <= waited < 5  # `Retry-After: 1` honoured, not the client's own short backoff
    assert len(feedback_rows(query, op.scope)) == 2


def test_async_client_waits_out_retry_after_without_declared_header(
    db_path: Path, close_stores: list[Any], query: Query
) -> None:
    """Project logs declare no Retry-After on 429; the server sends it anyway."""
    op = OPS[1]
    app = make_app(db_path, close_stores, rate_limit=RateLimit(1, 1.0))
    body = op.body.model_validate({"feedback": [{"id": "row-1"}]})

    async def go() -> float:
        transport = httpx.ASGITransport(app)
        policy = bc.RetryPolicy(backoff=0.01, jitter=0.0)
        async with bc.AsyncClient(BASE, token=KEY, transport=transport, retry=policy) as api:
            await api.post_project_logs_id_feedback(CONTAINER, body=body)
            started = time.monotonic()
            await api.post_project_logs_id_feedback(CONTAINER, body=body)
            return time.monotonic() - started

    assert asyncio.run(go()) >= 0.9
    assert len(feedback_rows(query, op.scope)) == 2


def test_anonymous_callers_are_limited_by_client_address(close_stores: list[Any]) -> None:
    app = create_braintrust_app(Settings(rate_limit=RateLimit(1, 60.0)))
    close_stores.append(app)
    path = OPS[0].path.format(CONTAINER)

    def status(client: str, token: str | None = None) -> int:
        async def go() -> int:
            transport = httpx.ASGITransport(app, client=(client, 50000))
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
                return (await http.post(path, headers=headers)).status_code

        return asyncio.run(go())

    assert [status("10.0.0.1"), status("10.0.0.1"), status("10.0.0.2")] == [200, 429, 200]
    # No keys configured: a made-up bearer key does not buy a fresh bucket.
    assert status("10.0.0.2", token="fresh-key") == 429
