"""`specgen fuzz` (schemathesis, every check) against the orders implementation of
tests/corpus/models_read_write_only.yaml on both generated servers: its positive data never
sends readOnly properties and it reads writeOnly ones as absent from responses, which the
servers must agree with; a server that sends the writeOnly secret fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.functional.conftest import run_specgen

pytestmark = pytest.mark.slow  # minutes of schemathesis runs; in CI, not the fast lane

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "corpus" / "models_read_write_only.yaml"
STYLES = ("--style", "fastapi", "--style", "flask", "--style", "httpx")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("orders")
    result = run_specgen("generate", SPEC, "--name", "orders_rw", "--out", out, *STYLES)
    assert result.returncode == 0, result.stderr
    return out


def _fuzz(generated: Path, factory: str, report: Path) -> tuple[int, int, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), str(ROOT)])}
    app = f"tests.e2e.orders_impl:{factory}"
    options = ("--max-examples", "40", "--seed", "7", "--junit", str(report))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "fuzz", "--spec", str(SPEC), "--app", app, *options],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    assert result.returncode == (1 if bad else 0), result.stdout[-3000:] + result.stderr[-2000:]
    return tests, bad, result.stdout[-3000:] + result.stderr[-2000:]


@pytest.mark.parametrize("factory", ["create_fastapi_app", "create_flask_app"])
def test_orders_pass_every_check(generated: Path, factory: str, tmp_path: Path) -> None:
    tests, bad, output = _fuzz(generated, factory, tmp_path / "junit.xml")
    assert tests >= 3 and bad == 0, output


def test_a_server_sending_the_secret_fails_the_run(generated: Path, tmp_path: Path) -> None:
    _, bad, output = _fuzz(generated, "leaky_fastapi_app", tmp_path / "junit.xml")
    assert bad >= 1, output
