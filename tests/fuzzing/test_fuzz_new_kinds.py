"""schemathesis, every check, through `specgen fuzz --app`, against both generated servers of
tests/corpus/server_errors.yaml (declared error responses: problem+json, JSON error schemas,
text, ranges, default; 405 with Allow; 415 for text and binary bodies; routes under the spec's
base path `/v2`, which `specgen fuzz` adds to the served app's URL) and of
tests/corpus/streams.yaml (SSE and JSON-lines responses, JSON or a stream per request) and
of tests/corpus/uploads.yaml (multipart parts, urlencoded fields, binary bodies) and of
tests/corpus/binary.yaml (binary uploads, streamed and wildcard downloads)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.functional.conftest import run_specgen
from tests.fuzzing import binary_app, pets_app, streams_app, uploads_app
from tests.fuzzing.test_fuzz_reference import junit_counts

pytestmark = pytest.mark.slow  # minutes of schemathesis runs; in CI, not the fast lane

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "corpus" / "server_errors.yaml"


CASES = [
    (SPEC, pets_app.PACKAGE, "tests.fuzzing.pets_app"),
    (ROOT / "tests" / "corpus" / "streams.yaml", streams_app.PACKAGE, "tests.fuzzing.streams_app"),
    (ROOT / "tests" / "corpus" / "uploads.yaml", uploads_app.PACKAGE, "tests.fuzzing.uploads_app"),
    (ROOT / "tests" / "corpus" / "binary.yaml", binary_app.PACKAGE, "tests.fuzzing.binary_app"),
]


def _as_event_objects(spec: Path, folder: Path) -> Path:
    """The spec with each OpenAI-style event stream (`schema`: the data's type) spelled the
    OpenAPI 3.2 way (`itemSchema`: the event object), which is how schemathesis reads an
    event stream's schema. The generated code is the same either way."""
    document = yaml.safe_load(spec.read_text("utf-8"))
    for item in document["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):  # a path's `parameters`
                continue
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get("text/event-stream")
                if media is None or "schema" not in media:
                    continue
                schema = media.pop("schema")
                data: dict[str, Any] = {"type": "string"}
                if schema != {"type": "string"}:
                    data.update(contentMediaType="application/json", contentSchema=schema)
                media["itemSchema"] = {"type": "object", "properties": {"data": data}}
    path = folder / spec.name
    path.write_text(yaml.safe_dump(document), "utf-8")
    return path


def _generate(folder: Path, spec: Path, package: str) -> None:
    styles = ("--style", "fastapi", "--style", "flask")
    result = run_specgen("generate", spec, "--name", package, "--out", folder, *styles)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzed")
    for spec, package, _ in CASES:
        _generate(folder, spec, package)
    return folder


@pytest.mark.parametrize("case", range(len(CASES)), ids=["errors", "streams", "uploads", "binary"])
@pytest.mark.parametrize("factory", ["fastapi_app", "flask_app"])
def test_generated_servers_pass_every_check(
    out: Path, tmp_path: Path, case: int, factory: str
) -> None:
    spec, _, module = CASES[case]
    spec = _as_event_objects(spec, tmp_path)
    report = tmp_path / "junit.xml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(ROOT)])}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "fuzz",
            "--spec",
            str(spec),
            "--app",
            f"{module}:{factory}",
            "--max-examples",
            "40",
            "--seed",
            "7",
            "--header",
            f"Authorization: Bearer {pets_app.TOKEN}",
            "--junit",
            str(report),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    tests, bad = junit_counts(report)
    assert tests >= 4 and bad == 0
