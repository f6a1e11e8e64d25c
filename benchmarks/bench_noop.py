"""A no-op `specgen generate` / `specgen check` (nothing changed) against a cold one, on the
full Braintrust API. Run: python benchmarks/bench_noop.py [SPEC] [--repeat N]

Every number is the median of N whole `python -m generator` processes in a temporary project
(default styles). Cold generate starts from no output folder and no cache; "full pipeline"
rows are the no-op run as it costs without the cache (`--no-cache`); "cache hit" rows answer
from `.specgen-cache/`. The ratio is the hit over the cold run of the same command (the
target is 0.05 or less).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"


def specgen(project: Path, *args: str) -> float:
    # Python's bytecode cache on, as by default (this project's machine turns it off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def median_of(repeat: int, before: Callable[[], object], run: Callable[[], float]) -> float:
    times = []
    for _ in range(repeat):
        before()
        times.append(run())
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="specgen-bench-noop-") as tmp:
        project = Path(tmp)
        (project / "pyproject.toml").write_text(
            '[tool.specgen]\noutput = "generated"\n\n[[tool.specgen.api]]\n'
            f'name = "braintrust"\nspecs = ["{args.spec.resolve().as_posix()}"]\n'
        )

        def clear() -> None:
            shutil.rmtree(project / "generated", ignore_errors=True)
            shutil.rmtree(project / ".specgen-cache", ignore_errors=True)

        def nothing() -> None:
            pass

        cold = median_of(args.repeat, clear, lambda: specgen(project, "generate"))
        rows = [
            ("generate, cold (no output, no cache)", cold, cold),
            (
                "generate, no-op, full pipeline (--no-cache)",
                median_of(args.repeat, nothing, lambda: specgen(project, "generate", "--no-cache")),
                cold,
            ),
        ]
        specgen(project, "generate")  # leaves the cache entry
        rows.append(
            (
                "generate, no-op, cache hit",
                median_of(args.repeat, nothing, lambda: specgen(project, "generate")),
                cold,
            )
        )
        check_cold = median_of(
            args.repeat, nothing, lambda: specgen(project, "check", "--no-cache")
        )
        rows.append(("check, full pipeline (--no-cache)", check_cold, check_cold))
        rows.append(
            (
                "check, cache hit",
                median_of(args.repeat, nothing, lambda: specgen(project, "check")),
                check_cold,
            )
        )
    print(f"spec: {args.spec} (median of {args.repeat} processes, Python {sys.version.split()[0]})")
    for name, seconds, base in rows:
        print(f"{name:<46} {seconds:7.2f} s   x{seconds / base:6.3f} of cold")


if __name__ == "__main__":
    main()
