"""Braintrust, end to end in process: the generated `AsyncClient` calls the generated FastAPI
app through `httpx.ASGITransport`, served by small handlers written here.

Both seed operations (postExperimentIdFeedback, postProjectLogsIdFeedback) are covered: the
typed success path, typed inputs on the server side, declared errors (text and JSON bodies),
security (anonymous or bearer, a rejected bearer is a 401), undeclared statuses and the
validation done at the server boundary.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from braintrust import client as bc
from braintrust import handlers as bh
from braintrust import models as bm
from braintrust import server as bs
from pydantic import MISSING

BASE = "http://testserver"
GOOD_TOKEN = "good-token"
ROW_ID = "row-0001"


@dataclass(frozen=True)
class Op:
    operation_id: str
    method: str  # client and handler method name
    param: str  # the UUID path parameter
    prefix: str  # generated class-name prefix
    path: str  # with `{}` for the path parameter
    body_model: type[Any]
    item_model: type[Any]
    request_record: type[Any]
    source_enum: type[Any]

    def cls(self, suffix: str) -> Any:
        """A generated handler response variant, e.g. `cls("400TextResponse")`."""
        return getattr(bh, self.prefix + suffix)

    def error(self, status: int) -> type[bc.ApiError]:
        error: type[bc.ApiError] = getattr(bc, f"{self.prefix}{status}Error")
        return error


OPS = [
    Op(
        "postExperimentIdFeedback",
        "post_experiment_id_feedback",
        "experiment_id",
        "PostExperimentIdFeedback",
        "/v1/experiment/{}/feedback",
        bm.FeedbackExperimentEventRequest,
        bm.FeedbackExperimentItem,
        bh.PostExperimentIdFeedbackRequest,
        bm.FeedbackExperimentItemSource,
    ),
    Op(
        "postProjectLogsIdFeedback",
        "post_project_logs_id_feedback",
        "project_id",
        "PostProjectLogsIdFeedback",
        "/v1/project_logs/{}/feedback",
        bm.FeedbackProjectLogsEventRequest,
        bm.FeedbackProjectLogsItem,
        bh.PostProjectLogsIdFeedbackRequest,
        bm.FeedbackExperimentItemSource,
    ),
]
OP_IDS = [op.operation_id for op in OPS]

Reply = Callable[[Op, Any], Any]


def ok(op: Op, request: Any) -> Any:
    return op.cls("200JsonResponse")(
        body=bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
    )


class RecordingHandlers(bh.Handlers):
    """Checks the typed inputs of every call, records them, answers with `reply`."""

    def __init__(self, reply: Reply = ok) -> None:
        self.reply = reply
        self.calls: list[tuple[str, Any]] = []

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return scheme == "bearerAuth" and credential == GOOD_TOKEN

    def _handle(self, op: Op, request: Any) -> Any:
        assert isinstance(request, op.request_record)
        assert isinstance(getattr(request, op.param), uuid.UUID)
        assert request.body is None or isinstance(request.body, op.body_model)
        if request.body is not None:
            assert all(isinstance(item, op.item_model) for item in request.body.feedback)
        assert isinstance(request.auth, bh.Auth)
        self.calls.append((op.operation_id, request))
        return self.reply(op, request)

    async def post_experiment_id_feedback(
        self, request: bh.PostExperimentIdFeedbackRequest
    ) -> bh.PostExperimentIdFeedbackResponse:
        result: bh.PostExperimentIdFeedbackResponse = self._handle(OPS[0], request)
        return result

    async def post_project_logs_id_feedback(
        self, request: bh.PostProjectLogsIdFeedbackRequest
    ) -> bh.PostProjectLogsIdFeedbackResponse:
        result: bh.PostProjectLogsIdFeedbackResponse = self._handle(OPS[1], request)
        return result


def call(
    app: Any,
    op: Op,
    param: Any,
    body: Any = None,
    *,
    token: str | None = None,
    base_url: str = BASE,
    raise_app_exceptions: bool = True,
) -> Any:
    """One call of `op` through the generated AsyncClient, in process."""

    async def go() -> Any:
        transport = httpx.ASGITransport(app, raise_app_exceptions=raise_app_exceptions)
        async with bc.AsyncClient(base_url, token=token, transport=transport) as client:
            method: Callable[..., Awaitable[Any]] = getattr(client, op.method)
            return await method(param, body=body)

    return asyncio.run(go())


def raw(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    """A plain httpx POST to the app, for inputs the typed client cannot build."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            return await http.post(path, **kwargs)

    return asyncio.run(go())


def sample_body(op: Op) -> Any:
    item = op.item_model(
        id=ROW_ID,
        scores={"accuracy": 0.75, "relevance": 1, "skipped": None},
        expected={"answer": [1, 2, {"k": "v"}]},
        comment="looks right",
        metadata={"user_id": "u-42", "nested": {"x": None}},
        source="app",
        tags=["e2e", "typed"],
    )
    return op.body_model(feedback=[item, op.item_model(id="row-0002")])


# --- 1. success path, typed inputs and typed result -----------------------------------------


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_success_typed_result_and_typed_inputs(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)
    target = uuid.uuid4()

    result = call(app, op, target, sample_body(op), token=GOOD_TOKEN)

    assert isinstance(result, bm.FeedbackResponseSchema)
    assert result.status is bm.FeedbackResponseSchemaStatus.success
    [(operation_id, request)] = handlers.calls
    assert operation_id == op.operation_id
    assert getattr(request, op.param) == target
    assert request.auth.credentials == {"bearerAuth": GOOD_TOKEN}
    assert not request.auth.is_anonymous
    first, second = request.body.feedback
    assert first.id == ROW_ID
    assert first.scores == {"accuracy": 0.75, "relevance": 1.0, "skipped": None}
    assert first.expected == {"answer": [1, 2, {"k": "v"}]}
    assert first.comment == "looks right"
    assert first.metadata == {"user_id": "u-42", "nested": {"x": None}}
    assert first.source is op.source_enum.app
    assert first.tags == ["e2e", "typed"]
    assert second.id == "row-0002"
    # Left out, not null: absent properties are MISSING.
    assert second.scores is MISSING and second.source is MISSING and second.tags is MISSING


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_anonymous_call_without_body(op: Op) -> None:
    """Security is `bearerAuth` OR anonymous, and the request body is optional."""
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)
    target = uuid.uuid4()

    result = call(app, op, target)

    assert result == bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
    [(_, request)] = handlers.calls
    assert getattr(request, op.param) == target
    assert request.auth.is_anonymous
    assert request.auth.credentials == {}
    assert request.body is None


# --- 2. typed errors ---------------------------------------------------------------------------


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_declared_400_text_plain_raises_typed_error_with_str_body(op: Op) -> None:
    app = bs.create_app(
        RecordingHandlers(lambda op, _: op.cls("400TextResponse")(body="row id unknown: é"))
    )

    with pytest.raises(op.error(400)) as caught:
        call(app, op, uuid.uuid4(), sample_body(op))

    error = caught.value
    assert type(error) is op.error(400)
    assert isinstance(error, bc.ApiError) and not isinstance(error, bc.UnexpectedStatus)
    assert error.status_code == 400
    assert error.body == "row id unknown: é"
    assert isinstance(error.body, str)
    assert error.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_declared_400_json_raises_typed_error_with_parsed_body(op: Op) -> None:
    payload = {"error": "bad feedback", "rows": [ROW_ID], "retry": False}
    app = bs.create_app(RecordingHandlers(lambda op, _: op.cls("400JsonResponse")(body=payload)))

    with pytest.raises(op.error(400)) as caught:
        call(app, op, uuid.uuid4(), sample_body(op))

    error = caught.value
    assert type(error) is op.error(400)
    assert error.status_code == 400
    assert error.body == payload
    assert error.headers["content-type"] == "application/json"


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_declared_403_and_500_from_handler(op: Op) -> None:
    app = bs.create_app(RecordingHandlers(lambda op, _: op.cls("403TextResponse")(body="no")))
    with pytest.raises(op.error(403)) as forbidden:
        call(app, op, uuid.uuid4(), token=GOOD_TOKEN)
    assert (forbidden.value.status_code, forbidden.value.body) == (403, "no")

    app = bs.create_app(RecordingHandlers(lambda op, _: op.cls("500JsonResponse")(body=None)))
    with pytest.raises(op.error(500)) as failed:
        call(app, op, uuid.uuid4())
    assert failed.value.status_code == 500
    assert failed.value.body is None  # JSON `null`, the declared `nullable: true` schema


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_rejected_token_is_401_even_though_anonymous_is_allowed(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    with pytest.raises(op.error(401)) as caught:
        call(app, op, uuid.uuid4(), sample_body(op), token="stolen-token")

    error = caught.value
    assert type(error) is op.error(401)
    assert error.status_code == 401
    assert error.headers["www-authenticate"] == "Bearer"
    assert isinstance(error.body, dict)  # the JSON problem body, schema `nullable: true`
    assert error.body["status"] == 401
    assert error.body["detail"] == "invalid credentials"
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_handler_crash_is_the_declared_500(op: Op) -> None:
    def crash(op: Op, request: Any) -> Any:
        raise RuntimeError("boom")

    app = bs.create_app(RecordingHandlers(crash))

    with pytest.raises(op.error(500)) as caught:
        call(app, op, uuid.uuid4(), raise_app_exceptions=False)

    # The declared 500 (JSON preferred over its text variant), the problem fitted to it.
    assert caught.value.status_code == 500
    assert caught.value.headers["content-type"] == "application/json"
    assert caught.value.body["status"] == 500
    assert caught.value.body["detail"] == "the server failed to answer the request"


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_unknown_route_is_unexpected_status(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    with pytest.raises(bc.UnexpectedStatus) as caught:
        call(app, op, uuid.uuid4(), sample_body(op), base_url=f"{BASE}/no-such-prefix")

    error = caught.value
    assert error.status_code == 404
    assert error.response.request.url.path.startswith("/no-such-prefix/v1/")
    assert json.loads(error.body)["status"] == 404
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_unimplemented_operation_is_501_unexpected_status(op: Op) -> None:
    class Bare(bh.Handlers):
        pass

    app = bs.create_app(Bare())

    with pytest.raises(bc.UnexpectedStatus) as caught:
        call(app, op, uuid.uuid4(), sample_body(op), token=GOOD_TOKEN)

    error = caught.value
    assert error.status_code == 501
    assert error.headers["content-type"] == "application/problem+json"
    assert json.loads(error.body) == {
        "type": "about:blank",
        "status": 501,
        "title": "Not Implemented",
        "detail": f"operation {op.operation_id!r} is not implemented",
    }


# --- 6. validation at the server boundary -------------------------------------------------------


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    # Statuses the operation declares answer its JSON response; the rest problem+json.
    declared = status in (400, 401, 403, 429, 500)
    media_type = "application/json" if declared else "application/problem+json"
    assert response.headers["content-type"] == media_type
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert isinstance(problem["title"], str) and isinstance(problem["detail"], str)
    return problem


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
@pytest.mark.parametrize("score", [1.5, -0.1, "high"])
def test_out_of_range_score_is_400_problem(op: Op, score: Any) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)
    body = {"feedback": [{"id": ROW_ID, "scores": {"accuracy": score}}]}

    response = raw(app, op.path.format(uuid.uuid4()), json=body)

    problem = assert_problem(response, 400)
    locations = [error["loc"] for error in problem["errors"]]
    assert any("scores" in loc and "accuracy" in loc for loc in locations), locations
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_out_of_range_score_through_typed_client_raises_typed_400(op: Op) -> None:
    """The typed client cannot build 1.5; `model_construct` skips its validation, so the
    server's check is what answers, and the client maps that 400 to the declared error."""
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)
    item = op.item_model.model_construct(id=ROW_ID, scores={"accuracy": 1.5})
    body = op.body_model.model_construct(feedback=[item])

    with pytest.raises(op.error(400)) as caught:
        call(app, op, uuid.uuid4(), body)

    assert caught.value.body["status"] == 400
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_non_uuid_path_parameter_is_400(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    problem = assert_problem(raw(app, op.path.format("not-a-uuid"), json={"feedback": []}), 400)
    assert any(op.param in error["loc"] for error in problem["errors"])

    # The same through the typed client (ignoring its annotation): the declared 400 error.
    with pytest.raises(op.error(400)) as caught:
        call(app, op, "not-a-uuid")
    assert caught.value.body["status"] == 400
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
@pytest.mark.parametrize(
    "content",
    [b'{"feedback": [', b"\xff\xfe", b"feedback", b'{"feedback": [{"id": "x"}]} trailing'],
    ids=["truncated", "not-utf8", "not-json", "trailing-data"],
)
def test_malformed_json_is_400(op: Op, content: bytes) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    response = raw(
        app,
        op.path.format(uuid.uuid4()),
        content=content,
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, 400)
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_non_json_number_literal_is_400(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    response = raw(
        app,
        op.path.format(uuid.uuid4()),
        content=b'{"feedback": [{"id": "row-1", "expected": NaN}]}',
        headers={"Content-Type": "application/json"},
    )

    assert_problem(response, 400)
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
@pytest.mark.parametrize(
    "body",
    [{}, [], {"feedback": {}}, {"feedback": [{}]}, {"feedback": [{"id": 7}]}],
    ids=["no-feedback", "array", "feedback-object", "item-without-id", "int-id"],
)
def test_schema_violations_are_400(op: Op, body: Any) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    problem = assert_problem(raw(app, op.path.format(uuid.uuid4()), json=body), 400)

    assert problem["errors"]
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_wrong_content_type_is_415(op: Op, content_type: str) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)

    response = raw(
        app,
        op.path.format(uuid.uuid4()),
        content=b'{"feedback": []}',
        headers={"Content-Type": content_type},
    )

    assert_problem(response, 415)
    assert handlers.calls == []


@pytest.mark.parametrize("op", OPS, ids=OP_IDS)
def test_json_with_charset_and_vendor_suffix_are_accepted(op: Op) -> None:
    handlers = RecordingHandlers()
    app = bs.create_app(handlers)
    for content_type in ["application/json; charset=utf-8", "application/vnd.api+json"]:
        response = raw(
            app,
            op.path.format(uuid.uuid4()),
            content=b'{"feedback": []}',
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"status": "success"}
    assert len(handlers.calls) == 2
