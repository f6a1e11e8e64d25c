"""The mock engine (`_mock.MockEngine`) in process, over a small spec of its own
(`specs/things.yaml`), generated once with the CLI: the FastAPI mock driven with
httpx's ASGI transport, the Flask one with its WSGI transport."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.mock.mockserver import specgen_command as specgen

SPEC = Path(__file__).parent / "specs" / "things.yaml"
KEY = {"X-API-Key": "k"}
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = tmp_path_factory.mktemp("mock")
    command = [*specgen(), "generate", str(SPEC), "--name", "things_mock", "--out", str(out)]
    for style in ("fastapi", "flask", "mock"):
        command += ["--style", style]
    subprocess.run(command, check=True, capture_output=True, cwd=out)
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module("things_mock.mock")
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n.split(".")[0] == "things_mock"]:
            del sys.modules[name]


def call(app: Any, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to the FastAPI mock."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def app(mock: ModuleType) -> Any:
    return mock.create_app()


def test_examples_win_over_synthesis(app: Any) -> None:
    # media `examples` (the invalid first one skipped), then `example`, then schema's
    assert call(app, "GET", "/named").json() == {"count": 3}
    assert call(app, "GET", "/single").json() == {"count": 11}
    assert call(app, "GET", "/schema-example").json() == {"word": "hello"}


def test_prefer_example_and_code(app: Any) -> None:
    seven = call(app, "GET", "/named", headers={"Prefer": "example=seven"})
    assert seven.status_code == 200 and seven.json() == {"count": 7}
    gone = call(app, "GET", "/named", headers={"Prefer": "example=gone"})
    assert gone.status_code == 404 and gone.json() == {"message": "gone"}
    missing = call(app, "GET", "/named", headers={"Prefer": "code=404"})
    assert missing.status_code == 404 and missing.json() == {"message": "gone"}
    undeclared = call(app, "GET", "/single", headers={"Prefer": "code=404"})
    assert undeclared.status_code == 422


def test_ranges_and_default_answer_the_preferred_code(app: Any) -> None:
    teapot = call(app, "GET", "/ranges", headers={"Prefer": "code=418"})
    assert teapot.status_code == 418 and isinstance(teapot.json()["message"], str)
    unavailable = call(app, "GET", "/ranges", headers={"Prefer": "code=503"})
    assert unavailable.status_code == 503 and "message" in unavailable.json()


def test_same_seed_same_values_dynamic_new_ones(mock: ModuleType, app: Any) -> None:
    first, again = (call(app, "GET", "/random").json() for _ in range(2))
    assert first == again
    assert call(mock.create_app(), "GET", "/random").json() == first
    other_seed = mock.create_app(mock.MockSettings(seed=7))
    assert call(other_seed, "GET", "/random").json() != first
    dynamic = [
        call(app, "GET", "/random", headers={"Prefer": "dynamic=true"}).json() for _ in range(2)
    ]
    assert dynamic[0] != dynamic[1]
    always = mock.create_app(mock.MockSettings(dynamic=True))
    assert call(always, "GET", "/random").json() != call(always, "GET", "/random").json()


def test_accept_picks_the_stream(app: Any) -> None:
    plain = call(app, "GET", "/complete")
    assert plain.headers["content-type"].startswith("application/json")
    stream = call(app, "GET", "/complete", headers={"Accept": "text/event-stream"})
    assert stream.headers["content-type"].startswith("text/event-stream")
    events = [line for line in stream.text.splitlines() if line.startswith("data:")]
    assert len(events) == 3 and all('"index"' in line for line in events)


def test_declared_headers(app: Any) -> None:
    response = call(app, "GET", "/headers")
    assert 1 <= int(response.headers["x-rate-limit"]) <= 100
    assert len(response.headers["x-trace"]) == 36


def test_binary_wildcard_is_a_png(app: Any) -> None:
    response = call(app, "GET", "/picture")
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG)


def test_read_only_present_write_only_absent(app: Any) -> None:
    thing = call(app, "GET", "/things/abc", headers=KEY).json()
    assert "id" in thing and "name" in thing and "secret" not in thing


def test_credentials(mock: ModuleType, app: Any) -> None:
    assert call(app, "GET", "/things").status_code == 401
    assert call(app, "GET", "/things", headers={"X-API-Key": "anything"}).status_code == 200
    keyed = mock.create_app(mock.MockSettings(api_keys=frozenset({"right"})))
    assert call(keyed, "GET", "/things", headers={"X-API-Key": "wrong"}).status_code == 401
    assert call(keyed, "GET", "/things", headers={"X-API-Key": "right"}).status_code == 200


def test_latency(mock: ModuleType) -> None:
    slow = mock.create_app(mock.MockSettings(latency_ms=200))
    started = time.monotonic()
    assert call(slow, "GET", "/single").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_stateful_collection(mock: ModuleType) -> None:
    stateful = mock.create_app(mock.MockSettings(stateful=True))

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=stateful)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://mock", headers=KEY
        ) as client:
            body = {"name": "teapot", "secret": "s"}
            created = await client.post("/things", json=body)
            path = f"/things/{created.json()['id']}"
            read = await client.get(path)
            listed = await client.get("/things")
            replaced = await client.put(path, json={"name": "kettle", "secret": "s"})
            reread = await client.get(path)
            deleted = await client.delete(path)
            gone = await client.get(path)
            return [created, read, listed, replaced, reread, deleted, gone]

    created, read, listed, replaced, reread, deleted, gone = asyncio.run(go())
    assert created.status_code == 201 and created.json()["name"] == "teapot"
    assert read.status_code == 200 and read.json() == created.json()
    assert [t["id"] for t in listed.json()["items"]] == [created.json()["id"]]
    assert replaced.json()["name"] == "kettle" and reread.json()["name"] == "kettle"
    assert deleted.status_code == 204
    assert gone.status_code == 404 and gone.json() == {"message": "no such thing"}


def test_stateless_mock_forgets_deleted_ids(mock: ModuleType) -> None:
    app = mock.create_app()
    assert call(app, "GET", "/things/x1", headers=KEY).status_code == 200
    assert call(app, "DELETE", "/things/x1", headers=KEY).status_code == 204
    assert call(app, "GET", "/things/x1", headers=KEY).status_code == 404
    assert call(app, "DELETE", "/things/x1", headers=KEY).status_code == 404
    assert call(app, "GET", "/things/x2", headers=KEY).status_code == 200


def test_flask_mock(mock: ModuleType) -> None:
    app = mock.create_flask_app()
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock") as client:
        assert client.get("/named").json() == {"count": 3}
        assert client.get("/named", headers={"Prefer": "example=seven"}).json() == {"count": 7}
        assert client.get("/single", headers={"Prefer": "code=404"}).status_code == 422
        assert client.get("/things").status_code == 401
        assert client.get("/picture").headers["content-type"] == "image/png"
        stream = client.get("/complete", headers={"Accept": "text/event-stream"})
        assert stream.headers["content-type"].startswith("text/event-stream")
