"""`specgen mock SPEC`: the real command, served on a socket and driven with httpx; its cache
and its errors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from tests.mock.mockserver import ROOT, mock_server, specgen_command

MARTIAN = ROOT / "specs" / "martian" / "feedback.yaml"
EVENT = {"id": "019503a2-d4e5-7f60-a1b2-c3d4e5f60718", "feedback": {"helpful": True}}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mock-cache")


def _package(cache: Path) -> Path:
    (folder,) = [p for p in cache.glob("*/mock_*") if p.is_dir()]
    return folder


@pytest.mark.parametrize("style", ["fastapi", "flask"])
def test_mock_answers_declared_responses(cache: Path, style: str) -> None:
    with mock_server([MARTIAN], "--style", style, cache=cache) as mock:
        auth = {"Authorization": "Bearer any-token"}
        ok = httpx.post(mock.url + "/v1/feedback", json=[EVENT], headers=auth)
        assert ok.status_code == 200, ok.text
        (result,) = ok.json()  # one result per event, as the schema says
        assert all(UUID(value) for value in result["feedback_ids"].values())

        # The generated server checks requests as usual.
        assert httpx.post(mock.url + "/v1/feedback", json=[EVENT]).status_code == 401
        assert httpx.post(mock.url + "/v1/feedback", json=[], headers=auth).status_code == 400

        limited = httpx.post(
            mock.url + "/v1/feedback", json=[EVENT], headers={**auth, "Prefer": "code=429"}
        )
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 0  # a required header, filled in
        assert "message" in limited.json()["error"]


def test_api_keys_restrict_credentials(cache: Path) -> None:
    with mock_server([MARTIAN], "--api-key", "k1", "--api-key", "k2", cache=cache) as mock:
        for key, status in (("k1", 200), ("k2", 200), ("other", 401)):
            answer = httpx.post(
                mock.url + "/v1/feedback", json=[EVENT], headers={"Authorization": f"Bearer {key}"}
            )
            assert answer.status_code == status, (key, answer.text)


def test_seed_decides_the_answers(cache: Path) -> None:
    auth = {"Authorization": "Bearer k"}
    runs = []
    for seed in ("1", "1", "2"):
        with mock_server([MARTIAN], "--seed", seed, "--dynamic", cache=cache) as mock:
            answers = [
                httpx.post(mock.url + "/v1/feedback", json=[EVENT], headers=auth).json()
                for _ in range(2)
            ]
            runs.append(answers)
    assert runs[0] == runs[1]  # the same seed: the same run of answers
    assert runs[0][0] != runs[0][1]  # --dynamic: a new value for every request
    assert runs[0] != runs[2]
    with mock_server([MARTIAN], cache=cache) as mock:  # static: the declared example
        answer = httpx.post(mock.url + "/v1/feedback", json=[EVENT], headers=auth).json()
    assert answer[0]["feedback_ids"]["helpful"] == "019503a1-b2c3-7d4e-8f01-234567890abc"


def test_the_package_is_generated_once_per_input(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    shutil.copy(MARTIAN, spec)
    cache = tmp_path / "cache"
    with mock_server([spec], cache=cache):
        pass
    manifest = _package(cache) / ".specgen-manifest.json"
    first = manifest.stat().st_mtime_ns
    with mock_server([spec], cache=cache):
        pass
    assert manifest.stat().st_mtime_ns == first  # a cache hit: nothing regenerated

    spec.write_text(spec.read_text("utf-8").replace("Submit feedback", "Send feedback"), "utf-8")
    with mock_server([spec], cache=cache) as mock:
        document = httpx.get(mock.url + "/openapi.json").json()
    assert manifest.stat().st_mtime_ns != first
    assert document["paths"]["/v1/feedback"]["post"]["summary"] == "Send feedback"


def test_a_broken_spec_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: [1, 2]\n")
    result = subprocess.run(
        [*specgen_command(), "mock", str(spec), "--port", "0"],
        env={**os.environ, "SPECGEN_MOCK_CACHE": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "broken.yaml:4:" in result.stderr
    assert "Uvicorn running" not in result.stderr
