"""Nothing lost: SIGKILL a real `specgen generate` while it writes, then run it again.

The child is the real CLI; only `os.fsync` is slowed (in the child) so the write takes long
enough to be caught in the middle: the test polls for the staging folder
`.case.specgen-new-<token>` next to the package and kills the process once files land in it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.hostile.helpers import REPO, run_specgen

SLOW_WRITER = """
import os, sys, time
real = os.fsync
def slow(fd):
    real(fd)
    time.sleep(0.25)
os.fsync = slow
from generator.cli import main
sys.argv = ["specgen", *sys.argv[1:]]
main()
"""

OLD = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    Pet: {type: object, properties: {name: {type: string}}}
"""
NEW = OLD.replace(
    "components:",
    "  /owners:\n    get:\n      operationId: listOwners\n"
    '      responses:\n        "204": {description: none}\ncomponents:',
)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _staging(out: Path) -> list[Path]:
    return sorted(out.glob(".case.specgen-new-*"))


def test_killed_mid_write_leaves_the_old_output_and_the_next_run_recovers(
    tmp_path: Path,
) -> None:
    spec, out = tmp_path / "api.yaml", tmp_path / "out"
    args = ("generate", "api.yaml", "--name", "case", "--out", "out")
    spec.write_text(OLD, "utf-8")
    assert run_specgen(*args, cwd=tmp_path).returncode == 0
    (out / "case" / "notes.txt").write_text("the user's own file", "utf-8")
    old = _tree(out / "case")

    spec.write_text(NEW, "utf-8")
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and child.poll() is None:
            staging = _staging(out)
            if staging and any(p.is_file() for p in staging[0].rglob("*")):
                break
            time.sleep(0.005)
        assert child.poll() is None, "the run ended before it could be killed mid-write"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    # Killed mid-write: the package is the old one, byte for byte, its manifest and generation
    # record included (both land in the same swap); the unfinished build is still next to it.
    assert _tree(out / "case") == old
    assert _staging(out), "the kill came after the staging folder was gone"

    # The next run removes the leftover and writes the new package; the user's file stays.
    again = run_specgen(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["case"]
    new = _tree(out / "case")
    assert new["notes.txt"] == b"the user's own file"
    assert b"list_owners" in new["client.py"] and b"list_owners" not in old["client.py"]
    for tree, operations in ((old, ["listPets"]), (new, ["listOwners", "listPets"])):
        record = json.loads(tree[".specgen-manifest.json"])["generation"]
        assert sorted(record["operations"]) == operations
