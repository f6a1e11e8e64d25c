"""Many APIs in one project: `specgen generate` over N APIs (the seed and real-world specs
under several names), cold on one core and on all of them, then with one spec changed, and
a no-op `generate`/`check`. Run: python benchmarks/bench_many.py [--apis N] [--repeat R]

Every number is the median of R whole `python -m generator` processes in a temporary project
(styles fastapi and httpx). "one core" sets SPECGEN_JOBS=1; "all cores" leaves the default
(the cores this process may use). The ratios the targets are about: all cores over one core
(cold), one changed API over cold (the untouched APIs cost a cache lookup), no-op over cold.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "specs" / "realworld"
# Single-file specs, each copied under several API names.
SPECS = (
    ROOT / "specs" / "martian" / "feedback.yaml",
    ROOT / "specs" / "braintrust" / "experiment_feedback.yaml",
    ROOT / "specs" / "braintrust" / "project_logs_feedback.yaml",
    SHARED / "text-generation-inference.json",
    SHARED / "resend.yaml",
)


def project(folder: Path, count: int) -> list[Path]:
    """A project of `count` APIs; returns the spec file of each."""
    lines = ['[tool.specgen]\noutput = "generated"\nstyles = ["fastapi", "httpx"]\n']
    files = []
    for n in range(count):
        source = SPECS[n % len(SPECS)]
        spec = folder / f"api{n:02d}{source.suffix}"
        shutil.copy(source, spec)
        files.append(spec)
        lines.append(f'[[tool.specgen.api]]\nname = "api{n:02d}"\nspecs = ["{spec.name}"]\n')
    (folder / "pyproject.toml").write_text("\n".join(lines))
    return files


def specgen(folder: Path, *args: str, jobs: int | None = None) -> float:
    # Python's bytecode cache on, as by default (this project's machine turns it off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if jobs is not None:
        env["SPECGEN_JOBS"] = str(jobs)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", *args, "-q"]
        if args[0] == "generate"
        else [sys.executable, "-m", "generator", *args],
        cwd=folder,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def clean(folder: Path) -> None:
    shutil.rmtree(folder / "generated", ignore_errors=True)
    shutil.rmtree(folder / ".specgen-cache", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apis", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="specgen-bench-many-") as tmp:
        folder = Path(tmp)
        specs = project(folder, args.apis)
        for _ in range(args.repeat):
            for label, jobs in (("cold, one core", 1), ("cold, all cores", None)):
                clean(folder)
                rows.setdefault(label, []).append(specgen(folder, "generate", jobs=jobs))
            rows.setdefault("no-op generate", []).append(specgen(folder, "generate"))
            rows.setdefault("no-op check", []).append(specgen(folder, "check"))
            changed = specs[0]
            changed.write_text(changed.read_text("utf-8") + "\n# changed\n", "utf-8")
            rows.setdefault("one API changed", []).append(specgen(folder, "generate"))
    medians = {label: statistics.median(times) for label, times in rows.items()}
    print(f"{args.apis} APIs, medians of {args.repeat}, {os.cpu_count()} cores")
    for label, value in medians.items():
        print(f"  {label:18} {value:7.2f} s")
    one, cores = medians["cold, one core"], medians["cold, all cores"]
    print(f"  all cores / one core (cold): {cores / one:.2f}")
    print(f"  one API changed / cold:      {medians['one API changed'] / cores:.3f}")
    print(f"  no-op generate / cold:       {medians['no-op generate'] / cores:.3f}")
    print(f"  no-op check / cold:          {medians['no-op check'] / cores:.3f}")


if __name__ == "__main__":
    main()
