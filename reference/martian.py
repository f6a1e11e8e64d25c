"""The Martian feedback reference server, as the prose page describes it.

Per event, in request order: nested feedback is flattened to dot keys, each key gets a new
UUID version 7, integers become floats (booleans and strings stay as they are), a structured
score's `reason` becomes the entry's metadata, the event's `tags` go on every entry and its
`optimize` is recorded. An event whose inference id the store does not know fails alone, with
`{"status_code": 400, "message": "ID does not exist"}`; the others are recorded.

A bearer key is required. Every error the server answers (its own 400/401/413/415/404/405/501
and the 429 of the rate limiter) has the spec's `ErrorResponse` body, through the declared
variant where the spec declares the status.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from martian import handlers as h
from martian import models as m

from . import errors
from .fields import given
from .services import Services
from .storage import MartianEntry, MartianEvent
from .uuid7 import uuid7

UNKNOWN_ID = m.FeedbackError(status_code=400, message="ID does not exist")


@dataclass(frozen=True, kw_only=True)
class UndeclaredErrorResponse(h.ResponseVariant):
    """A status the spec does not declare (404, 405, 413, 415, 501), with the same body."""

    media_type: ClassVar[str | None] = "application/json"
    kind: ClassVar[str] = "json"
    body_type: ClassVar[Any] = m.ErrorResponse
    code: int
    body: m.ErrorResponse


def flatten(
    feedback: Mapping[str, m.FeedbackValue],
) -> dict[str, tuple[bool | float | str, str | None]]:
    """Flattened key -> (value, reason), depth first in document order.

    Iterative, so that no nesting depth the server accepts can overflow the stack. A dotted key
    colliding with a flattened one (`{"a.b": 1, "a": {"b": 2}}`, which the prose leaves open)
    is one entry, the one that comes last, as with a duplicate key in a JSON object.
    """
    flat: dict[str, tuple[bool | float | str, str | None]] = {}
    stack: list[tuple[str, Iterator[tuple[str, m.FeedbackValue]]]] = [("", iter(feedback.items()))]
    while stack:
        prefix, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        key, wrapped = item
        value = wrapped.root
        name = prefix + key
        if isinstance(value, m.FeedbackObject):
            stack.append((name + ".", iter(value.root.items())))
            continue
        flat.pop(name, None)  # the last duplicate wins, in its own position
        if isinstance(value, m.StructuredScore):
            flat[name] = (scalar(value.score.root), given(value.reason))
        else:
            flat[name] = (scalar(value.root), None)
    return flat


def scalar(value: bool | float | str) -> bool | float | str:
    """Integers are stored as floats; booleans (an int subclass) stay booleans."""
    if isinstance(value, bool | str):
        return value
    return float(value)


def event_record(event: m.FeedbackEvent) -> MartianEvent:
    entries = [
        MartianEntry(feedback_id=uuid7(), key=key, value=value, reason=reason)
        for key, (value, reason) in flatten(event.feedback).items()
    ]
    return MartianEvent(
        inference_id=event.id,
        optimize=str(event.optimize),
        tags=dict(given(event.tags) or {}),
        entries=entries,
    )


def result(event: MartianEvent, recorded: bool) -> m.FeedbackResult:
    if not recorded:
        return m.FeedbackResult(m.FeedbackFailure(feedback_ids=None, error=UNKNOWN_ID))
    ids = m.FeedbackIds({entry.key: entry.feedback_id for entry in event.entries})
    return m.FeedbackResult(m.FeedbackSuccess(feedback_ids=ids, error=None))


def error_body(status: int, message: str) -> m.ErrorResponse:
    return m.ErrorResponse(error=m.FeedbackError(status_code=status, message=message))


class MartianHandlers(h.Handlers):
    def __init__(self, services: Services) -> None:
        self.services = services

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return self.services.keys.accepts(credential)  # no key configured: nobody gets in

    async def error_response(self, error: h.RequestError) -> h.ResponseVariant | None:
        body = error_body(error.status, self._message(error))
        if error.operation_id == "postFeedback" and error.status == 400:
            return h.PostFeedback400JsonResponse(body=body)
        if error.operation_id == "postFeedback" and error.status == 401:
            bearer = h.PostFeedback401Headers(www_authenticate="Bearer")
            return h.PostFeedback401JsonResponse(body=body, headers=bearer)
        return UndeclaredErrorResponse(code=error.status, body=body)

    def _message(self, error: h.RequestError) -> str:
        if error.status == 401 and not self.services.keys.configured:
            return "no API key is configured on this server: set SPECGEN_API_KEYS"
        if error.status == 401:
            return f"{error.detail}: send a valid API key as `Authorization: Bearer <key>`"
        return errors.message(error)

    async def post_feedback(self, request: h.PostFeedbackRequest) -> h.PostFeedbackResponse:
        if wait := self.services.throttle(request.auth.credentials):
            return h.PostFeedback429JsonResponse(
                body=error_body(429, f"rate limit exceeded, retry after {wait} s"),
                headers=h.PostFeedback429Headers(retry_after=wait),
            )
        events = [event_record(event) for event in request.body.root]
        recorded = await self.services.run(self.services.store.add_martian_feedback, events)
        results = [result(e, ok) for e, ok in zip(events, recorded, strict=True)]
        return h.PostFeedback200JsonResponse(body=m.FeedbackResponse(results))
