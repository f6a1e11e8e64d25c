"""Run the proxy: uvicorn on a bound socket in a thread, until SIGINT/SIGTERM or the request
limit; then the summary, the JUnit report and the exit code (1 if any violation)."""

from __future__ import annotations

import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TextIO

import uvicorn

from generator.diagnostics import SpecError, error
from generator.proxy.app import ProxyApp
from generator.proxy.contract import Contract
from generator.proxy.report import Reporter, write_junit

EXIT_OK, EXIT_VIOLATIONS = 0, 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class ProxySettings:
    upstream: str  # the base URL requests are forwarded to
    host: str = "127.0.0.1"
    port: int = 8000  # 0: any free port (the first line says which)
    junit: Path | None = None
    max_requests: int | None = None  # stop after this many exchanges


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port`; SpecError SG624 when it cannot be."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
    except OSError as exc:
        message = f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        hint = "choose another --port (0: any free one) or stop what uses this one"
        raise SpecError([error("SG624", message, hint)]) from None
    return sock


def run_proxy(contract: Contract, settings: ProxySettings, out: TextIO = sys.stderr) -> int:
    sock = listen(settings.host, settings.port)
    reporter = Reporter(out, settings.max_requests)
    app = ProxyApp(contract, settings.upstream, reporter)
    config = uvicorn.Config(
        app,
        lifespan="on",
        log_level="warning",
        access_log=False,
        server_header=False,  # the upstream's headers only
        date_header=False,
        ws="none",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)

    def stop(_signal: int = 0, _frame: FrameType | None = None) -> None:
        server.force_exit = server.should_exit  # a second Ctrl-C does not wait for streams
        server.should_exit = True

    reporter.on_limit = stop
    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    try:
        thread.start()
        while not server.started and thread.is_alive():
            time.sleep(0.01)
        host, port = sock.getsockname()[:2]
        shown = f"[{host}]" if ":" in host else host
        out.write(
            f"specgen proxy: listening on http://{shown}:{port}, forwarding to "
            f"{settings.upstream} ({len(contract.operations)} operation(s))\n"
        )
        out.flush()
        while thread.is_alive():  # wakes up for the signal handlers, which run here
            thread.join(0.2)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    out.write(reporter.summary() + "\n")
    out.flush()
    if settings.junit is not None:
        write_junit(settings.junit, reporter, contract.title)
    return EXIT_VIOLATIONS if reporter.violations else EXIT_OK
