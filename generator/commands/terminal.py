"""What stderr can show: colour and a progress line on a terminal, plain text elsewhere.

Colour and progress need a terminal, and `NO_COLOR` (https://no-color.org) or `TERM=dumb`
turn both off: then nothing but the text is written, as when stderr is a file or a pipe. The
progress line appears only for runs longer than `PROGRESS_AFTER` seconds (a quick run prints
nothing extra), and it is cleared before the run's own output.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from generator.pipeline import Progress

PROGRESS_AFTER = 2.0  # seconds; SPECGEN_PROGRESS_AFTER overrides it (tests set 0)

_SEVERITY = re.compile(
    r"^(?P<where>.*?)(?P<severity>error|warning|internal error)(?P<code> SG\d+:)", re.M
)
_HINT = re.compile(r"^(  hint:)", re.M)


def styled(stream: TextIO | None = None) -> bool:
    """Whether `stream` (stderr by default) may carry colour and cursor movement."""
    stream = stream or sys.stderr
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def colour_diagnostics(text: str) -> str:
    """Rendered diagnostics with the severity in colour and the location and hint set off."""

    def severity(match: re.Match[str]) -> str:
        colour = "yellow" if match["severity"] == "warning" else "red"
        where = click.style(match["where"], bold=True) if match["where"] else ""
        return where + click.style(match["severity"], fg=colour, bold=True) + match["code"]

    text = _SEVERITY.sub(severity, text)
    return _HINT.sub(lambda m: click.style(m[1], fg="cyan"), text)


@contextmanager
def progress(total: int, *, enabled: bool = True) -> Iterator[Progress]:
    """A callback that reports (API, stage) on a transient status line, shown only on a
    styled terminal, when `enabled` (not with --quiet), and only once the run has taken
    longer than PROGRESS_AFTER seconds."""
    if not enabled or not styled():
        yield lambda _api, _stage: None
        return
    from rich.console import Console  # only when a terminal will show it

    console = Console(stderr=True)
    status = console.status("")
    lock = threading.Lock()
    state: dict[str, Any] = {"text": "starting", "shown": False, "done": 0, "seen": set()}

    def show() -> None:
        with lock:
            if state["shown"] is None:
                return  # finished before the delay ran out
            state["shown"] = True
            status.update(state["text"])
            status.start()

    def report(api: str, stage: str) -> None:
        with lock:
            seen: set[str] = state["seen"]
            seen.add(api)
            count = f" ({len(seen)}/{total} APIs)" if total > 1 else ""
            state["text"] = f"{api}: {stage}{count}"
            if state["shown"]:
                status.update(state["text"])

    delay = float(os.environ.get("SPECGEN_PROGRESS_AFTER", PROGRESS_AFTER))
    timer = threading.Timer(delay, show)
    timer.daemon = True
    timer.start()
    try:
        yield report
    finally:
        timer.cancel()
        with lock:
            if state["shown"]:
                status.stop()
            state["shown"] = None
