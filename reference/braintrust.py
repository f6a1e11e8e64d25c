"""The Braintrust feedback reference server: handlers for both feedback operations.

Feedback items are recorded against their event id in the experiment (or project logs) of
the path; each item's `scores` merge into the event's scores. Auth is what the spec declares,
a bearer key or anonymous: with keys configured, a presented key must be one of them (the
generated server answers 401 otherwise), and anonymous requests are served.

Errors need no code here: the generated server answers each with the operation's declared
response for the status (every 4xx/5xx the spec declares has an `application/json` schema of
`nullable: true`, which the problem body `type`, `title`, `status`, `detail`, `errors` fits),
and statuses the spec does not declare (404, 405, 415, 501) with a problem+json body.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from braintrust import handlers as h
from braintrust import models as m
from fastapi import HTTPException
from pydantic import MISSING

from .fields import given
from .services import Services
from .storage import BraintrustFeedback, Scope

SUCCESS = m.FeedbackResponseSchema(status=m.FeedbackResponseSchemaStatus.success)
Item = m.FeedbackExperimentItem | m.FeedbackProjectLogsItem


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
