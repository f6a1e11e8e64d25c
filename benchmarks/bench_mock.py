"""`specgen mock` against Prism, the mock server users would otherwise pick: start-up time
(first run, which generates the package, and later runs, from the cache) and requests per
second on a GET and a POST of the same spec. Run:

    python benchmarks/bench_mock.py [--spec FILE] [--repeat N] [--seconds S]

The spec defaults to the full Braintrust spec (../shared/specs). Prism (`@stoplight/prism-cli`
5, Node) is installed from the npm registry into ~/.cache/specgen-bench/prism when npm is
here, else its column says why it is missing. Each server runs in its own process on
127.0.0.1; start-up is the wall time from launch until it answers; wrk (Debian's package)
loads each for S seconds with 16 connections, when installed. Medians of N runs; ratios are
specgen over Prism (start-up: lower is better; requests per second: higher is better).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = ROOT.parent / "shared" / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"
PRISM_DIR = Path.home() / ".cache" / "specgen-bench" / "prism"
AUTH = {"Authorization": "Bearer bench"}
# (method, path, JSON body): operations of the Braintrust spec; another spec needs its own.
REQUESTS = (
    ("GET", "/v1/project", None),
    ("POST", "/v1/project", '{"name": "bench"}'),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def start(
    command: list[str], port: int, env: dict[str, str]
) -> tuple[subprocess.Popen[bytes], float]:
    """Launch a server; the seconds until it answers a request."""
    began = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        if process.poll() is not None:
            raise SystemExit(f"{command[0]} exited {process.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/project", headers=AUTH, timeout=1)
            return process, time.perf_counter() - began
        except httpx.TransportError:
            time.sleep(0.02)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def specgen_command(spec: Path, port: int) -> list[str]:
    script = Path(sys.executable).parent / "specgen"
    return [str(script), "mock", str(spec), "--port", str(port), "--api-key", "bench"]


def prism_command(spec: Path, port: int) -> list[str] | None:
    binary = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if not binary.exists() and shutil.which("npm"):
        PRISM_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(PRISM_DIR),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "@stoplight/prism-cli@5",
            ],
            check=False,
        )
    if not binary.exists():
        return None
    return [str(binary), "mock", str(spec), "-p", str(port), "-h", "127.0.0.1"]


def throughput(port: int, seconds: int) -> list[float]:
    """Requests per second of each of REQUESTS, with wrk (empty when wrk is missing)."""
    if shutil.which("wrk") is None:
        return []
    rates = []
    for method, path, body in REQUESTS:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(f'wrk.method = "{method}"\n')
            script.write('wrk.headers["Authorization"] = "Bearer bench"\n')
            if body is not None:
                script.write('wrk.headers["Content-Type"] = "application/json"\n')
                script.write(f"wrk.body = '{body}'\n")
        result = subprocess.run(
            [
                "wrk",
                "-t1",
                "-c16",
                f"-d{seconds}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        os.unlink(script.name)
        line = next(x for x in result.stdout.splitlines() if x.startswith("Requests/sec"))
        if "Non-2xx" in result.stdout:
            raise SystemExit(f"non-2xx answers from {method} {path}:\n{result.stdout}")
        rates.append(float(line.split()[1]))
    return rates


def measure(
    command_of: Callable[[Path, int], list[str] | None],
    spec: Path,
    repeat: int,
    seconds: int,
    fresh_cache: bool,
) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"cold": [], "warm": [], "rps": []}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "SPECGEN_MOCK_CACHE": cache}
            for phase in ("cold", "warm"):
                if phase == "cold" and not fresh_cache:
                    continue
                port = free_port()
                command = command_of(spec, port)
                assert command is not None
                process, elapsed = start(command, port, env)
                results[phase].append(elapsed)
                if phase == "warm":
                    results["rps"].extend(throughput(port, seconds))
                stop(process)
    return results


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    ours = measure(specgen_command, args.spec, args.repeat, args.seconds, fresh_cache=True)
    probe = prism_command(args.spec, free_port())
    theirs = (
        measure(prism_command, args.spec, args.repeat, args.seconds, fresh_cache=False)
        if probe is not None
        else None
    )
    print(f"spec: {args.spec.name}, medians of {args.repeat}")
    cold, warm = median(ours["cold"]), median(ours["warm"])
    print(f"specgen mock start-up: first run {cold:.2f} s, cached {warm:.2f} s")
    if theirs is None:
        print("Prism: not installed (npm missing or the install failed)")
        return
    prism_start = median(theirs["warm"])
    ratio = warm / prism_start
    print(f"Prism start-up: {prism_start:.2f} s; ratio (specgen cached / Prism) {ratio:.2f}")
    for index, (method, path, _) in enumerate(REQUESTS):
        mine = median(ours["rps"][index :: len(REQUESTS)])
        prism = median(theirs["rps"][index :: len(REQUESTS)])
        ratio = mine / prism
        print(
            f"{method} {path}: specgen {mine:.0f} req/s, Prism {prism:.0f} req/s, ratio {ratio:.2f}"
        )


if __name__ == "__main__":
    main()
