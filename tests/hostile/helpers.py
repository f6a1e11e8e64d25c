"""Helpers for the hostile-input tests: the real CLI in a subprocess, output normalised.

Nothing here touches the network: specs that name URLs must be refused before any fetch.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("SPECGEN_UPDATE_SNAPSHOTS") == "1"
MAX_LINES = 25  # one screen
# Location first: `file:line:col /pointer: error CODE: message` (the pointer may be absent
# for files refused before parsing).
LOCATED = re.compile(
    r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+)(?: (?P<pointer>/.*?))?: error "
    r"(?P<code>SG\d{3}): "
)


def run_specgen(
    *args: str | Path,
    cwd: Path = REPO,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` with the interpreter running the tests."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=timeout,
        check=False,
        preexec_fn=preexec_fn,
    )


def normalise(text: str, roots: Sequence[Path]) -> str:
    """Replace machine-specific folders by placeholders (longest first)."""
    pairs = [(str(root.resolve()), f"<{name}>") for name, root in _named(roots)]
    pairs += [(str(root), f"<{name}>") for name, root in _named(roots)]
    for path, placeholder in sorted(pairs, key=lambda p: -len(p[0])):
        text = text.replace(path, placeholder)
    return text


def _named(roots: Sequence[Path]) -> list[tuple[str, Path]]:
    return [("tmp", root) for root in roots] + [("repo", REPO)]


def compare_snapshot(name: str, actual: str) -> None:
    """Compare with tests/hostile/snapshots/NAME.txt (SPECGEN_UPDATE_SNAPSHOTS=1 rewrites)."""
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE_SNAPSHOTS:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(actual, "utf-8", newline="")
        return
    assert path.is_file(), f"no snapshot {path}; run with SPECGEN_UPDATE_SNAPSHOTS=1 to write it"
    expected = path.read_text("utf-8")
    assert actual == expected, (
        f"stderr differs from {path.relative_to(REPO)} (SPECGEN_UPDATE_SNAPSHOTS=1 rewrites it)"
        f":\n--- expected\n{expected}\n--- actual\n{actual}"
    )


def check_error_screen(stderr: str, code: str, *, pointer: bool = True) -> None:
    """One screen, located first, a hint after each error, no traceback or internal repr."""
    assert "Traceback" not in stderr, stderr
    assert "RecursionError" not in stderr, stderr
    assert not re.search(r"<[^<>]* at 0x[0-9a-f]+>", stderr), stderr
    # Only "\n" ends a line on a terminal (str.splitlines also splits at U+2028 and others).
    lines = stderr.rstrip("\n").split("\n")
    assert 1 <= len(lines) <= MAX_LINES, stderr
    located = LOCATED.match(lines[0])
    assert located, f"location does not come first: {lines[0]!r}"
    assert located["code"] == code, lines[0]
    assert int(located["line"]) > 0 and int(located["col"]) > 0, lines[0]
    if pointer:
        assert located["pointer"], f"no JSON pointer: {lines[0]!r}"
    for index, line in enumerate(lines):
        if " error SG" in line and not line.startswith("  "):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            assert following.startswith("  hint: ") and following[8:].strip(), (
                f"no hint after {line!r}"
            )
