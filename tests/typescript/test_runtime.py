"""The compiled TypeScript clients against the generated Python servers, over real sockets.

The Martian and Braintrust clients are compiled with the pinned tsc (JavaScript into their
`dist/`); the servers are the generated FastAPI apps (`generated/<api>/server.py`) with small
handlers written here, served by uvicorn on 127.0.0.1 in threads. `client_calls.mjs` (Node's
built-in test runner) calls every operation: success, typed 400 (and 401) errors, 429 with
`Retry-After: 1` retried, undeclared statuses, timeouts. The ids in the requests select the
scenario; the handlers count what the server received, and the test checks those counts.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from tests.typescript.helpers import (
    GENERATED,
    REPO,
    Tsc,
    build,
    seed_api,
    serving,
    write_package,
)

if str(GENERATED) not in sys.path:  # the generated Python packages are not installed
    sys.path.insert(0, str(GENERATED))

from braintrust import handlers as bh
from braintrust import models as bm
from braintrust import server as bs
from fastapi import HTTPException
from martian import handlers as mh
from martian import models as mm
from martian import server as ms

SCRIPT = Path(__file__).with_name("client_calls.mjs")
TOKEN = "tok-good"
IDS = {
    "ok": "019503a1-b2c3-7d4e-8f01-234567890abc",
    "anonymous": "019503a1-b2c3-7d4e-8f01-000000000001",
    "bad": "019503a1-b2c3-7d4e-8f01-000000000002",
    "limited": "019503a1-b2c3-7d4e-8f01-000000000003",
    "patient": "019503a1-b2c3-7d4e-8f01-000000000004",
    "unavailable": "019503a1-b2c3-7d4e-8f01-000000000005",
    "teapot": "019503a1-b2c3-7d4e-8f01-000000000006",
    "slow": "019503a1-b2c3-7d4e-8f01-000000000007",
}


def _flatten(values: dict[str, mm.FeedbackValue], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for key, value in values.items():
        inner = value.root
        if isinstance(inner, mm.FeedbackObject):
            keys += _flatten(inner.root, f"{prefix}{key}.")
        else:
            keys.append(prefix + key)
    return keys


class Martian(mh.Handlers):
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    async def error_response(self, error: mh.RequestError) -> mh.ResponseVariant | None:
        body = mm.ErrorResponse(
            error=mm.FeedbackError(status_code=error.status, message=error.detail)
        )
        if error.status == 400:
            return mh.PostFeedback400JsonResponse(body=body)
        if error.status == 401:
            return mh.PostFeedback401JsonResponse(body=body)
        return None

    async def post_feedback(self, request: mh.PostFeedbackRequest) -> mh.PostFeedbackResponse:
        event = request.body.root[0]
        scenario = str(event.id)
        self.calls[scenario] += 1
        if scenario == IDS["limited"] and self.calls[scenario] == 1:
            limited = mm.ErrorResponse(error=mm.FeedbackError(status_code=429, message="slow down"))
            return mh.PostFeedback429JsonResponse(
                body=limited, headers=mh.PostFeedback429Headers(retry_after=1)
            )
        if scenario == IDS["teapot"]:
            raise HTTPException(418, "undeclared")
        if scenario == IDS["slow"]:
            await asyncio.sleep(1.5)
        ids = {key: event.id for key in _flatten(event.feedback)}
        result = mm.FeedbackResult(mm.FeedbackSuccess(feedback_ids=mm.FeedbackIds(ids), error=None))
        return mh.PostFeedback200JsonResponse(body=mm.FeedbackResponse([result]))


OK = bm.FeedbackResponseSchema(status=bm.FeedbackResponseSchemaStatus.success)


class Braintrust(bh.Handlers):
    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.credentials: dict[str, dict[str, str]] = {}

    async def authenticate(self, scheme: str, credential: str) -> bool:
        return credential == TOKEN

    def _record(self, scenario: str, auth: bh.Auth) -> None:
        self.calls[scenario] += 1
        self.credentials[scenario] = dict(auth.credentials)

    async def post_experiment_id_feedback(
        self, request: bh.PostExperimentIdFeedbackRequest
    ) -> bh.PostExperimentIdFeedbackResponse:
        scenario = str(request.experiment_id)
        self._record(scenario, request.auth)
        if scenario == IDS["bad"]:
            return bh.PostExperimentIdFeedback400TextResponse(body="bad request: no feedback")
        if scenario == IDS["patient"] or (scenario == IDS["limited"] and self.calls[scenario] == 1):
            return bh.PostExperimentIdFeedback429TextResponse(
                body="slow down", headers=bh.PostExperimentIdFeedback429Headers(retry_after="1")
            )
        if scenario == IDS["unavailable"]:
            raise HTTPException(503, "maintenance")
        if scenario == IDS["ok"]:
            assert request.body is not None
            item = request.body.feedback[0]
            assert item.id == "row-1" and item.comment is None
            assert item.scores == {"accuracy": 0.5, "missing": None}
        return bh.PostExperimentIdFeedback200JsonResponse(body=OK)

    async def post_project_logs_id_feedback(
        self, request: bh.PostProjectLogsIdFeedbackRequest
    ) -> bh.PostProjectLogsIdFeedbackResponse:
        scenario = str(request.project_id)
        self._record(f"logs:{scenario}", request.auth)
        if scenario == IDS["bad"]:
            return bh.PostProjectLogsIdFeedback400JsonResponse(body={"reason": "no feedback"})
        return bh.PostProjectLogsIdFeedback200JsonResponse(body=OK)


def test_compiled_clients_call_the_generated_servers(node: str, tsc: Tsc, tmp_path: Path) -> None:
    modules: dict[str, str] = {}
    for name in ("martian", "braintrust"):
        package = write_package(seed_api(name), tmp_path / name)
        tsc.check(package)  # emits dist/ (ES2022 modules; package.json says "type": "module")
        modules[name] = str(package / "dist" / "index.js")
    martian, braintrust = Martian(), Braintrust()

    with (
        serving(ms.create_app(martian)) as martian_url,
        serving(bs.create_app(braintrust)) as bt_url,
    ):
        config = {
            "martian": {"url": martian_url, "module": modules["martian"]},
            "braintrust": {"url": bt_url, "module": modules["braintrust"]},
            "token": TOKEN,
            "ids": IDS,
        }
        result = subprocess.run(
            [node, "--test", "--test-reporter=spec", str(SCRIPT)],
            env={**os.environ, "SPECGEN_TS_E2E": json.dumps(config), "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr

    assert martian.calls[IDS["limited"]] == 2  # 429, then retried after Retry-After: 1
    assert martian.calls[IDS["slow"]] == 1  # a timed-out POST is not retried
    assert martian.calls[IDS["teapot"]] == 1
    assert braintrust.calls[IDS["limited"]] == 2
    assert braintrust.calls[IDS["patient"]] == 1  # Retry-After beyond maxRetryAfterMs
    assert braintrust.calls[IDS["unavailable"]] == 1  # 503 is not retried for a POST
    assert braintrust.credentials[IDS["ok"]] == {"bearerAuth": TOKEN}
    assert braintrust.credentials[IDS["anonymous"]] == {}


def test_parameters_and_credentials_reach_the_wire(node: str, tsc: Tsc, tmp_path: Path) -> None:
    """Path, query, header and cookie parameters, credentials, per-call options and retries of
    refused connections, against a Node.js echo server (params_calls.mjs)."""
    modules: dict[str, str] = {}
    for env, stem in (
        ("SPECGEN_TS_PARAMS", "structure_all_parameter_locations"),
        ("SPECGEN_TS_SECURITY", "structure_security_odd"),
    ):
        api = build(stem, [REPO / "tests" / "corpus" / f"{stem}.yaml"])
        package = write_package(api, tmp_path / stem)
        tsc.check(package)
        modules[env] = str(package / "dist" / "index.js")
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(SCRIPT.with_name("params_calls.mjs"))],
        env={**os.environ, **modules},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
