"""Streamed responses in the TypeScript client: the stream runtime's parsers under Node
(`streams_unit.mjs`: SSE to the HTML standard and JSON lines, bodies cut at every byte), the
types a client of tests/corpus/streams.yaml gives under tsc --strict (both layouts), and the
compiled client driven by Node (`streams_calls.mjs`) against the generated FastAPI server
over a socket: typed, untyped and JSON-lines streams, SSE fields, items as they are made, the
JSON-or-stream operation, typed errors before streaming, and a loop left early closing the
connection (the server closes the handler's iterator).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.functional.conftest import run_specgen
from tests.typescript.helpers import REPO, Tsc, build, serving, write_package

SPEC = REPO / "tests" / "corpus" / "streams.yaml"
NAME = "ts_streams_e2e"
HERE = Path(__file__).parent
PAUSE = 1.5  # seconds between the two tokens of `count=2`: the client sees the first before


def _node_test(node: str, script: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(script)],
        env={**os.environ, **env, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stream_parsers_under_node(node: str, tsc: Tsc, tmp_path: Path) -> None:
    package = write_package(build("streams", [SPEC]), tmp_path / "streams")
    tsc.check(package)  # emits dist/streams.js, which the script imports
    _node_test(node, HERE / "streams_unit.mjs", {"SPECGEN_TS_DIST": str(package / "dist")})


USE = """import { Client, Stream, type StreamEvent } from "./index.js";
import type * as models from "./models.js";

export async function use(client: Client): Promise<string> {
  const answer = await client.complete({ body: { prompt: "x", stream: true } });
  let text = answer instanceof Stream ? "" : answer.text;
  if (answer instanceof Stream) {
    for await (const chunk of answer) {
      text += chunk.delta;
    }
  }
  for await (const event of (await client.streamTokens({ count: 2 })).events()) {
    const e: StreamEvent<models.Token> = event;
    text += e.data.text + e.event + (e.id ?? "") + String(e.retry ?? 0);
  }
  for await (const line of await client.ticker()) {
    text += line.toUpperCase();
  }
  const logs: Stream<models.LogLine> = await client.tailLogs();
  await logs.close();
  return text;
}
"""
MISUSE = """import { Client } from "./index.js";

export async function misuse(client: Client): Promise<string> {
  const answer = await client.complete({ body: { prompt: "x" } });
  return answer.text;
}
"""


@pytest.mark.parametrize("layout", ["module", "tags"])
def test_stream_types_under_tsc_strict(tsc: Tsc, tmp_path: Path, layout: str) -> None:
    """Streamed operations return `Stream<Item>`, the JSON-or-stream one
    `Completion | Stream<Chunk>`, which must be narrowed before use."""
    project = write_package(build("streams", [SPEC]), tmp_path / layout, layout=layout)
    use = USE if layout == "module" else USE.replace("client.", "client.default_.")
    (project / "src" / "use.ts").write_text(use, encoding="utf-8")
    tsc.check(project, "--noEmit")
    misuse = MISUSE if layout == "module" else MISUSE.replace("client.", "client.default_.")
    (project / "src" / "use.ts").write_text(misuse, encoding="utf-8")
    result = tsc.run("-p", project, "--noEmit")
    errors = [line for line in result.stdout.splitlines() if "error TS" in line]
    assert len(errors) == 1, result.stdout
    assert "'text' does not exist on type 'Completion | Stream<Chunk>'" in errors[0]


class Probe:
    """What the handlers tell the test, across threads."""

    def __init__(self) -> None:
        self.closed: set[int] = set()  # counts of the token streams closed early
        self.made: dict[int, int] = {}  # count asked -> tokens made


def _handlers(pkg: dict[str, ModuleType], probe: Probe) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    class Streams(h.Handlers):  # type: ignore[misc, name-defined]
        async def complete(self, request: Any) -> Any:
            if not request.body.stream:
                return h.Complete200JsonResponse(body=models.Completion(text="hello world"))

            async def chunks() -> AsyncIterator[Any]:
                for index, delta in enumerate(["hello", " ", "world"]):
                    yield models.Chunk(index=index, delta=delta)

            return h.Complete200EventsResponse(body=chunks())

        async def stream_tokens(self, request: Any) -> Any:
            count = request.count

            async def tokens() -> AsyncIterator[Any]:
                made = 0
                try:
                    for n in range(count):
                        yield h.Event(
                            data=models.Token(id=n, text=f"t{n}"),
                            event="token",
                            id=str(n),
                            retry=2500,
                        )
                        made += 1
                        await asyncio.sleep(PAUSE if count == 2 else 0.05)
                finally:
                    probe.made[count] = made
                    if made < count:
                        probe.closed.add(count)

            return h.StreamTokens200EventsResponse(body=tokens())

        async def ticker(self, request: Any) -> Any:
            async def ticks() -> AsyncIterator[str]:
                yield "line one\nline two"
                yield "done"

            return h.Ticker200EventsResponse(body=ticks())

        async def tail_logs(self, request: Any) -> Any:
            async def lines() -> AsyncIterator[Any]:
                yield models.LogLine(level="info", message="started")
                yield models.LogLine(level="error", message="failed: {x}")

            return h.TailLogs200LinesResponse(body=lines())

    return Streams()


@pytest.fixture
def pkg(tmp_path: Path) -> Iterator[tuple[dict[str, ModuleType], Path]]:
    """The generated FastAPI server (imported) and TypeScript client (its folder)."""
    styles = ("--style", "fastapi", "--style", "typescript")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", tmp_path, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        modules = {
            m: importlib.import_module(f"{NAME}.{m}") for m in ("models", "handlers", "server")
        }
        yield modules, tmp_path / NAME / "typescript"
    finally:
        sys.path.remove(str(tmp_path))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


@contextmanager
def probe_server(probe: Probe) -> Iterator[str]:
    """`GET /closed/<count>` answers whether that token stream was closed early: the Node
    script waits on it, so the close is the client's doing, not its process ending."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            closed = self.path.rsplit("/", 1)[-1] in {str(c) for c in probe.closed}
            body = json.dumps(closed).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_node_streams_from_the_generated_server(
    node: str, tsc: Tsc, pkg: tuple[dict[str, ModuleType], Path]
) -> None:
    modules, client = pkg
    tsc.check(client)
    probe = Probe()
    app = modules["server"].create_app(_handlers(modules, probe))
    with serving(app) as url, probe_server(probe) as probe_url:
        config = {
            "url": url,
            "module": str(client / "dist" / "index.js"),
            "pauseMs": PAUSE * 1000,
            "probeUrl": probe_url,
        }
        _node_test(node, HERE / "streams_calls.mjs", {"SPECGEN_TS_STREAMS": json.dumps(config)})
    # The client left (break; an aborted signal): the server closed the handlers' iterators
    # before they made all their tokens.
    assert {40, 50} <= probe.closed, probe.made
    assert probe.made[2] == 2 and probe.made[3] == 3
