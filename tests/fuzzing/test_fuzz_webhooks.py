"""schemathesis, every check, through `specgen fuzz --app`, against both generated webhook
receivers of tests/corpus/webhooks.yaml (two webhooks and a callback).

A webhook has no path in the spec, and schemathesis fuzzes paths: the contract it reads is
the one the receiver serves at /openapi.json (`webhooks.openapi.json` in the package: the
webhooks and callbacks as paths at their default mount, `/webhooks/<name>` and
`/webhooks/<operationId>/<callback>`, beside the components). That
is the generated contract itself, not a copy made for the test, so the fuzzer checks what a
subscriber's tools would read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.functional.conftest import run_specgen
from tests.fuzzing import webhooks_app
from tests.fuzzing.test_fuzz_reference import junit_counts

pytestmark = pytest.mark.slow  # minutes of schemathesis runs; in CI, not the fast lane

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "corpus" / "webhooks.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzzed-webhooks")
    styles = ("--style", "fastapi", "--style", "flask")
    result = run_specgen("generate", SPEC, "--name", webhooks_app.PACKAGE, "--out", folder, *styles)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.mark.parametrize("factory", ["fastapi_app", "flask_app"])
def test_generated_webhook_receivers_pass_every_check(
    out: Path, tmp_path: Path, factory: str
) -> None:
    contract = out / webhooks_app.PACKAGE / "webhooks.openapi.json"
    report = tmp_path / "junit.xml"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(ROOT)])}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "fuzz",
            "--spec",
            str(contract),
            "--app",
            f"tests.fuzzing.webhooks_app:{factory}",
            "--max-examples",
            "40",
            "--seed",
            "7",
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
    assert tests >= 2 and bad == 0
