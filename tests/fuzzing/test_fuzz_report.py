"""`specgen fuzz`'s report as a user reads it: reproduction commands that work against a
server they can start, specgen's options in hints, secrets as placeholders, the app's
tracebacks in their own file. Real CLI runs against a deliberately broken app (few examples,
fixed seed), then the rewriting itself on schemathesis's lines."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from generator.apps import free_port, serve_in_thread
from generator.fuzz_report import Report, secrets_of
from tests.fuzzing.broken_app import KEY, crashing_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = KEY  # the broken app's API key
API_KEY = "k-77c1e0-api"
HEADERS = ("--header", f"Authorization: Bearer {TOKEN}", "--header", f"X-Api-Key: {API_KEY}")
APP = "tests.fuzzing.broken_app:crashing_app"


def specgen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    paths = os.pathsep.join([str(ROOT / "generated"), str(ROOT)])
    env = {**os.environ, "PYTHONPATH": paths, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def fuzz(*args: str) -> subprocess.CompletedProcess[str]:
    return specgen("fuzz", "--api", "martian", "--max-examples", "3", "--seed", "7", *args)


def curl_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("curl ")]


def assert_usable(result: subprocess.CompletedProcess[str], junit: Path) -> None:
    """What every report must be: no secret, no schemathesis-only hint, no traceback."""
    report = junit.read_text("utf-8")
    for text in (result.stdout, result.stderr, report):
        assert TOKEN not in text and API_KEY not in text
        assert "Traceback" not in text
        assert not re.search(r"(^|\s|`)st (replay|explain)", text, re.M)
        assert "--auth" not in text and "`-H`" not in text
    ET.fromstring(report)  # still valid XML


def test_app_report_reproduces_against_specgen_serve(tmp_path: Path) -> None:
    junit, log = tmp_path / "junit.xml", tmp_path / "app.log"
    result = fuzz("--app", APP, *HEADERS, "--junit", str(junit), "--app-log", str(log))

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert_usable(result, junit)
    curls = curl_lines(result.stdout)
    failures = "".join(f.text or "" for f in ET.parse(junit).iter("failure"))
    assert curls and curls == curl_lines(failures)
    for curl in curls:
        assert "http://127.0.0.1:8000/v1/feedback" in curl
        assert '-H "Authorization: Bearer $SPECGEN_TOKEN"' in curl
        assert '-H "X-Api-Key: $SPECGEN_X_API_KEY"' in curl
    assert f"specgen serve --app {APP} --port 8000" in result.stdout
    assert "export SPECGEN_TOKEN=..." in result.stdout
    # The app's tracebacks are in its own file, named after the report.
    assert result.stdout.rstrip().endswith(str(log))
    assert "RuntimeError: the handler crashed" in log.read_text("utf-8")

    if shutil.which("curl") is not None:
        assert _reproduce(curls[0]) == "500"


def _reproduce(curl: str) -> str:
    """The reported command, run as the report says (on a free port instead of 8000)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)])}
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--app", APP, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "specgen serve did not start"
                time.sleep(0.05)
        command = curl.replace(":8000/", f":{port}/") + " -s -o /dev/null -w '%{http_code}'"
        env = {**os.environ, "SPECGEN_TOKEN": TOKEN, "SPECGEN_X_API_KEY": API_KEY}
        done = subprocess.run(
            ["bash", "-c", command], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=15)


def test_url_report_names_the_url(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with serve_in_thread(crashing_app()) as url:
        result = fuzz("--url", url, *HEADERS, "--junit", str(junit))

    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    assert_usable(result, junit)
    assert all(f"{url}/v1/feedback" in curl for curl in curl_lines(result.stdout))
    assert "specgen serve" not in result.stdout and "app's log" not in result.stdout


def test_default_app_log_is_a_temporary_file(tmp_path: Path) -> None:
    result = fuzz("--app", APP, *HEADERS, "--junit", str(tmp_path / "junit.xml"))
    assert result.returncode == 1
    match = re.search(r"The app's log \(\d+ lines, (\d+) tracebacks?\): (\S+)$", result.stdout)
    assert match, result.stdout[-1000:]
    log = Path(match[2])
    try:
        assert int(match[1]) >= 1 and "Traceback" in log.read_text("utf-8")
    finally:
        log.unlink()


def test_missing_auth_hint_names_specgen_options(tmp_path: Path) -> None:
    """No key configured: every request is answered 401, and the hint says how to send one."""
    junit = tmp_path / "junit.xml"
    result = fuzz("--app", "reference.app:martian_app", "--junit", str(junit))
    assert "Authentication failed" in result.stdout, result.stdout[-3000:]
    assert "Send valid credentials with `--header 'Authorization: Bearer ...'`" in result.stdout
    assert "--auth" not in result.stdout
    assert "no API key configured" not in result.stdout + result.stderr  # in the app's log


# --- the rewriting, line by line ---------------------------------------------------------------

REPORT = Report(
    contract="/tmp/specgen-fuzz-x/contract.json",
    folder="/tmp/specgen-fuzz-x",
    specs="specs/a.yaml",
    secrets=secrets_of(["Authorization: Bearer tok-123", "X-Tenant: acme"]),
    served_origin="http://127.0.0.1:41181",
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            " ✅  Loaded specification from /tmp/specgen-fuzz-x/contract.json (in",
            " ✅  Loaded specification from specs/a.yaml (in",
        ),
        ("     Configuration:    /tmp/specgen-fuzz-x/schemathesis.toml", None),
        (
            "     Base URL:         http://127.0.0.1:41181/v1",
            "     Base URL:         http://127.0.0.1:41181/v1  (--app, served for this run only)",
        ),
        (
            "curl -X GET -H 'Authorization: [Filtered]' -H 'X-Tenant: acme' "
            "http://127.0.0.1:41181/v1/a?q=tok-123",
            'curl -X GET -H "Authorization: Bearer $SPECGEN_TOKEN" '
            '-H "X-Tenant: $SPECGEN_X_TENANT" '
            "http://127.0.0.1:8000/v1/a?q=<SPECGEN_TOKEN>",
        ),
        ("    st replay LVnTVD", None),
        ("For more information, run `st explain ST108`.", None),
        (
            "💡 Ensure valid authentication credentials are set via `--auth` or `-H`",
            "💡 Send valid credentials with `--header 'Authorization: Bearer ...'`",
        ),
        ("Record every request sent with `--report=har`.", None),
        ("Bypass SSL verification with `--tls-verify=false`.", None),
        (  # specgen has the option: kept
            "Tip: Check that the API is running; set the address with `--url`.",
            "Tip: Check that the API is running; set the address with `--url`.",
        ),
    ],
)
def test_line(line: str, expected: str | None) -> None:
    assert REPORT.line(line) == expected


def test_a_dropped_line_takes_its_blank_line() -> None:
    lines = ["    curl x", "", "    st replay ID", "", "=== SUMMARY ==="]
    assert list(REPORT.rewrite(lines)) == ["    curl x", "", "=== SUMMARY ==="]


def test_secrets_of() -> None:
    secrets = secrets_of(["Authorization: Basic dXNlcg==", "authorization: Bearer b"])
    assert [(s.value, s.variable, s.header_value) for s in secrets] == [
        ("dXNlcg==", "SPECGEN_TOKEN", "Basic $SPECGEN_TOKEN"),
        ("b", "SPECGEN_TOKEN_2", "Bearer $SPECGEN_TOKEN_2"),
    ]
    (password,) = secrets_of([], "http://me:pw-1@example.com")
    assert (password.value, password.variable) == ("pw-1", "SPECGEN_URL_PASSWORD")
