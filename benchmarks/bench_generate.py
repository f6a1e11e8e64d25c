"""Generation time on the full Braintrust API, per stage, against the tools a user would
otherwise pick. Run: python benchmarks/bench_generate.py [SPEC] [--repeat N]

Compared in the same run, on the same spec:
- specgen: the whole pipeline (models + server + client, formatted), and each stage;
- datamodel-codegen's CLI on the same spec (models only: the part of our output it makes);
- openapi-python-client and fastapi-code-generator when installed (skipped otherwise).
Prints best-of-N seconds and the ratio to specgen's total.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.build.api import build_api
from generator.config import ApiConfig
from generator.load import load_spec
from generator.pipeline import Options, render_api
from generator.render.package import render_package
from generator.validate import validate
from generator.write.formatting import format_python

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"


def best_of(repeat: int, func: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def stages(spec_path: Path, repeat: int) -> dict[str, float]:
    spec, _ = load_spec([spec_path])
    validated = validate(spec)
    api = build_api("bench", validated.document, spec)
    files = render_package(api)
    return {
        "load": best_of(repeat, lambda: load_spec([spec_path])),
        "validate": best_of(repeat, lambda: validate(spec)),
        "build IR": best_of(repeat, lambda: build_api("bench", validated.document, spec)),
        "render (incl. datamodel-code-generator)": best_of(repeat, lambda: render_package(api)),
        "format (ruff)": best_of(repeat, lambda: format_python(files)),
    }


def executable(name: str) -> str | None:
    """A tool's script beside the running interpreter (its venv's bin, which need not be on
    PATH), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def external(cmd: list[str], repeat: int) -> float | None:
    found = executable(cmd[0])
    if found is None:
        return None

    def run() -> None:
        subprocess.run([found, *cmd[1:]], check=True, capture_output=True)

    return best_of(repeat, run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    spec: Path = args.spec
    config = ApiConfig(name="bench", specs=(spec,), output=Path(tempfile.mkdtemp()))
    # No memo: each repeat is a cold run (the memos would answer every repeat but the first).
    total = best_of(args.repeat, lambda: render_api(config, Options(memo=False)))
    rows: list[tuple[str, float | None]] = [("specgen, whole pipeline (in memory)", total)]
    rows += [(f"  specgen stage: {name}", t) for name, t in stages(spec, args.repeat).items()]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        rows.append(
            (
                "datamodel-codegen CLI (models only)",
                external(
                    [
                        "datamodel-codegen",
                        "--input",
                        str(spec),
                        "--input-file-type",
                        "openapi",
                        "--output-model-type",
                        "pydantic_v2.BaseModel",
                        "--output",
                        str(out / "models.py"),
                    ],
                    args.repeat,
                ),
            )
        )
        rows.append(
            (
                "openapi-python-client generate",
                external(
                    [
                        "openapi-python-client",
                        "generate",
                        "--path",
                        str(spec),
                        "--output-path",
                        str(out / "opc"),
                        "--overwrite",
                    ],
                    args.repeat,
                ),
            )
        )
        rows.append(
            (
                "fastapi-codegen",
                external(
                    ["fastapi-codegen", "--input", str(spec), "--output", str(out / "fcg")],
                    args.repeat,
                ),
            )
        )
    print(f"spec: {spec} (best of {args.repeat}, Python {sys.version.split()[0]})")
    for name, seconds in rows:
        if seconds is None:
            print(f"{name:<48} not installed")
        else:
            print(f"{name:<48} {seconds:7.2f} s   x{seconds / total:5.2f} of specgen")


if __name__ == "__main__":
    main()
