"""Colour and progress on a terminal (a real pseudo-terminal), plain text with NO_COLOR or
when stderr is not a terminal (the snapshot tests pin that text exactly)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from tests.functional.conftest import REPO

ESC = b"\x1b["
SPEC = REPO / "specs" / "martian" / "feedback.yaml"


def on_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, bytes]:
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={
            **{k: v for k, v in os.environ.items() if k != "NO_COLOR"},
            "PYTHONPATH": str(REPO),
            **env,
        },
    )
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif child.poll() is not None:
            break
    child.wait(timeout=120)
    os.close(leader)
    return child.returncode, output


def test_diagnostics_are_coloured_on_a_terminal(tmp_path: Path) -> None:
    code, output = on_terminal(["validate", "missing.yaml"], tmp_path)
    assert code == 2
    assert ESC + b"31m" in output  # the severity in red
    assert b"error" in output and b"SG100" in output


def test_no_colour_with_no_color(tmp_path: Path) -> None:
    code, output = on_terminal(["validate", "missing.yaml"], tmp_path, NO_COLOR="1")
    assert code == 2 and ESC not in output
    assert output.replace(b"\r\n", b"\n").startswith(b"missing.yaml: error SG100: file not found\n")


def test_progress_shows_the_stage_of_a_long_run(tmp_path: Path) -> None:
    """SPECGEN_PROGRESS_AFTER=0 makes every run long enough; the status line names the API
    and its stage, and is cleared before the report."""
    args = ["generate", str(SPEC), "--name", "m", "--out", "out"]
    code, output = on_terminal(args, tmp_path, SPECGEN_PROGRESS_AFTER="0")
    assert code == 0, output
    assert b"m: " in output and (b"rendering" in output or b"formatting" in output)
    assert output.rstrip().endswith(b"deleted)")  # the report comes last, on its own
    code, plain = on_terminal(
        [*args, "--force"], tmp_path, SPECGEN_PROGRESS_AFTER="0", NO_COLOR="1"
    )
    assert code == 0 and ESC not in plain and b"rendering" not in plain
