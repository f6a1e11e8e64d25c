"""A real history: two published versions of the Braintrust API, compared by the real CLI.

The expected changes (data/braintrust_history_expected.json) were verified by reading both
files; each entry says which lines show it. The run must take a few seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.diff.helpers import REPO, run_cli

SPECS = REPO.parent / "shared" / "specs" / "braintrust-full"
OLD, NEW = SPECS / "spec-2024-11-05.yaml", SPECS / "spec-2026-07-01.yaml"
EXPECTED = json.loads(
    (Path(__file__).parent / "data" / "braintrust_history_expected.json").read_text("utf-8")
)
MAX_SECONDS = 20.0  # typically 4-6 s on two cores; generous for a loaded CI machine

pytestmark = pytest.mark.skipif(
    not (OLD.is_file() and NEW.is_file()), reason=f"the Braintrust history is not in {SPECS}"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    started = time.perf_counter()
    result = run_cli("diff", OLD, NEW, "--format", "json", cwd=tmp_path_factory.mktemp("h"))
    seconds = time.perf_counter() - started
    print(f"\nspecgen diff of the Braintrust history: {seconds:.1f} s")
    assert result.returncode == 0, result.stderr
    assert seconds < MAX_SECONDS, f"took {seconds:.1f} s"
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def _matches(change: dict[str, Any], want: dict[str, Any]) -> bool:
    op = change["operation"] or {}
    checks = [
        "id" not in want or change["id"] == want["id"],
        "method" not in want or op.get("method") == want["method"],
        "path" not in want or op.get("path") == want["path"],
        "pointer" not in want or change["pointer"] == want["pointer"],
        "side" not in want or change["side"] == want["side"],
        "severity" not in want or change["severity"] == want["severity"],
        "message" not in want or want["message"] in change["message"],
    ]
    return all(checks)


def _name(want: dict[str, Any]) -> str:
    return f"{want.get('id', '*')} {want.get('method', '')} {want.get('path', '')}".strip()


@pytest.mark.parametrize("want", EXPECTED["expected"], ids=_name)
def test_expected_change_is_reported(report: dict[str, Any], want: dict[str, Any]) -> None:
    found = [c for c in report["changes"] if _matches(c, want)]
    assert found, f"not reported: {want}"
    for change in found:
        assert change["location"], change  # every change points into a file


@pytest.mark.parametrize("want", EXPECTED["absent"], ids=_name)
def test_wrong_readings_are_not_reported(report: dict[str, Any], want: dict[str, Any]) -> None:
    assert not [c for c in report["changes"] if _matches(c, want)]


def test_summary_is_consistent(report: dict[str, Any]) -> None:
    counts = {s: sum(c["severity"] == s for c in report["changes"]) for s in report["summary"]}
    assert counts == report["summary"]
    assert report["summary"]["breaking"] > 0


def test_identical_pair_reports_nothing(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = run_cli("diff", NEW, NEW, "--format", "json", "--fail-on", "warning", cwd=tmp_path)
    print(f"\nspecgen diff NEW NEW: {time.perf_counter() - started:.1f} s")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "summary": {"breaking": 0, "warning": 0, "info": 0},
        "changes": [],
    }
