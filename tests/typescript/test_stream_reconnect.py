"""The TypeScript client resumes a dropped event stream as browsers' EventSource does: an
idempotent GET stream is sent again after the server's `retry` with `Last-Event-ID`, a 204
ends it, a POST stream is never sent twice, and drops with no event between them are
bounded. Node drives the compiled client of tests/corpus/streams.yaml (`reconnect_calls.mjs`)
against the scripted HTTP/1.1 server of tests/unit/runtime/test_client_streams.py, which
closes the connection mid-body and records each request's method and `Last-Event-ID`."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.typescript.helpers import REPO, Tsc, build, write_package
from tests.unit.runtime.test_client_streams import Answer, _Server, events, serve, status

SPEC = REPO / "tests" / "corpus" / "streams.yaml"
HERE = Path(__file__).parent
serve = serve  # the fixture, used by name below


def _token(n: int, retry: str = "") -> str:
    return f'{retry}id: {n}\ndata: {{"id": {n}, "text": "t{n}"}}\n\n'


CASES: dict[str, tuple[list[Answer], list[tuple[str, str | None]]]] = {
    "resumes": (
        [events(_token(0, "retry: 20\n"), _token(1)), events(_token(2), then="end")],
        [("GET", None), ("GET", "1")],
    ),
    "ends_on_204": ([events(_token(0, "retry: 20\n")), status(204)], [("GET", None), ("GET", "0")]),
    "post_is_not_resent": (
        [events('retry: 20\ndata: {"index": 0, "delta": "a"}\n\n')],
        [("POST", None)],
    ),
    "gives_up": (
        [events(_token(0, "retry: 20\n")), events()],
        [("GET", None)] + [("GET", "0")] * 3,
    ),
}


@pytest.fixture(scope="module")
def package(tsc: Tsc, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write_package(build("streams", [SPEC]), tmp_path_factory.mktemp("reconnect"))
    tsc.check(project)
    return project


@pytest.mark.parametrize("case", list(CASES))
def test_the_typescript_client_resumes_dropped_event_streams(
    node: str, package: Path, serve: Callable[[list[Answer]], _Server], case: str
) -> None:
    answers, expected = CASES[case]
    server = serve(answers)
    config = {
        "url": f"http://127.0.0.1:{server.server_address[1]}",
        "module": str(package / "dist" / "index.js"),
        "case": case,
    }
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(HERE / "reconnect_calls.mjs")],
        env={**os.environ, "SPECGEN_TS_RECONNECT": json.dumps(config), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.seen == expected
