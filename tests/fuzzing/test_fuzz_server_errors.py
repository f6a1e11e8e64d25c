"""schemathesis, every check, through `specgen fuzz --app`, against both generated servers of
tests/corpus/server_errors.yaml: declared error responses (problem+json, JSON error schemas,
text, ranges, default), 405 with Allow, 415 for text and binary bodies, and routes under the
spec's base path (`/v2`), which `specgen fuzz` adds to the served app's URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import run_specgen
from tests.fuzzing.pets_app import PACKAGE, TOKEN
from tests.fuzzing.test_fuzz_reference import junit_counts

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "corpus" / "server_errors.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pets")
    styles = ("--style", "fastapi", "--style", "flask")
    result = run_specgen("generate", SPEC, "--name", PACKAGE, "--out", folder, *styles)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.parametrize("factory", ["fastapi_app", "flask_app"])
def test_generated_servers_pass_every_check(out: Path, tmp_path: Path, factory: str) -> None:
    report = tmp_path / "junit.xml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(ROOT)])}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "fuzz",
            "--spec",
            str(SPEC),
            "--app",
            f"tests.fuzzing.pets_app:{factory}",
            "--max-examples",
            "40",
            "--seed",
            "7",
            "--header",
            f"Authorization: Bearer {TOKEN}",
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
    assert tests >= 5 and bad == 0
