"""The TypeScript webhook sender (src/webhooks.ts) of tests/corpus/webhooks.yaml: compiled
with the pinned tsc, run under Node against the generated Python webhook receiver (FastAPI,
uvicorn on 127.0.0.1): typed deliveries, a declared error class, a 503 retried."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.functional.conftest import run_specgen
from tests.typescript.helpers import Tsc, build, serving, write_package

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "webhooks.yaml"
SCRIPT = Path(__file__).with_name("webhooks_calls.mjs")
NAME = "webhooks_ts"


def _receiver(out: Path, seen: list[Any], busy: list[int]) -> Any:
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, "--style", "fastapi")
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    h = importlib.import_module(f"{NAME}.webhooks")
    models = importlib.import_module(f"{NAME}.models")
    server = importlib.import_module(f"{NAME}.webhook_server")

    class Hooks(h.WebhookHandlers):  # type: ignore[misc, name-defined]
        async def new_pet(self, request: Any) -> Any:
            seen.append(request)
            if request.body.name == "refused":
                return h.NewPet422JsonResponse(body=models.Refusal(reason="no thanks"))
            return h.NewPet200JsonResponse(body=models.Ack(received=True))

        async def subscribe_pet_event(self, request: Any) -> Any:
            seen.append(request)
            return h.SubscribePetEvent204Response()

    app = server.create_webhook_app(Hooks())

    async def busy_first(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].endswith("/petEvent") and busy[0] > 0:
            busy[0] -= 1
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await app(scope, receive, send)

    return busy_first


def test_the_compiled_sender_delivers_to_the_generated_receiver(
    node: str, tsc: Tsc, tmp_path: Path
) -> None:
    package = write_package(build(NAME, [SPEC]), tmp_path / "ts")
    assert (package / "src" / "webhooks.ts").is_file()
    tsc.check(package)
    seen: list[Any] = []
    busy = [1]
    try:
        with serving(_receiver(tmp_path / "py", seen, busy)) as url:
            config = {"url": url, "module": str(package / "dist" / "index.js")}
            result = subprocess.run(
                [node, "--test", "--test-reporter=spec", str(SCRIPT)],
                env={**os.environ, "SPECGEN_TS_E2E": json.dumps(config), "NO_COLOR": "1"},
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
    finally:
        sys.path.remove(str(tmp_path / "py"))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]
    assert result.returncode == 0, result.stdout + result.stderr
    assert busy == [0]  # the 503 was answered, and the delivery sent again
    assert [r.body.name for r in seen[:2]] == ["Rex", "refused"]
    assert seen[0].x_delivery_id == "n-1"
    assert seen[2].body.root.owner == "Ann"
