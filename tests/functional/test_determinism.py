"""Determinism: the generated tree does not depend on Python's hash seed.

Set and dict iteration order of str keys changes with PYTHONHASHSEED; any place where the
generator lets it leak into output (names, ordering, imports) shows up as a difference here.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("0", "1", "12345", "random")
APIS = {
    "braintrust": (
        "specs/braintrust/experiment_feedback.yaml",
        "specs/braintrust/project_logs_feedback.yaml",
    ),
    "martian": ("specs/martian/feedback.yaml",),
}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _generate(name: str, specs: tuple[str, ...], seed: str, out: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "generate", *specs, "--name", name, "--out", out],
        cwd=REPO,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f"PYTHONHASHSEED={seed}: {result.stderr}"


def _first_difference(a: dict[str, bytes], b: dict[str, bytes]) -> str:
    if set(a) != set(b):
        return f"different files: {sorted(set(a) ^ set(b))}"
    for path in sorted(a):
        if a[path] != b[path]:
            diff = difflib.unified_diff(
                a[path].decode("utf-8", "replace").splitlines(keepends=True),
                b[path].decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=path,
                tofile=path,
            )
            return "".join(list(diff)[:80])
    return ""


@pytest.mark.parametrize("name", sorted(APIS))
def test_output_is_independent_of_hash_seed(tmp_path: Path, name: str) -> None:
    outs = {seed: tmp_path / f"seed-{seed}" for seed in SEEDS}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = [pool.submit(_generate, name, APIS[name], seed, out) for seed, out in outs.items()]
        for run in runs:
            run.result()
    trees = {seed: _tree(out / name) for seed, out in outs.items()}
    reference = trees[SEEDS[0]]
    assert len(reference) > 5, "suspiciously few generated files"
    for seed in SEEDS[1:]:
        difference = _first_difference(reference, trees[seed])
        assert not difference, (
            f"PYTHONHASHSEED={SEEDS[0]} and PYTHONHASHSEED={seed} differ:\n{difference}"
        )
