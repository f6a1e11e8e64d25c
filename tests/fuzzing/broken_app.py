"""Test-only variants of the reference servers that break the contract: the fuzzer must
catch each of them (proof that the checks bite)."""

from __future__ import annotations

from fastapi import FastAPI
from martian import handlers as mh
from martian import models as mm
from martian import server

from reference.auth import ApiKeys
from reference.martian import MartianHandlers
from reference.services import Services
from reference.storage import SQLiteStore

KEY = "fuzz-key"


class WrongBody(MartianHandlers):
    """Answers 200 with a result that is neither a success nor a failure."""

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        broken = mm.FeedbackResult.model_construct(
            mm.FeedbackSuccess.model_construct(feedback_ids=None, error=None)
        )
        return mh.PostFeedback200JsonResponse(body=mm.FeedbackResponse.model_construct([broken]))


class UndeclaredStatus(MartianHandlers):
    """Answers 202, which the spec does not declare."""

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        class Accepted(mh.PostFeedback200JsonResponse):
            status = 202

        return Accepted(body=mm.FeedbackResponse([]))


def _app(handlers: type[MartianHandlers]) -> FastAPI:
    services = Services(SQLiteStore(":memory:"), ApiKeys((KEY,)))
    return server.create_app(handlers(services))


def wrong_body_app() -> FastAPI:
    return _app(WrongBody)


def undeclared_status_app() -> FastAPI:
    return _app(UndeclaredStatus)


class Crashes(MartianHandlers):
    """Raises: the server answers 500 and logs the traceback."""

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        raise RuntimeError("the handler crashed")


def crashing_app() -> FastAPI:
    return _app(Crashes)
