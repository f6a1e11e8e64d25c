"""Import time of generated code on the full Braintrust API, in both layouts.
Run: python benchmarks/bench_import.py [SPEC] [--repeat N]

Generates the spec (fastapi, flask and httpx styles) once per layout into a temporary folder,
then imports each module in a fresh interpreter N times, with bytecode caching on (as an
installed package runs; the first import compiles and is not counted), and prints the best
time per module. `models` is datamodel-code-generator's output (Pydantic classes): it is the
floor every other module builds on, so each row also shows its ratio to `models`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"
MODULES = ("models", "handlers", "client", "server", "flask_server")
NAME = "bench_api"


def generate(spec: Path, out: Path, layout: str) -> None:
    styles = [arg for style in ("fastapi", "flask", "httpx") for arg in ("--style", style)]
    command = [sys.executable, "-m", "generator", "generate", str(spec), "--name", NAME]
    command += ["--out", str(out), *styles, "--layout", layout, "-q"]
    subprocess.run(command, check=True, cwd=ROOT)


def import_seconds(out: Path, module: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(out)
    code = (
        "import time; start = time.perf_counter()\n"
        f"import {NAME}.{module}\n"
        "print(time.perf_counter() - start)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=out, capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.spec.name}: best of {args.repeat} fresh interpreters, bytecode cached")
    print(f"{'layout':8} {'module':14} {'seconds':>8} {'vs models':>10}")
    for layout in ("module", "tags"):
        with tempfile.TemporaryDirectory(prefix="specgen-bench-import-") as tmp:
            out = Path(tmp)
            generate(args.spec, out, layout)
            for module in MODULES:
                import_seconds(out, module)  # compile once, write the bytecode
            best = {
                module: min(import_seconds(out, module) for _ in range(args.repeat))
                for module in MODULES
            }
            for module, seconds in best.items():
                ratio = seconds / best["models"]
                print(f"{layout:8} {module:14} {seconds:8.2f} {ratio:10.2f}")


if __name__ == "__main__":
    main()
