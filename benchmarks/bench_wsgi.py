"""Microseconds per request of the generated Flask servers against the same endpoint written
by hand (benchmarks/server/apps.py), in process: each WSGI app called directly with a prepared
request, no server and no socket, so that the difference is the apps' own. Run:
python benchmarks/bench_wsgi.py [--batches N] [--size S] [--gunicorn] [--root DIR]

The apps take turns in batches of S requests and each batch is timed in this thread's CPU
time (other jobs on the machine slow it less than wall time); the table shows the medians of
N batches, the difference, and the generated app's rate as a share of the hand-written one's.
`--gunicorn` also runs gunicorn's own per-request Python work around each call (its parser on
the raw request, the environ it builds, its response writer into a null socket), whose code
evicts the apps' from the CPU caches between requests as a server does. `--root` measures the
apps of another checkout (its `generated/` and `benchmarks/`), e.g. `git worktree add` of an
older commit, to compare before and after in the same conditions.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def wsgi_call(app: Any, path: str, body: str, token: str) -> Callable[[], None]:
    """One request to `app` as a WSGI server makes it (the environ prepared once)."""
    from werkzeug.test import EnvironBuilder

    raw = body.encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    builder = EnvironBuilder(path=path, method="POST", data=raw, headers=headers)
    environ = builder.get_environ()
    builder.close()
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    def call() -> None:
        answer = app({**environ, "wsgi.input": io.BytesIO(raw)}, start_response)
        b"".join(answer)
        if hasattr(answer, "close"):
            answer.close()
        if not statuses.pop().startswith("200"):
            raise RuntimeError(f"{path}: a response other than 200")

    return call


def gunicorn_call(app: Any, path: str, body: str, token: str) -> Callable[[], None]:
    """One request to `app` through gunicorn's parser, environ and response writer."""
    from gunicorn.config import Config
    from gunicorn.http import wsgi
    from gunicorn.http.parser import RequestParser

    class NullSocket:
        def sendall(self, data: bytes) -> None:
            pass

        def send(self, data: bytes) -> int:
            return len(data)

    raw = body.encode()
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(raw)}\r\n\r\n"
    ).encode() + raw
    config = Config()
    peer, server = ("127.0.0.1", 50000), ("127.0.0.1", 8000)

    def call() -> None:
        parsed = next(RequestParser(config, iter([request]), peer))
        response, environ = wsgi.create(parsed, NullSocket(), peer, server, config)
        response.force_close()
        answer = app(environ, response.start_response)
        for chunk in answer:
            response.write(chunk)
        response.close()
        if hasattr(answer, "close"):
            answer.close()
        if response.status_code != 200:
            raise RuntimeError(f"{path}: a response other than 200")

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--gunicorn", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root / "generated"), str(root)]
    from benchmarks.bench_server import OPERATIONS, TOKEN
    from benchmarks.server import apps

    make = gunicorn_call if args.gunicorn else wsgi_call
    print(f"{'gunicorn around each call' if args.gunicorn else 'WSGI calls'}, {root}")
    print("| operation | generated (µs) | hand-written (µs) | difference (µs) | rate ratio |")
    print("| --- | --- | --- | --- | --- |")
    for seed, path, body in OPERATIONS:
        calls = {
            "generated": make(getattr(apps, f"{seed}_flask")(), path, body, TOKEN),
            "hand-written": make(apps.hand_flask(), path, body, TOKEN),
        }
        for call in calls.values():
            for _ in range(300):  # warm up: imports, caches, the thread's event loop
                call()
        times: dict[str, list[float]] = {who: [] for who in calls}
        for _ in range(args.batches):
            for who, call in calls.items():
                start = time.thread_time_ns()
                for _ in range(args.size):
                    call()
                times[who].append((time.thread_time_ns() - start) / args.size / 1000)
        generated = statistics.median(times["generated"])
        hand = statistics.median(times["hand-written"])
        ratio = statistics.median(
            h / g for g, h in zip(times["generated"], times["hand-written"], strict=True)
        )
        print(
            f"| {seed} feedback | {generated:.1f} | {hand:.1f} | {generated - hand:.1f} "
            f"| {ratio:.2f} |"
        )


if __name__ == "__main__":
    main()
