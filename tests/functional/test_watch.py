"""`specgen generate --watch`: a real process, real files, real file-system events. It
regenerates on a spec, config or template change (one line each), survives a broken spec, and
exits 0 on Ctrl-C (SIGINT)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.functional.conftest import REPO

SPEC = (REPO / "specs" / "martian" / "feedback.yaml").read_text("utf-8")
CONFIG = """\
[tool.specgen]
output = "out"
templates = ["templates"]

[[tool.specgen.api]]
name = "m"
specs = ["spec.yaml"]
"""


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Watcher:
    def __init__(self, project: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "generate", "--watch"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            # A shell's background job (`pytest &`) ignores SIGINT, and children inherit
            # that; the watch must get Ctrl-C as a terminal would send it.
            preexec_fn=_default_sigint,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stderr,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.put(line.rstrip("\n"))

    def drain(self) -> list[str]:
        seen: list[str] = []
        while not self.lines.empty():
            seen.append(self.lines.get())
        return seen

    def quiet(self, seconds: float = 1.5, limit: float = 30) -> None:
        """Wait until the watcher has said nothing for `seconds`."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                self.lines.get(timeout=seconds)
            except queue.Empty:
                return

    def wait_for(self, text: str, timeout: float = 60) -> list[str]:
        """The lines up to the first containing `text`."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no {text!r} within {timeout} s; saw {seen}")


def test_watch_regenerates_on_each_change_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
    (tmp_path / "pyproject.toml").write_text(CONFIG, "utf-8")
    (tmp_path / "templates").mkdir()
    watcher = Watcher(tmp_path)
    try:
        watcher.wait_for("watching for changes")
        handlers = tmp_path / "out" / "m" / "handlers.py"
        assert handlers.is_file()

        (tmp_path / "spec.yaml").write_text(SPEC.replace("title: ", "title: Renamed "), "utf-8")
        (line,) = watcher.wait_for("spec.yaml changed")[-1:]
        assert "m: " in line and "written" in line
        assert "Renamed" in handlers.read_text("utf-8")

        (tmp_path / "spec.yaml").write_text(SPEC + "\nbroken: [\n", "utf-8")
        seen = watcher.wait_for("failed with")
        assert any("SG101" in line for line in seen) and "Renamed" in handlers.read_text("utf-8")

        (tmp_path / "spec.yaml").write_text(SPEC, "utf-8")
        watcher.wait_for("spec.yaml changed")
        assert "Renamed" not in handlers.read_text("utf-8")

        # A template folder is watched too: a user template overrides the package __init__.
        package = tmp_path / "templates" / "package"
        package.mkdir()
        (package / "__init__.py.jinja").write_text('{{ header }}\n"""Ours."""\n', "utf-8")
        watcher.wait_for("templates/package")  # the new folder, or the file in it
        assert '"""Ours."""' in (tmp_path / "out" / "m" / "__init__.py").read_text("utf-8")
    finally:
        watcher.quiet()  # a regeneration still running for the last event ends first
        watcher.process.send_signal(signal.SIGINT)
        try:
            watcher.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.process.kill()
            said = watcher.drain()
            raise AssertionError(f"Ctrl-C did not stop the watch; it said {said}") from None
    assert watcher.process.returncode == 0
    watcher.wait_for("stopped watching", timeout=5)
