"""The apps `bench_server.py` serves: the generated seed servers (FastAPI and Flask) over a
small implementation of the handler contract, and the same endpoint written by hand with the
same pydantic models, as a team would write it without specgen. Each checks the bearer token,
validates the body with the models and answers from it.

- Braintrust `POST /v1/project_logs/{project_id}/feedback`: a body its model describes
  entirely, so the generated server validates it once.
- Martian `POST /v1/feedback`: a `oneOf` only the JSON Schema check can tell apart (exactly
  one branch must match), so the generated server checks it twice; the hand-written endpoint
  does not, which is the gap between them.
"""

from __future__ import annotations

import uuid
from typing import Any

from braintrust import flask_server as bt_flask
from braintrust import handlers as bh
from braintrust import models as bm
from braintrust import server as bt_server
from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse
from flask import Flask, jsonify
from flask import request as flask_request
from martian import flask_server as mt_flask
from martian import handlers as mh
from martian import models as mm
from martian import server as mt_server
from pydantic import ValidationError

TOKEN = "mk-bench"
NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
BRAINTRUST_PATH = "/v1/project_logs/{project_id}/feedback"
MARTIAN_PATH = "/v1/feedback"


def _martian_results(body: mm.FeedbackRequest) -> mm.FeedbackResponse:
    results = []
    for event in body.root:
        ids = {k: uuid.uuid5(NAMESPACE, f"{event.id}/{k}") for k in event.feedback}
        success = mm.FeedbackSuccess(feedback_ids=mm.FeedbackIds(ids), error=None)
        results.append(mm.FeedbackResult(success))
    return mm.FeedbackResponse(results)


def _braintrust_result(body: bm.FeedbackProjectLogsEventRequest) -> bm.FeedbackResponseSchema:
    if not body.feedback:
        raise ValueError("no feedback")
    return bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)


class Braintrust(bh.Handlers):
    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    async def post_project_logs_id_feedback(
        self, request: bh.PostProjectLogsIdFeedbackRequest
    ) -> bh.PostProjectLogsIdFeedbackResponse:
        assert request.body is not None
        return bh.PostProjectLogsIdFeedback200JsonResponse(body=_braintrust_result(request.body))


class Martian(mh.Handlers):
    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        return mh.PostFeedback200JsonResponse(body=_martian_results(request.body))


def braintrust_fastapi() -> Any:
    return bt_server.create_app(Braintrust(), docs=False)


def braintrust_flask() -> Any:
    return bt_flask.create_app(Braintrust())


def martian_fastapi() -> Any:
    return mt_server.create_app(Martian(), docs=False)


def martian_flask() -> Any:
    return mt_flask.create_app(Martian())


def _dump(model: Any) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def hand_fastapi() -> Any:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def authorize(authorization: str) -> None:
        if authorization != f"Bearer {TOKEN}":
            raise HTTPException(401, "bad credentials")

    @app.post(BRAINTRUST_PATH)
    async def braintrust(
        project_id: uuid.UUID,
        body: bm.FeedbackProjectLogsEventRequest,
        authorization: str = Header(default=""),
    ) -> JSONResponse:
        authorize(authorization)
        return JSONResponse(_dump(_braintrust_result(body)))

    @app.post(MARTIAN_PATH)
    async def martian(
        body: mm.FeedbackRequest, authorization: str = Header(default="")
    ) -> JSONResponse:
        authorize(authorization)
        return JSONResponse(_dump(_martian_results(body)))

    return app


def hand_flask() -> Any:
    app = Flask(__name__)

    def read(model: Any) -> Any:
        if flask_request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return None, (jsonify(detail="bad credentials"), 401)
        try:
            return model.model_validate_json(flask_request.get_data()), None
        except ValidationError as exc:
            return None, (jsonify(detail=str(exc)), 400)

    @app.post("/v1/project_logs/<uuid:project_id>/feedback")
    def braintrust(project_id: uuid.UUID) -> Any:
        body, error = read(bm.FeedbackProjectLogsEventRequest)
        return error or jsonify(_dump(_braintrust_result(body)))

    @app.post(MARTIAN_PATH)
    def martian() -> Any:
        body, error = read(mm.FeedbackRequest)
        return error or jsonify(_dump(_martian_results(body)))

    return app
