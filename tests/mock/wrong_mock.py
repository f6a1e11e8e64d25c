"""A deliberately wrong mock of the Martian seed API: the generated `MockHandlers` with one
answer that breaks the response schema (`feedback_ids` a number, not an object, built with
`model_construct` so that nothing checks it on the way out). The fuzzer must catch it."""

from __future__ import annotations

from fastapi import FastAPI
from martian import handlers as mh
from martian import mock
from martian import models as mm
from martian._mock import PreferMiddleware
from martian.server import create_app


class WrongMock(mock.MockHandlers):
    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        success = mm.FeedbackSuccess.model_construct(feedback_ids=42, error=None)
        body = mm.FeedbackResponse.model_construct([mm.FeedbackResult.model_construct(success)])
        return mh.PostFeedback200JsonResponse(body=body)


def wrong_mock_app() -> FastAPI:
    app = create_app(WrongMock())
    app.add_middleware(PreferMiddleware)
    return app
