"""Requests per second of the generated servers against the same endpoint written by hand
with the same models (FastAPI under uvicorn, Flask under gunicorn), on the Martian feedback
operation. Run: python benchmarks/bench_server.py [--seconds S] [--repeat N] [--connections C]

Each app runs in its own server process (one worker) on 127.0.0.1; the load generator is wrk
(Debian's `wrk` package) when installed, else a Python loop of keep-alive connections (which
measures less precisely: it shares the cores with the server). Runs alternate between the
apps and each number is the median of N runs; the ratio is generated over hand-written (the
target is 0.9 or more). Every response must be 200: a run with any other status fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "mk-bench"
EVENT_ID = "0190e7b1-0000-7000-8000-000000000001"
# (seed, request path, body): the feedback operation of each seed API.
OPERATIONS = (
    (
        "braintrust",
        "/v1/project_logs/0190e7b1-0000-7000-8000-0000000000aa/feedback",
        json.dumps(
            {
                "feedback": [
                    {
                        "id": EVENT_ID,
                        "scores": {"accuracy": 0.9, "helpful": 1},
                        "comment": "Correct but could include more detail",
                        "metadata": {"source": "bench"},
                        "source": "api",
                        "tags": ["bench"],
                    }
                ]
            }
        ),
    ),
    (
        "martian",
        "/v1/feedback",
        json.dumps(
            [
                {
                    "id": EVENT_ID,
                    "feedback": {
                        "helpful": True,
                        "rating": 4.5,
                        "accuracy": {"score": 4, "reason": "Correct but with less detail"},
                    },
                }
            ]
        ),
    ),
)
# framework -> (server process, hand-written factory)
FRAMEWORKS = {"FastAPI": ("uvicorn", "hand_fastapi"), "Flask": ("gunicorn", "hand_flask")}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(server: str, factory: str) -> Iterator[str]:
    port = _free_port()
    target = f"benchmarks.server.apps:{factory}"
    if server == "uvicorn":
        command = ["-m", "uvicorn", target, "--factory", "--port", str(port)]
        command += ["--log-level", "warning", "--no-access-log"]
    else:
        command = ["-m", "gunicorn", f"{target}()", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "1", "--log-level", "warning"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)])}
    process = subprocess.Popen([sys.executable, *command], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url)
                break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{factory} did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def _post(client: httpx.Client, url: str, body: str) -> httpx.Response:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
    return client.post(url, content=body, headers=headers)


def wrk(url: str, body: str, seconds: float, connections: int) -> float:
    script = (
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = "Bearer {TOKEN}"\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                handle.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(handle.name)
    if "Non-2xx" in done.stdout:
        raise RuntimeError(f"responses other than 200:\n{done.stdout}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if found is None:
        raise RuntimeError(done.stdout + done.stderr)
    return float(found.group(1))


def python_loop(url: str, body: str, seconds: float, connections: int) -> float:
    count = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        nonlocal count
        with httpx.Client() as client:
            while time.monotonic() < stop:
                if _post(client, url, body).status_code != 200:
                    raise RuntimeError("a response other than 200")
                with lock:
                    count += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count / (time.monotonic() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    load = wrk if shutil.which("wrk") else python_loop
    frameworks = dict(FRAMEWORKS)
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        print("gunicorn is not installed (pip install gunicorn): the Flask rows are skipped")
        del frameworks["Flask"]
    runs: dict[tuple[str, str, str], list[float]] = {}
    for _ in range(args.repeat):
        for framework, (server, hand) in frameworks.items():
            for seed, path, body in OPERATIONS:
                generated = f"{seed}_{framework.lower()}"
                for who, factory in (("generated", generated), ("hand-written", hand)):
                    with serving(server, factory) as url:
                        # Warm up, and make sure it answers 200 before it is measured.
                        if _post(httpx.Client(), url + path, body).status_code != 200:
                            raise RuntimeError(f"{factory} does not answer 200 on {path}")
                        load(url + path, body, 1.0, args.connections)
                        rate = load(url + path, body, args.seconds, args.connections)
                        runs.setdefault((framework, seed, who), []).append(rate)
    print(
        f"load: {load.__name__}, {args.connections} connections, {args.seconds:g} s per run, "
        f"median of {args.repeat}"
    )
    print("| framework | operation | generated (req/s) | hand-written (req/s) | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for framework in frameworks:
        for seed, _, _ in OPERATIONS:
            generated_rate = statistics.median(runs[(framework, seed, "generated")])
            hand_rate = statistics.median(runs[(framework, seed, "hand-written")])
            print(
                f"| {framework} | {seed} feedback | {generated_rate:,.0f} | {hand_rate:,.0f} "
                f"| {generated_rate / hand_rate:.2f} |"
            )


if __name__ == "__main__":
    main()
