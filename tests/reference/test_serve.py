"""`specgen serve`: the real command in a subprocess on a free port, driven with plain httpx
requests as a user with curl would; then its usage errors, in process."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main
from reference.app import Settings, create_martian_app

REPO = Path(__file__).resolve().parents[2]
KNOWN = [uuid.UUID("019503a2-d4e5-7f60-a1b2-c3d4e5f60718"), uuid.UUID(int=1)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def specgen() -> list[str]:
    script = shutil.which("specgen", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-c", "from generator.cli import main; main()"]


@contextmanager
def serving(
    *args: str,
    keys: str | None,
    cwd: Path = REPO / "specs",
    env: dict[str, str] | None = None,
    ready: str = "/openapi.json",
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Run `specgen serve ARGS` from a subfolder of the project (the root is found upwards)
    until the server answers; terminate it on exit."""
    variables = {k: v for k, v in os.environ.items() if not k.startswith("SPECGEN_")}
    env = {**variables, **(env or {})}
    if keys is not None:
        env["SPECGEN_API_KEYS"] = keys
    port = free_port()
    process = subprocess.Popen(
        [*specgen(), "serve", *args, "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"specgen serve exited {process.returncode}: {process.stderr.read()}")  # type: ignore[union-attr]
            try:
                httpx.get(base_url + ready, timeout=1).raise_for_status()
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("specgen serve did not start")
                time.sleep(0.05)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_serve_martian(tmp_path: Path) -> None:
    db = tmp_path / "martian.sqlite3"
    ids = [arg for known in KNOWN for arg in ("--inference-id", str(known))]
    body = [
        {"id": str(KNOWN[0]), "feedback": {"helpful": True, "quality": {"accuracy": 4}}},
        {"id": str(uuid.uuid4()), "feedback": {"helpful": False}},
    ]
    with serving("martian", "--db", str(db), *ids, keys="k1,k2") as (url, process):
        anonymous = httpx.post(url + "/v1/feedback", json=body)
        wrong = httpx.post(url + "/v1/feedback", json=body, headers={"Authorization": "Bearer k3"})
        good = httpx.post(url + "/v1/feedback", json=body, headers={"Authorization": "Bearer k2"})
        process.terminate()
        _, log = process.communicate(timeout=15)

    # Graceful shutdown; uvicorn then re-raises SIGTERM, so the exit status may say so.
    assert process.returncode in (0, -signal.SIGTERM), log
    assert "Application shutdown complete" in log
    assert anonymous.status_code == wrong.status_code == 401
    assert anonymous.json()["error"]["status_code"] == 401
    assert good.status_code == 200
    success, failure = good.json()
    assert list(success["feedback_ids"]) == ["helpful", "quality.accuracy"]
    assert failure == {
        "feedback_ids": None,
        "error": {"status_code": 400, "message": "ID does not exist"},
    }
    assert "martian: 2 API key(s) configured" in log
    assert f"martian: 2 known inference id(s): {KNOWN[1]}, {KNOWN[0]}" in log
    assert "k1" not in log and "k2" not in log
    assert "use `specgen serve --app reference.app:martian_app`" in log  # deprecated shorthand
    assert read(db, "SELECT key, value FROM martian_feedback ORDER BY feedback_id") == [
        ("helpful", "true"),
        ("quality.accuracy", "4.0"),
    ]


def test_serve_martian_on_flask(tmp_path: Path) -> None:
    """The same reference handlers, served by the generated Flask app."""
    db = tmp_path / "martian.sqlite3"
    body = [{"id": str(KNOWN[0]), "feedback": {"quality": {"accuracy": 4}}}]
    ids = ("--inference-id", str(KNOWN[0]))
    with serving("martian", "--style", "flask", "--db", str(db), *ids, keys="k1") as (url, process):
        anonymous = httpx.post(url + "/v1/feedback", json=body)
        good = httpx.post(url + "/v1/feedback", json=body, headers={"Authorization": "Bearer k1"})
        process.terminate()
        process.communicate(timeout=15)

    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["status_code"] == 401
    assert good.status_code == 200
    assert list(good.json()[0]["feedback_ids"]) == ["quality.accuracy"]
    assert read(db, "SELECT key, value FROM martian_feedback") == [("quality.accuracy", "4.0")]


def test_serve_braintrust(tmp_path: Path) -> None:
    db = tmp_path / "braintrust.sqlite3"
    path = f"/v1/experiment/{uuid.uuid4()}/feedback"
    body = {"feedback": [{"id": "row-1", "scores": {"accuracy": 0.5}}]}
    with serving("braintrust", "--db", str(db), "--rate-limit", "2/60", keys="bt") as (url, _):
        wrong = httpx.post(url + path, json=body, headers={"Authorization": "Bearer nope"})
        keyed = httpx.post(url + path, json=body, headers={"Authorization": "Bearer bt"})
        anonymous = httpx.post(url + path, json=body)
        keyed_again = httpx.post(url + path, json=body, headers={"Authorization": "Bearer bt"})
        limited = httpx.post(url + path, json=body, headers={"Authorization": "Bearer bt"})

    assert wrong.status_code == 401
    assert [keyed.json(), anonymous.json(), keyed_again.json()] == [{"status": "success"}] * 3
    assert limited.status_code == 429 and limited.headers["retry-after"] == "30"
    assert (
        read(db, "SELECT event_id, source FROM braintrust_feedback") == [("row-1", "external")] * 3
    )


def test_martian_without_keys_says_so_at_start(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="reference"):
        app = create_martian_app(Settings())
    app.state.store.close()
    assert "no API key configured: every request is answered 401" in caplog.text
    assert "0 known inference id(s)" in caplog.text


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["serve", "braintrust", "--inference-id", str(KNOWN[0])], {}, "martian API only"),
        (["serve", "martian"], {"SPECGEN_RATE_LIMIT": "lots"}, "invalid rate limit"),
        (["serve", "martian", "--style", "django"], {}, "'django' is not one of"),
        (["serve", "petstore"], {}, "'petstore' is not one of"),
    ],
)
def test_usage_errors(
    args: list[str], env: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "martian"])
    assert result.exit_code == 2
    assert "no pyproject.toml with [tool.specgen]" in result.output


def test_api_not_configured_in_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\n[[tool.specgen.api]]\nname = "billing"\nspecs = ["b.yaml"]\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "martian"])
    assert result.exit_code == 2
    assert "configures no API named 'martian'" in result.output


# --- `specgen serve --app module:attr`: any implementation --------------------------------------

OWN_SERVER = """\
from martian import handlers as h
from martian.server import create_app


class MyHandlers(h.Handlers):
    async def post_feedback(self, request: h.PostFeedbackRequest) -> h.PostFeedbackResponse:
        return h.PostFeedback200JsonResponse(body=[])


app = create_app(MyHandlers())
"""

BARE_APPS = {
    "asgi": """\
async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"asgi"})
""",
    "wsgi": """\
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"wsgi"]
""",
}


def stop(process: subprocess.Popen[str]) -> str:
    """Ctrl-C, as a user would; the server's log."""
    process.send_signal(signal.SIGINT)
    _, log = process.communicate(timeout=15)
    return log


def test_serve_app_reference_factory(tmp_path: Path) -> None:
    """The reference server as an --app target, its settings from SPECGEN_* variables."""
    db = tmp_path / "martian.sqlite3"
    env = {"SPECGEN_DB": str(db), "SPECGEN_INFERENCE_IDS": str(KNOWN[0])}
    body = [{"id": str(KNOWN[0]), "feedback": {"helpful": True}}]
    with serving("--app", "reference.app:martian_app", keys="k1", env=env) as (url, process):
        anonymous = httpx.post(url + "/v1/feedback", json=body)
        good = httpx.post(url + "/v1/feedback", json=body, headers={"Authorization": "Bearer k1"})
        log = stop(process)

    assert process.returncode == 0, log
    assert "Application shutdown complete" in log and "Traceback" not in log
    assert "specgen serve: reference.app:martian_app (ASGI) on http://127.0.0.1:" in log
    assert "martian: 1 API key(s) configured" in log
    assert anonymous.status_code == 401
    assert good.status_code == 200 and list(good.json()[0]["feedback_ids"]) == ["helpful"]
    assert read(db, "SELECT key, value FROM martian_feedback") == [("helpful", "true")]


def test_serve_app_reference_flask_factory(tmp_path: Path) -> None:
    env = {"SPECGEN_DB": str(tmp_path / "m.sqlite3"), "SPECGEN_INFERENCE_IDS": str(KNOWN[0])}
    body = [{"id": str(KNOWN[0]), "feedback": {"helpful": True}}]
    auth = {"Authorization": "Bearer k1"}
    with serving("--app", "reference.app:martian_flask_app", keys="k1", env=env) as (url, proc):
        good = httpx.post(url + "/v1/feedback", json=body, headers=auth)
        log = stop(proc)
    assert proc.returncode == 0, log
    assert "(WSGI)" in log
    assert good.status_code == 200


def test_serve_app_own_handlers(tmp_path: Path) -> None:
    """The README's example: a module of the user's, outside the project folder, importing
    the generated package through the project's import paths (`--config`)."""
    (tmp_path / "myapi_server.py").write_text(OWN_SERVER, "utf-8")
    args = ("--app", "myapi_server:app", "--config", str(REPO / "pyproject.toml"))
    body = [{"id": str(KNOWN[0]), "feedback": {"helpful": True}}]
    with serving(*args, keys=None, cwd=tmp_path) as (url, process):
        answer = httpx.post(url + "/v1/feedback", json=body, headers={"Authorization": "Bearer x"})
        stop(process)
    assert answer.status_code == 200 and answer.json() == []


@pytest.mark.parametrize("kind", sorted(BARE_APPS))
def test_serve_app_bare_callables(kind: str, tmp_path: Path) -> None:
    """Plain ASGI and WSGI callables are apps, not factories."""
    (tmp_path / "bare.py").write_text(BARE_APPS[kind], "utf-8")
    with serving("--app", "bare:app", keys=None, cwd=tmp_path, ready="/") as (url, process):
        answer = httpx.get(url + "/anything")
        log = stop(process)
    assert answer.text == kind
    assert f"({kind.upper()})" in log


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve"], "give --app module:attr"),
        (["serve", "martian", "--app", "reference.app:martian_app"], "not both"),
        (["serve", "--app", "reference.app:martian_app", "--db", "x"], "--db applies to"),
        (["serve", "--app", "reference.app:martian_app", "--style", "flask"], "--style applies"),
        (["serve", "martian", "--reload"], "--reload needs --app"),
        (["serve", "--app", "nosuch_module:app"], "error SG620: cannot load --app"),
        (["serve", "--app", "reference.app:nope"], "has no attribute 'nope'"),
        (["serve", "--app", "reference.app:APIS"], "neither an app nor a factory"),
        (["serve", "--app", "reference.settings:Settings"], "returned a Settings, not an app"),
        (["serve", "--app", "reference.app"], "is not module:attribute"),
    ],
)
def test_app_usage_errors(args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
