"""Many clients at once against one reference server over a real socket: every write is
stored, and each event's merged scores are exactly the ordered replay of its feedback."""

from __future__ import annotations

import asyncio
import json
import ssl
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from braintrust import client as bc
from braintrust import models as bm
from martian import client as mc
from martian import models as mm

from reference.app import Settings, create_braintrust_app, create_martian_app

Serve = Callable[[Any], str]
Query = Callable[..., list[tuple[Any, ...]]]
KEY = "load-key"
EXPERIMENT = uuid.UUID("5d2b8f0a-1c3e-4a5b-9c7d-0e1f2a3b4c5d")
EVENTS = ["e0", "e1", "e2", "e3"]
THREADS, REQUESTS = 8, 20


def request_body(thread: int, n: int) -> bm.FeedbackExperimentEventRequest:
    scores: dict[str, float | None] = {
        f"t{thread}": (n + 1) / 100,
        "shared": round(thread / 10 + n / 1000, 4),
        f"drop{thread}": None if n % 5 == 4 else 0.5,  # removed, then set again
    }
    items = [{"id": event, "scores": scores, "tags": [f"t{thread}-{n}"]} for event in EVENTS]
    return bm.FeedbackExperimentEventRequest.model_validate({"feedback": items})


def test_threads_with_sync_clients_lose_no_write(
    serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    app = create_braintrust_app(Settings(db=str(db_path), api_keys=(KEY,)))
    close_stores.append(app)
    base_url = serve(app)
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def client(thread: int) -> None:
        try:
            with bc.Client(base_url, token=KEY) as api:
                start.wait()
                for n in range(REQUESTS):
                    api.post_experiment_id_feedback(EXPERIMENT, body=request_body(thread, n))
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures

    rows = query("SELECT event_id, scores, tags FROM braintrust_feedback ORDER BY id")
    assert len(rows) == THREADS * REQUESTS * len(EVENTS)
    sent_tags = {json.loads(tags)[0] for _, _, tags in rows}
    assert sent_tags == {f"t{t}-{n}" for t in range(THREADS) for n in range(REQUESTS)}

    merged: dict[str, str] = dict(query("SELECT event_id, scores FROM braintrust_events"))
    for event in EVENTS:
        replay: dict[str, float] = {}
        for _, scores, _ in (row for row in rows if row[0] == event):
            for name, score in json.loads(scores).items():
                if score is None:
                    replay.pop(name, None)
                else:
                    replay[name] = score
        final = json.loads(merged[event])
        assert final == replay  # the merge is the ordered replay of the audit log
        for t in range(THREADS):  # each thread's own last write won for its keys
            assert final[f"t{t}"] == REQUESTS / 100
            assert f"drop{t}" not in final  # the last write (n = 19) removed it


def test_asyncio_gather_of_martian_clients(
    serve: Serve, db_path: Path, close_stores: list[Any], query: Query
) -> None:
    inference = uuid.uuid4()
    app = create_martian_app(Settings(db=str(db_path), api_keys=(KEY,), inference_ids=(inference,)))
    close_stores.append(app)
    base_url = serve(app)
    tasks = 40
    tls = ssl.create_default_context()

    async def send(n: int) -> mm.FeedbackResponse:
        body = mm.FeedbackRequest.model_validate(
            [
                {"id": str(inference), "feedback": {"n": n, "q": {"a": True, "b": f"s{n}"}}},
                {"id": str(uuid.uuid4()), "feedback": {"n": n}},
            ]
        )
        # One client (its own connection) per task; they share an SSL context only because
        # building one per client costs ~70 ms of CPU, which would dominate the test.
        transport = httpx.AsyncHTTPTransport(verify=tls)
        async with mc.AsyncClient(base_url, token=KEY, transport=transport) as api:
            return await api.post_feedback(body=body)

    async def run_all() -> list[mm.FeedbackResponse]:
        return await asyncio.gather(*(send(n) for n in range(tasks)))

    responses = asyncio.run(run_all())

    returned: dict[str, tuple[str, int]] = {}
    for n, response in enumerate(responses):
        success, failure = (result.root for result in response.root)
        assert isinstance(success, mm.FeedbackSuccess)
        assert isinstance(failure, mm.FeedbackFailure)
        assert list(success.feedback_ids.root) == ["n", "q.a", "q.b"]
        returned.update({str(i): (key, n) for key, i in success.feedback_ids.root.items()})
    rows = query("SELECT feedback_id, key, value FROM martian_feedback")
    assert len(rows) == len(returned) == tasks * 3  # every id unique, every entry stored
    for feedback_id, key, value in rows:
        sent_key, n = returned[feedback_id]
        assert key == sent_key
        assert json.loads(value) == {"n": float(n), "q.a": True, "q.b": f"s{n}"}[key]
    assert query("SELECT count(*) FROM martian_events") == [(tasks,)]
