"""SIGKILL a write at chosen and at random moments: the folder must stay old or new, never mixed.

The child process wraps one `os` function (in the child only) so it stops right after its
n-th call, which pins the kill to a precise step: while building the staging folder, between
the two renames, after the swap, while deleting the retired copy.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.write import MANIFEST_NAME, write_package

REPO = Path(__file__).resolve().parents[3]

CHILD = """
import json, os, sys, time
from pathlib import Path
from generator.write import write_package

out, hook, after = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
files = json.loads(sys.stdin.read())
if hook != "none":
    real = getattr(os, hook)
    calls = 0

    def stall(*args, **kwargs):
        global calls
        result = real(*args, **kwargs)
        calls += 1
        if calls == after:
            print("HOOK", flush=True)
            time.sleep(600)
        return result

    setattr(os, hook, stall)
print("START", flush=True)
write_package(out, files)
print("DONE", flush=True)
"""

OLD = {f"pkg/m{i:03}.py": f"old {i}\n" for i in range(150)} | {"gone.py": "old only\n"}
NEW = {f"pkg/m{i:03}.py": f"new {i}\n" for i in range(150)} | {"fresh/x.py": "new only\n"}


def snapshot(root: Path) -> dict[str, str] | None:
    if not root.exists():
        return None
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def prepare(out: Path) -> None:
    write_package(out, OLD)
    (out / "user.txt").write_text("never lose me")


def expected_states(tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    reference = tmp_path / "reference" / "out"
    prepare(reference)
    old = snapshot(reference)
    write_package(reference, NEW)
    new = snapshot(reference)
    assert old is not None and new is not None
    assert old["user.txt"] == new["user.txt"] and MANIFEST_NAME in new
    return old, new


def start_child(out: Path, hook: str, after: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(out), hook, str(after)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(json.dumps(NEW))
    child.stdin.close()
    assert child.stdout.readline() == "START\n"
    return child


def kill(child: subprocess.Popen[str]) -> None:
    child.kill()  # SIGKILL: no finally blocks, no cleanup
    child.wait()


def describe(state: dict[str, str] | None, old: dict[str, str], new: dict[str, str]) -> str:
    if state is None:
        return "missing"
    return "old" if state == old else "new" if state == new else "mixed"


def check_then_recover(out: Path, old: dict[str, str], new: dict[str, str]) -> None:
    state = snapshot(out)
    print("killed with the folder", describe(state, old, new))
    if state is None:
        # Killed between the two renames: the next run must bring back the complete old tree.
        assert any(".specgen-old-" in name for name in os.listdir(out.parent))
        assert not write_package(out, OLD).changed
        assert snapshot(out) == old
    else:
        assert describe(state, old, new) in ("old", "new")
    write_package(out, NEW)
    assert snapshot(out) == new
    assert os.listdir(out.parent) == [out.name]


@pytest.mark.parametrize(
    ("hook", "after", "state"),
    [
        ("fsync", 40, "old"),  # part-way through writing the staging folder
        ("rename", 1, "missing"),  # old folder moved aside, new one not yet in place
        ("rename", 2, "new"),  # swapped, retired copy not yet deleted
        ("unlink", 30, "new"),  # retired copy half deleted
    ],
)
def test_kill_at_each_step_leaves_old_or_new(
    tmp_path: Path, hook: str, after: int, state: str
) -> None:
    old, new = expected_states(tmp_path)
    out = tmp_path / "gen" / "out"
    prepare(out)
    child = start_child(out, hook, after)
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "HOOK\n"
    finally:
        kill(child)
    assert describe(snapshot(out), old, new) == state
    check_then_recover(out, old, new)


@pytest.mark.parametrize("seed", range(6))
def test_kill_at_a_random_moment(tmp_path: Path, seed: int) -> None:
    old, new = expected_states(tmp_path)
    out = tmp_path / "gen" / "out"
    prepare(out)
    child = start_child(out, "none", 0)
    try:
        time.sleep(random.Random(seed).uniform(0.0, 0.3))
    finally:
        kill(child)
    check_then_recover(out, old, new)
