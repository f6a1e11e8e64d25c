"""Over a real socket: the generated apps served by uvicorn on 127.0.0.1, driven by the
generated SYNC `Client` and the `AsyncClient`, once per operation (3 operations)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from braintrust import client as bc
from braintrust import handlers as bh
from braintrust import models as bm
from braintrust import server as bs
from martian import client as mc
from martian import handlers as mh
from martian import models as mm
from martian import server as ms

TOKEN = "socket-token"
Serve = Callable[[Any], str]  # the `serve` fixture of conftest.py
INFERENCE = uuid.UUID("019503a1-b2c3-7d4e-8f01-234567890abc")
FEEDBACK_ID = uuid.UUID("019503a3-1111-7000-8000-000000000001")


class Braintrust(bh.Handlers):
    """Records typed inputs; a row id "bad" gets the declared 400 text/plain answer."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    async def post_experiment_id_feedback(
        self, request: bh.PostExperimentIdFeedbackRequest
    ) -> bh.PostExperimentIdFeedbackResponse:
        assert isinstance(request.experiment_id, uuid.UUID)
        assert isinstance(request.body, bm.FeedbackExperimentEventRequest)
        self.calls.append(("experiment", request))
        if request.body.feedback[0].id == "bad":
            return bh.PostExperimentIdFeedback400TextResponse(body="bad row")
        return bh.PostExperimentIdFeedback200JsonResponse(
            body=bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
        )

    async def post_project_logs_id_feedback(
        self, request: bh.PostProjectLogsIdFeedbackRequest
    ) -> bh.PostProjectLogsIdFeedbackResponse:
        assert isinstance(request.project_id, uuid.UUID)
        assert isinstance(request.body, bm.FeedbackProjectLogsEventRequest)
        self.calls.append(("project_logs", request))
        return bh.PostProjectLogsIdFeedback200JsonResponse(
            body=bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
        )


class Martian(mh.Handlers):
    def __init__(self) -> None:
        self.calls: list[mh.PostFeedbackRequest] = []

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        assert isinstance(request.body, mm.FeedbackRequest)
        self.calls.append(request)
        results = [
            mm.FeedbackResult(
                mm.FeedbackSuccess(feedback_ids=mm.FeedbackIds({"q.precision": FEEDBACK_ID}))
            ),
            mm.FeedbackResult(
                mm.FeedbackFailure(error=mm.FeedbackError(status_code=400, message="no such id"))
            ),
        ]
        return mh.PostFeedback200JsonResponse(body=mm.FeedbackResponse(results))


def experiment_body(row: str = "row-1") -> bm.FeedbackExperimentEventRequest:
    item = bm.FeedbackExperimentItem(id=row, scores={"accuracy": 0.5}, tags=["socket"])
    return bm.FeedbackExperimentEventRequest(feedback=[item])


def project_logs_body() -> bm.FeedbackProjectLogsEventRequest:
    item = bm.FeedbackProjectLogsItem(id="log-1", comment="fine", source="api")
    return bm.FeedbackProjectLogsEventRequest(feedback=[item])


MARTIAN_BODY = mm.FeedbackRequest.model_validate(
    [
        {"id": str(INFERENCE), "feedback": {"q": {"precision": 0.95}}, "optimize": "max"},
        {"id": str(uuid.UUID(int=1)), "feedback": {"helpful": True}},
    ]
)


def check_martian_result(result: Any) -> None:
    assert isinstance(result, mm.FeedbackResponse)
    success, failure = (item.root for item in result.root)
    assert isinstance(success, mm.FeedbackSuccess)
    assert success.feedback_ids.root == {"q.precision": FEEDBACK_ID}
    assert isinstance(failure, mm.FeedbackFailure)
    assert failure.error.message == "no such id"


def check_braintrust_calls(handlers: Braintrust, experiment: uuid.UUID, project: uuid.UUID) -> None:
    (kind1, first), (kind2, second) = handlers.calls
    assert (kind1, kind2) == ("experiment", "project_logs")
    assert first.experiment_id == experiment
    assert first.auth.credentials == {"bearerAuth": TOKEN}
    assert first.body.feedback[0].scores == {"accuracy": 0.5}
    assert second.project_id == project
    assert second.auth.is_anonymous
    assert second.body.feedback[0].source is bm.FeedbackExperimentItemSource.api


def test_sync_client_braintrust_over_socket(serve: Serve) -> None:
    handlers = Braintrust()
    base_url = serve(bs.create_app(handlers))
    experiment, project = uuid.uuid4(), uuid.uuid4()

    with bc.Client(base_url, token=TOKEN, timeout=5) as client:
        result1 = client.post_experiment_id_feedback(experiment, body=experiment_body())
        with pytest.raises(bc.PostExperimentIdFeedback400Error) as caught:
            client.post_experiment_id_feedback(experiment, body=experiment_body("bad"))
    with bc.Client(base_url, token="wrong", timeout=5) as rejected:
        with pytest.raises(bc.PostProjectLogsIdFeedback401Error):
            rejected.post_project_logs_id_feedback(project)
    with bc.Client(base_url, timeout=5) as anonymous:
        result2 = anonymous.post_project_logs_id_feedback(project, body=project_logs_body())

    assert (
        isinstance(result1, bm.FeedbackResponseSchema)
        and result1.status is bm.FeedbackResponseSchemaStatus.success
    )
    assert (
        isinstance(result2, bm.FeedbackResponseSchema)
        and result2.status is bm.FeedbackResponseSchemaStatus.success
    )
    assert caught.value.status_code == 400 and caught.value.body == "bad row"
    del handlers.calls[1]  # the "bad" row
    check_braintrust_calls(handlers, experiment, project)


def test_async_client_braintrust_over_socket(serve: Serve) -> None:
    handlers = Braintrust()
    base_url = serve(bs.create_app(handlers))
    experiment, project = uuid.uuid4(), uuid.uuid4()

    async def go() -> tuple[Any, Any]:
        async with bc.AsyncClient(base_url, token=TOKEN, timeout=5) as client:
            result1 = await client.post_experiment_id_feedback(experiment, body=experiment_body())
        async with bc.AsyncClient(base_url, timeout=5) as anonymous:
            result2 = await anonymous.post_project_logs_id_feedback(
                project, body=project_logs_body()
            )
        return result1, result2

    result1, result2 = asyncio.run(go())

    assert (
        result1
        == result2
        == bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
    )
    check_braintrust_calls(handlers, experiment, project)


def test_sync_client_martian_over_socket(serve: Serve) -> None:
    handlers = Martian()
    base_url = serve(ms.create_app(handlers))

    with mc.Client(base_url, token=TOKEN, timeout=5) as client:
        result = client.post_feedback(body=MARTIAN_BODY)
    with mc.Client(base_url, timeout=5) as anonymous, pytest.raises(mc.ApiError) as caught:
        anonymous.post_feedback(body=MARTIAN_BODY)

    check_martian_result(result)
    assert caught.value.status_code == 401
    [request] = handlers.calls
    assert request.auth.credentials == {"bearerAuth": TOKEN}
    assert request.body == MARTIAN_BODY
    precision = request.body.root[0].feedback["q"].root
    assert isinstance(precision, mm.FeedbackObject)


def test_async_client_martian_over_socket(serve: Serve) -> None:
    handlers = Martian()
    base_url = serve(ms.create_app(handlers))

    async def go() -> Any:
        async with mc.AsyncClient(base_url, token=TOKEN, timeout=5) as client:
            return await client.post_feedback(body=MARTIAN_BODY)

    check_martian_result(asyncio.run(go()))
    [request] = handlers.calls
    assert request.body == MARTIAN_BODY
    assert request.auth.credentials == {"bearerAuth": TOKEN}


def test_unimplemented_and_unknown_routes_over_socket(serve: Serve) -> None:
    class Bare(mh.Handlers):
        pass

    base_url = serve(ms.create_app(Bare()))

    with mc.Client(base_url, token=TOKEN, timeout=5) as client:
        with pytest.raises(mc.UnexpectedStatus) as not_implemented:
            client.post_feedback(body=MARTIAN_BODY)
    with mc.Client(base_url + "/elsewhere", token=TOKEN, timeout=5) as client:
        with pytest.raises(mc.UnexpectedStatus) as not_found:
            client.post_feedback(body=MARTIAN_BODY)

    assert not_implemented.value.status_code == 501
    assert json.loads(not_implemented.value.body)["title"] == "Not Implemented"
    assert not_found.value.status_code == 404
