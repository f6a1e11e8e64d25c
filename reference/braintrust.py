"""The Braintrust feedback reference server: handlers for both feedback operations.

Feedback items are recorded against their event id in the experiment (or project logs) of
the path; each item's `scores` merge into the event's scores. Auth is what the spec declares,
a bearer key or anonymous: with keys configured, a presented key must be one of them (the
generated server answers 401 otherwise), and anonymous requests are served.

Errors are JSON problem bodies (`status`, `title`, `detail`, `errors`): every 4xx/5xx the spec
declares has an `application/json` schema of `nullable: true`, which any JSON body satisfies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from braintrust import handlers as h
from braintrust import models as m
from fastapi import HTTPException
from pydantic import MISSING

from . import errors
from .fields import given
from .services import Services
from .storage import BraintrustFeedback, Scope

SUCCESS = m.FeedbackResponseSchema(status=m.FeedbackResponseSchemaStatus.success)
Item = m.FeedbackExperimentItem | m.FeedbackProjectLogsItem

# The declared JSON variants of the statuses the server or the handlers answer themselves.
DECLARED: dict[tuple[str, int], Callable[..., h.ResponseVariant]] = {
    ("postExperimentIdFeedback", 400): h.PostExperimentIdFeedback400JsonResponse,
    ("postExperimentIdFeedback", 401): h.PostExperimentIdFeedback401JsonResponse,
    ("postExperimentIdFeedback", 403): h.PostExperimentIdFeedback403JsonResponse,
    ("postExperimentIdFeedback", 429): h.PostExperimentIdFeedback429JsonResponse,
    ("postExperimentIdFeedback", 500): h.PostExperimentIdFeedback500JsonResponse,
    ("postProjectLogsIdFeedback", 400): h.PostProjectLogsIdFeedback400JsonResponse,
    ("postProjectLogsIdFeedback", 401): h.PostProjectLogsIdFeedback401JsonResponse,
    ("postProjectLogsIdFeedback", 403): h.PostProjectLogsIdFeedback403JsonResponse,
    ("postProjectLogsIdFeedback", 429): h.PostProjectLogsIdFeedback429JsonResponse,
    ("postProjectLogsIdFeedback", 500): h.PostProjectLogsIdFeedback500JsonResponse,
}


@dataclass(frozen=True, kw_only=True)
class UndeclaredJsonResponse(h.ResponseVariant):
    """A status the spec does not declare (404, 405, 413, 415, 501): the same problem body."""

    media_type: ClassVar[str | None] = "application/json"
    kind: ClassVar[str] = "json"
    body_type: ClassVar[Any] = Any
    code: int
    body: Any


def record(item: Item) -> BraintrustFeedback:
    """The store's record of one item: what was sent, `source` defaulting to `external`."""
    source = given(item.source)
    return BraintrustFeedback(
        event_id=item.id,
        scores=given(item.scores),
        expected=given(item.expected),
        has_expected=item.expected is not MISSING,  # absent, not null
        comment=given(item.comment),
        metadata=given(item.metadata),
        source=str(source) if source is not None else "external",
        tags=given(item.tags),
    )


def too_many_requests(retry_after: int) -> HTTPException:
    return HTTPException(
        429,
        f"rate limit exceeded, retry after {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


class BraintrustHandlers(h.Handlers):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def authenticate(self, scheme: str, credential: str) -> bool:
        keys = self.services.keys
        return keys.accepts(credential) if keys.configured else True

    async def error_response(self, error: h.RequestError) -> h.ResponseVariant | None:
        body = errors.problem(error)
        declared = DECLARED.get((error.operation_id or "", error.status))
        if declared is None:
            return UndeclaredJsonResponse(code=error.status, body=body)
        return declared(body=body)

    async def post_experiment_id_feedback(
        self, request: h.PostExperimentIdFeedbackRequest
    ) -> h.PostExperimentIdFeedbackResponse:
        self._throttle(request.auth)
        items = request.body.feedback if request.body else []
        await self._store(Scope.experiment, request.experiment_id, items)
        return h.PostExperimentIdFeedback200JsonResponse(body=SUCCESS)

    async def post_project_logs_id_feedback(
        self, request: h.PostProjectLogsIdFeedbackRequest
    ) -> h.PostProjectLogsIdFeedbackResponse:
        self._throttle(request.auth)
        items = request.body.feedback if request.body else []
        await self._store(Scope.project_logs, request.project_id, items)
        return h.PostProjectLogsIdFeedback200JsonResponse(body=SUCCESS)

    def _throttle(self, auth: h.Auth) -> None:
        # Raised rather than returned: only the experiment's 429 declares `Retry-After`, so
        # the project logs' 429 variant cannot carry it, while the server's error path adds
        # the exception's headers to the declared 429 that `error_response` answers.
        if wait := self.services.throttle(auth.credentials):
            raise too_many_requests(wait)

    async def _store(self, scope: Scope, container_id: UUID, items: Sequence[Item]) -> None:
        records = [record(item) for item in items]
        store = self.services.store
        await self.services.run(store.add_braintrust_feedback, scope, container_id, records)
