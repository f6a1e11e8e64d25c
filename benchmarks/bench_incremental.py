"""Cold generation against datamodel-codegen's CLI, and one-operation changes against cold,
as whole processes. Run: python benchmarks/bench_incremental.py [SPEC] [--repeat N]
[--synth] [--baseline DIR]

Each round runs every case once, in turn (interleaved), so that a load change from other
jobs on the machine touches all of them alike; the table shows medians over the rounds:
- cold: `specgen generate` with no output folder and no `.specgen-cache/` (default styles);
- datamodel-codegen's CLI on the same spec, models only (skipped when not installed);
- summary edited: one operation's `summary` changed after a generate (cache kept);
- parameter edited: one query parameter marked `deprecated`, likewise.
The spec is copied into a temporary project; the edits are made to the copy. `--synth`
uses synth_spec.py's OpenAI-size spec instead (target: cold in 10 s or less); `--baseline
DIR` adds a cold run of the specgen whose `generator` package is in DIR (say a `git
archive` of main), in the same rounds. `--github` uses GitHub's REST API description (13 MB
of JSON, 1,223 operations) from the npm package @octokit/openapi (pinned below), fetched
with `npm pack` (skipped with a note when npm or the registry is not reachable).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"


CPU: dict[str, list[float]] = {}  # CPU seconds (user + sys, children included) per case


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of `cmd`; its CPU seconds (with its children's) go to CPU["last"]."""
    # Python's bytecode cache on, as by default (this project's machine turns it off).
    env = {k: v for k, v in (env or os.environ).items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    CPU["last"] = [cpu]
    return wall


def record(times: dict[str, list[float]], name: str, wall: float) -> None:
    times.setdefault(name, []).append(wall)
    CPU.setdefault(name, []).append(CPU["last"][0])


GITHUB_PACKAGE = "@octokit/openapi@23.0.2"
GITHUB_FILE = "package/generated/api.github.com.json"


def _is_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def edit_summary(text: str, round_: int) -> str:
    """The first operation summary, renamed per round (so each round is a real change)."""
    if _is_json(text):
        pattern = r'("summary":\s*"(?:[^"\\]|\\.)*)"'
        return re.sub(pattern, rf'\1 (edit {round_})"', text, count=1)
    return re.sub(r"(\n\s+summary: )(.*)", rf"\1\2 (edit {round_})", text, count=1)


def edit_parameter(text: str) -> str:
    """The first query parameter marked deprecated (its code says so)."""
    if _is_json(text):
        found = re.search(r'"in":\s*"query"', text)
        if found is None:
            raise SystemExit("no query parameter to edit in the spec")
        added = f'{found.group()}, "deprecated": true'
        return text[: found.start()] + added + text[found.end() :]
    match = re.search(r"\n(\s+)in: query\n", text)
    if match is None:
        raise SystemExit("no query parameter to edit in the spec")
    indent = match.group(1)
    added = f"{indent}deprecated: true\n"
    block = f"\n{indent}in: query\n{added}"
    return text[: match.start()] + block + text[match.end() :]


def fetch_github() -> str:
    """GitHub's description from its npm package, or exit with a note."""
    sys.path.insert(0, str(Path(__file__).parent))
    from npm_package import pack

    with tempfile.TemporaryDirectory(prefix="specgen-bench-github-") as tmp:
        with tarfile.open(pack(GITHUB_PACKAGE, Path(tmp))) as bundle:
            member = bundle.extractfile(GITHUB_FILE)
            if member is None:
                raise SystemExit(f"{GITHUB_FILE} is not in {GITHUB_PACKAGE}: --github skipped")
            return member.read().decode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--synth", action="store_true", help="the synthetic OpenAI-size spec")
    parser.add_argument("--baseline", type=Path, help="a folder holding another `generator`")
    parser.add_argument("--github", action="store_true", help="GitHub's REST API (npm)")
    args = parser.parse_args()
    if args.github:
        args.spec = Path("api.github.com.json")
        original = fetch_github()
    elif args.synth:
        sys.path.insert(0, str(Path(__file__).parent))
        from synth_spec import synthesize, write_yaml

        args.spec = Path("synthetic.yaml")
        original = write_yaml(synthesize())
    else:
        original = args.spec.read_text("utf-8")
    suffix = args.spec.suffix
    dmcg = Path(sys.executable).parent / "datamodel-codegen"
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="specgen-bench-incr-") as tmp:
        project = Path(tmp) / "this"
        other = Path(tmp) / "baseline"  # its own cache: the edits must find this one's
        for folder in (project, other):
            folder.mkdir()
            (folder / f"spec{suffix}").write_text(original, "utf-8")
            (folder / "pyproject.toml").write_text(
                '[tool.specgen]\noutput = "generated"\n\n[[tool.specgen.api]]\n'
                f'name = "bench"\nspecs = ["spec{suffix}"]\n'
            )
        spec = project / f"spec{suffix}"
        specgen = [sys.executable, "-m", "generator", "generate"]
        for round_ in range(args.repeat):
            spec.write_text(original, "utf-8")
            shutil.rmtree(project / "generated", ignore_errors=True)
            shutil.rmtree(project / ".specgen-cache", ignore_errors=True)
            record(times, "cold", timed(specgen, project))
            if args.baseline is not None:
                shutil.rmtree(other / "generated", ignore_errors=True)
                shutil.rmtree(other / ".specgen-cache", ignore_errors=True)
                env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
                record(times, "baseline", timed(specgen, other, env))
            if dmcg.is_file():
                out = project / "dmcg_models.py"
                cmd = [str(dmcg), "--input", str(spec), "--input-file-type", "openapi"]
                cmd += ["--output-model-type", "pydantic_v2.BaseModel", "--output", str(out)]
                record(times, "dmcg", timed(cmd, project))
            spec.write_text(edit_summary(original, round_), "utf-8")
            record(times, "summary", timed(specgen, project))
            spec.write_text(edit_parameter(original), "utf-8")
            record(times, "parameter", timed(specgen, project))
    med = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in CPU.items() if name != "last"}
    cold = med["cold"]
    load = os.getloadavg()
    print(f"spec: {args.spec} ({len(original) / 1e6:.2f} MB)")
    print(f"median of {args.repeat} interleaved rounds; load average {load[0]:.2f} after")
    print("(cpu: user + sys seconds of the process and its children, median)")
    print(f"{'cold specgen generate':<46} {cold:7.2f} s   cpu {cpu['cold']:5.2f}")
    if "baseline" in med:
        base = med["baseline"]
        print(f"{'cold, baseline specgen':<46} {base:7.2f} s   cpu {cpu['baseline']:5.2f}")
        print(f"{'  cold / baseline':<46} x{cold / base:6.2f}")
    if "dmcg" in med:
        label = "datamodel-codegen CLI (models only)"
        print(f"{label:<46} {med['dmcg']:7.2f} s   cpu {cpu['dmcg']:5.2f}")
        print(f"{'  cold / datamodel-codegen':<46} x{cold / med['dmcg']:6.2f}  (target <= 0.80)")
    else:
        print("datamodel-codegen CLI: not installed beside this Python, skipped")
    for name, label in (("summary", "operation summary edited"), ("parameter", "parameter edited")):
        ratio = f"x{med[name] / cold:5.2f} of cold (target <= 0.30)"
        print(f"{label:<46} {med[name]:7.2f} s   cpu {cpu[name]:5.2f}   {ratio}")
    print("each round, in seconds (how far the medians can be trusted):")
    for name, values in times.items():
        print(f"  {name:<10} " + " ".join(f"{value:5.2f}" for value in values))


if __name__ == "__main__":
    main()
