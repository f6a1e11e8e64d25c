"""Client retries against the generated server: 429 with Retry-After, limits, non-idempotent
POST on 503, refused connections. Handlers answer from a script, one reply per call, and count
the calls the server received."""

from __future__ import annotations

import asyncio
import email.utils
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from braintrust import client as bc
from braintrust import handlers as bh
from braintrust import models as bm
from braintrust import server as bs
from fastapi import HTTPException
from martian import client as mc
from martian import handlers as mh
from martian import models as mm
from martian import server as ms

BASE = "http://testserver"
Serve = Callable[[Any], str]  # the `serve` fixture of conftest.py
Reply = Callable[[], Any]

FAST = bc.RetryPolicy(backoff=0.01, jitter=0.0)


class Scripted:
    """Replies in order, the last one repeated; counts the calls the server received."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.calls = 0

    def next(self) -> Any:
        self.calls += 1
        reply = self.replies[min(self.calls, len(self.replies)) - 1]
        return reply()


class BraintrustScripted(bh.Handlers):
    def __init__(self, script: Scripted) -> None:
        self.script = script

    async def post_experiment_id_feedback(
        self, request: bh.PostExperimentIdFeedbackRequest
    ) -> bh.PostExperimentIdFeedbackResponse:
        result: bh.PostExperimentIdFeedbackResponse = self.script.next()
        return result

    async def post_project_logs_id_feedback(
        self, request: bh.PostProjectLogsIdFeedbackRequest
    ) -> bh.PostProjectLogsIdFeedbackResponse:
        result: bh.PostProjectLogsIdFeedbackResponse = self.script.next()
        return result


class MartianScripted(mh.Handlers):
    def __init__(self, script: Scripted) -> None:
        self.script = script

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        result: mh.PostFeedbackResponse = self.script.next()
        return result


# Replies ------------------------------------------------------------------------------------

SUCCESS = bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)
MARTIAN_OK = mm.FeedbackResponse(
    [
        mm.FeedbackResult(
            mm.FeedbackSuccess(feedback_ids=mm.FeedbackIds({"helpful": uuid.UUID(int=7)}))
        )
    ]
)
MARTIAN_BODY = mm.FeedbackRequest.model_validate(
    [{"id": "019503a1-b2c3-7d4e-8f01-234567890abc", "feedback": {"helpful": True}}]
)
RATE_LIMITED = mm.ErrorResponse(error=mm.FeedbackError(status_code=429, message="slow down"))


def experiment_ok() -> Any:
    return bh.PostExperimentIdFeedback200JsonResponse(body=SUCCESS)


def experiment_429(retry_after: str) -> Reply:
    return lambda: bh.PostExperimentIdFeedback429TextResponse(
        body="slow down", headers=bh.PostExperimentIdFeedback429Headers(retry_after=retry_after)
    )


def project_logs_ok() -> Any:
    return bh.PostProjectLogsIdFeedback200JsonResponse(body=SUCCESS)


def project_logs_429() -> Any:
    # This operation declares no Retry-After header: the client falls back to its backoff.
    return bh.PostProjectLogsIdFeedback429JsonResponse(body={"error": "slow down"})


def martian_ok() -> Any:
    return mh.PostFeedback200JsonResponse(body=MARTIAN_OK)


def martian_429(retry_after: int) -> Reply:
    return lambda: mh.PostFeedback429JsonResponse(
        body=RATE_LIMITED, headers=mh.PostFeedback429Headers(retry_after=retry_after)
    )


def unavailable() -> Any:
    raise HTTPException(503, "maintenance", headers={"Retry-After": "0"})


# Calls: (operation id, app factory, async call, sync call) ------------------------------------


def braintrust_app(script: Scripted) -> Any:
    return bs.create_app(BraintrustScripted(script))


def martian_app(script: Scripted) -> Any:
    return ms.create_app(MartianScripted(script))


async def call_experiment(client: Any) -> Any:
    return await client.post_experiment_id_feedback(uuid.uuid4())


async def call_project_logs(client: Any) -> Any:
    return await client.post_project_logs_id_feedback(uuid.uuid4())


async def call_martian(client: Any) -> Any:
    return await client.post_feedback(body=MARTIAN_BODY)


def run_async(client_cls: Any, app: Any, call: Any, retry: Any = None, base_url: str = BASE) -> Any:
    async def go() -> Any:
        transport = httpx.ASGITransport(app)
        async with client_cls(base_url, token="t", retry=retry, transport=transport) as client:
            return await call(client)

    return asyncio.run(go())


# --- 429 then 200 ------------------------------------------------------------------------------


def test_experiment_429_retry_after_then_200() -> None:
    script = Scripted(experiment_429("1"), experiment_ok)

    start = time.monotonic()
    result = run_async(bc.AsyncClient, braintrust_app(script), call_experiment)
    elapsed = time.monotonic() - start

    assert result == SUCCESS and isinstance(result, bm.FeedbackResponseSchema)
    assert script.calls == 2
    assert elapsed >= 0.9


def test_martian_429_retry_after_then_200() -> None:
    script = Scripted(martian_429(1), martian_ok)

    start = time.monotonic()
    result = run_async(mc.AsyncClient, martian_app(script), call_martian)
    elapsed = time.monotonic() - start

    assert isinstance(result, mm.FeedbackResponse) and result == MARTIAN_OK
    assert script.calls == 2
    assert elapsed >= 0.9


def test_project_logs_429_without_retry_after_uses_backoff() -> None:
    script = Scripted(project_logs_429, project_logs_ok)

    result = run_async(bc.AsyncClient, braintrust_app(script), call_project_logs, retry=FAST)

    assert result == SUCCESS
    assert script.calls == 2


def test_sync_client_429_retry_after_then_200_over_socket(serve: Serve) -> None:
    script = Scripted(experiment_429("1"), experiment_ok)
    base_url = serve(braintrust_app(script))

    start = time.monotonic()
    with bc.Client(base_url, timeout=5) as client:
        result = client.post_experiment_id_feedback(uuid.uuid4())
    elapsed = time.monotonic() - start

    assert result == SUCCESS
    assert script.calls == 2
    assert elapsed >= 0.9


def test_sync_martian_429_then_200_over_socket(serve: Serve) -> None:
    script = Scripted(martian_429(0), martian_429(0), martian_ok)
    base_url = serve(martian_app(script))

    with mc.Client(base_url, token="t", timeout=5) as client:
        result = client.post_feedback(body=MARTIAN_BODY)

    assert result == MARTIAN_OK
    assert script.calls == 3


def test_retry_after_http_date_is_honoured() -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    script = Scripted(experiment_429(when), experiment_ok)

    start = time.monotonic()
    result = run_async(bc.AsyncClient, braintrust_app(script), call_experiment)
    elapsed = time.monotonic() - start

    assert result == SUCCESS
    assert script.calls == 2
    assert elapsed >= 0.9


# --- limits ---------------------------------------------------------------------------------------


def test_experiment_retry_after_over_max_is_raised_immediately() -> None:
    script = Scripted(experiment_429("3600"), experiment_ok)

    start = time.monotonic()
    with pytest.raises(bc.PostExperimentIdFeedback429Error) as caught:
        run_async(bc.AsyncClient, braintrust_app(script), call_experiment)
    elapsed = time.monotonic() - start

    error = caught.value
    assert error.status_code == 429
    assert error.headers["retry-after"] == "3600"
    assert error.body == "slow down"
    assert script.calls == 1
    assert elapsed < 0.5


def test_martian_retry_after_over_policy_max_is_raised_immediately() -> None:
    script = Scripted(martian_429(2), martian_ok)
    policy = mc.RetryPolicy(max_retry_after=1.0)

    start = time.monotonic()
    with pytest.raises(mc.PostFeedback429Error) as caught:
        run_async(mc.AsyncClient, martian_app(script), call_martian, retry=policy)
    elapsed = time.monotonic() - start

    error = caught.value
    assert error.status_code == 429
    assert error.headers["retry-after"] == "2"
    assert isinstance(error.body, mm.ErrorResponse) and error.body == RATE_LIMITED
    assert script.calls == 1
    assert elapsed < 0.5


@pytest.mark.parametrize(
    ("client_cls", "app", "call", "error", "first"),
    [
        (
            bc.AsyncClient,
            braintrust_app,
            call_experiment,
            bc.PostExperimentIdFeedback429Error,
            experiment_429("0"),
        ),
        (
            bc.AsyncClient,
            braintrust_app,
            call_project_logs,
            bc.PostProjectLogsIdFeedback429Error,
            project_logs_429,
        ),
        (mc.AsyncClient, martian_app, call_martian, mc.PostFeedback429Error, martian_429(0)),
    ],
    ids=["postExperimentIdFeedback", "postProjectLogsIdFeedback", "postFeedback"],
)
def test_max_attempts_one_disables_retries(
    client_cls: Any, app: Any, call: Any, error: type[Exception], first: Reply
) -> None:
    script = Scripted(first, experiment_ok)  # the second reply must never be asked for

    with pytest.raises(error):
        run_async(client_cls, app(script), call, retry=bc.RetryPolicy(max_attempts=1))

    assert script.calls == 1


def test_retries_stop_after_max_attempts() -> None:
    script = Scripted(martian_429(0))  # always 429

    with pytest.raises(mc.PostFeedback429Error):
        run_async(mc.AsyncClient, martian_app(script), call_martian, retry=FAST)

    assert script.calls == FAST.max_attempts == 4


# --- 503 is not retried for POST ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client", "app", "call"),
    [
        (bc, braintrust_app, call_experiment),
        (bc, braintrust_app, call_project_logs),
        (mc, martian_app, call_martian),
    ],
    ids=["postExperimentIdFeedback", "postProjectLogsIdFeedback", "postFeedback"],
)
def test_post_is_not_retried_on_503(client: Any, app: Any, call: Any) -> None:
    """The handler raises HTTPException(503); the generated server renders it."""
    script = Scripted(unavailable, experiment_ok)

    with pytest.raises(client.UnexpectedStatus) as caught:  # 503 is not declared
        run_async(client.AsyncClient, app(script), call, retry=FAST)

    assert caught.value.status_code == 503
    assert caught.value.headers["retry-after"] == "0"
    assert script.calls == 1


# --- connection refused ---------------------------------------------------------------------------


REFUSED = bc.RetryPolicy(max_attempts=3, backoff=0.01, jitter=0.0)


@pytest.mark.parametrize(
    ("client_cls", "call"),
    [
        (bc.Client, lambda c: c.post_experiment_id_feedback(uuid.uuid4())),
        (bc.Client, lambda c: c.post_project_logs_id_feedback(uuid.uuid4())),
        (mc.Client, lambda c: c.post_feedback(body=MARTIAN_BODY)),
    ],
    ids=["postExperimentIdFeedback", "postProjectLogsIdFeedback", "postFeedback"],
)
def test_connection_refused_is_retried_then_raised_sync(
    client_cls: Any, call: Any, closed_port: int, counting_transport: Any
) -> None:
    base_url = f"http://127.0.0.1:{closed_port}"
    with client_cls(base_url, token="t", retry=REFUSED, transport=counting_transport) as client:
        with pytest.raises(httpx.ConnectError):
            call(client)

    assert counting_transport.sent == REFUSED.max_attempts


@pytest.mark.parametrize(
    ("client_cls", "call"),
    [
        (bc.AsyncClient, call_experiment),
        (bc.AsyncClient, call_project_logs),
        (mc.AsyncClient, call_martian),
    ],
    ids=["postExperimentIdFeedback", "postProjectLogsIdFeedback", "postFeedback"],
)
def test_connection_refused_is_retried_then_raised_async(
    client_cls: Any, call: Any, closed_port: int, async_counting_transport: Any
) -> None:
    base_url = f"http://127.0.0.1:{closed_port}"

    async def go() -> None:
        async with client_cls(
            base_url, token="t", retry=REFUSED, transport=async_counting_transport
        ) as client:
            await call(client)

    with pytest.raises(httpx.ConnectError):
        asyncio.run(go())

    assert async_counting_transport.sent == REFUSED.max_attempts
