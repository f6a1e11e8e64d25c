"""Contract fuzzing of the reference servers with schemathesis, every check enabled.

In process (schemathesis over ASGI) for every operation of every seed API, once over a real
socket through `specgen fuzz --url`, once through `specgen fuzz --app`, and against broken
handler variants that must make the run fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import checks as st_checks

from generator.fuzz import serve_in_thread
from reference.app import (
    Settings,
    create_braintrust_app,
    create_braintrust_flask_app,
    create_martian_app,
    create_martian_flask_app,
)

ROOT = Path(__file__).resolve().parents[2]
KEY = "fuzz-key"
KNOWN = tuple(uuid.UUID(int=n) for n in range(1, 4))
EXAMPLES = int(os.environ.get("SPECGEN_FUZZ_MAX_EXAMPLES", "200"))

st_checks.load_all_checks()
ALL_CHECKS = st_checks.CHECKS.get_all()


def braintrust() -> FastAPI:
    return create_braintrust_app(Settings(api_keys=(KEY,)))


def martian() -> FastAPI:
    return create_martian_app(Settings(api_keys=(KEY,), inference_ids=KNOWN))


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)

braintrust_schema = schemathesis.openapi.from_asgi("/openapi.json", braintrust())
martian_schema = schemathesis.openapi.from_asgi("/openapi.json", martian())
AUTH = {"Authorization": f"Bearer {KEY}"}


@braintrust_schema.parametrize()
@FUZZ_SETTINGS
def test_braintrust_reference_in_process(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=ALL_CHECKS)


@martian_schema.parametrize()
@FUZZ_SETTINGS
def test_martian_reference_in_process(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=ALL_CHECKS)


def specgen_fuzz(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    paths = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
    env = {**os.environ, "PYTHONPATH": paths, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", "fuzz", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def junit_counts(path: Path) -> tuple[int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    return tests, bad


@pytest.fixture
def martian_url() -> Iterator[str]:
    with serve_in_thread(martian()) as url:
        yield url


def test_martian_over_a_socket_with_the_cli(martian_url: str, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = specgen_fuzz(
        "--api",
        "martian",
        "--url",
        martian_url,
        "--max-examples",
        "50",
        "--seed",
        "7",
        "--header",
        f"Authorization: Bearer {KEY}",
        "--junit",
        str(report),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    tests, bad = junit_counts(report)
    assert tests >= 1 and bad == 0


def test_braintrust_app_factory_with_the_cli(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = specgen_fuzz(
        "--api",
        "braintrust",
        "--app",
        "reference.app:braintrust_app",
        "--max-examples",
        "30",
        "--seed",
        "7",
        "--junit",
        str(report),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    tests, bad = junit_counts(report)
    assert tests >= 2 and bad == 0


@pytest.mark.parametrize("factory", ["wrong_body_app", "undeclared_status_app"])
def test_broken_handlers_fail_the_run(factory: str, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = specgen_fuzz(
        "--api",
        "martian",
        "--app",
        f"tests.fuzzing.broken_app:{factory}",
        "--max-examples",
        "20",
        "--seed",
        "7",
        "--header",
        "Authorization: Bearer fuzz-key",
        "--junit",
        str(report),
    )
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    _, bad = junit_counts(report)
    assert bad >= 1


# --- the same reference handlers served by Flask (WSGI) ---------------------------------------

braintrust_wsgi = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_braintrust_flask_app(Settings(api_keys=(KEY,)))
)
martian_wsgi = schemathesis.openapi.from_wsgi(
    "/openapi.json", create_martian_flask_app(Settings(api_keys=(KEY,), inference_ids=KNOWN))
)


@braintrust_wsgi.parametrize()
@FUZZ_SETTINGS
def test_braintrust_reference_on_flask(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=ALL_CHECKS)


@martian_wsgi.parametrize()
@FUZZ_SETTINGS
def test_martian_reference_on_flask(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH, checks=ALL_CHECKS)


def test_martian_flask_over_a_socket_with_the_cli(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = specgen_fuzz(
        "--api",
        "martian",
        "--app",
        "reference.app:martian_flask_app",
        "--max-examples",
        "30",
        "--seed",
        "7",
        "--header",
        f"Authorization: Bearer {KEY}",
        "--junit",
        str(report),
        env={"SPECGEN_API_KEYS": KEY, "SPECGEN_INFERENCE_IDS": ",".join(map(str, KNOWN))},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    tests, bad = junit_counts(report)
    assert tests >= 1 and bad == 0
