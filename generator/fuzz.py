"""Contract fuzzing: schemathesis against a live URL or an app served from this process.

Apps may be ASGI (FastAPI) or WSGI (Flask); uvicorn serves both.

The fuzzer is schemathesis's own runner (`st run`: examples, coverage, fuzzing and stateful
phases, every check, JUnit reports), pointed at the contract as specgen reads it: the bundled
document with version mixes resolved, written to a temporary file. An app given as
`module:factory` is served on 127.0.0.1 by uvicorn in a background thread for the run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.apps import capture_log, load_app, serve_in_thread
from generator.build.jsonschema import contract_document
from generator.build.servers import build_servers
from generator.commands.common import shown_path
from generator.fuzz_contract import METHODS, fuzz_document
from generator.fuzz_report import Report, secrets_of
from generator.pipeline import Options, load_and_validate

ALL_CHECKS = "all"


@dataclass(frozen=True)
class FuzzSettings:
    max_examples: int = 100
    seed: int | None = None
    headers: tuple[str, ...] = ()  # "Name: value"
    junit: Path | None = None
    checks: str = ALL_CHECKS
    workers: int = 1
    app_log: Path | None = None  # --app: where the app's log goes (None: a temporary file)
    extra_args: tuple[str, ...] = field(default=())


def write_contract(specs: Sequence[Path], options: Options, folder: Path) -> tuple[Path, str]:
    """The contract of `specs` as one JSON file in `folder` (`generator.fuzz_contract`), and
    the base path the generated servers mount its routes under."""
    _, validated, _ = load_and_validate(specs, options)
    contract = contract_document(validated.document)
    servers = build_servers(contract)
    path = folder / "contract.json"
    path.write_text(json.dumps(fuzz_document(contract)), "utf-8")
    return path, servers[0].base_path if servers else ""


# schemathesis's own settings for the run: no crash files in the user's folder (the report's
# `st replay` hints would point at them), no schemathesis.toml of theirs read implicitly, and
# the hooks that read a form body as the server gets it (`generator.fuzz_hooks`).
SCHEMATHESIS_CONFIG = 'hooks = "generator.fuzz_hooks"\n\n[cache]\nenabled = false\n'


def schemathesis_command(
    contract: Path, base_url: str, settings: FuzzSettings, config: Path | None = None
) -> list[str]:
    command = [sys.executable, "-m", "schemathesis.cli"]
    if config is not None:
        command += ["--config-file", str(config)]
    command += [
        "run",
        str(contract),
        "--url",
        base_url,
        "--checks",
        settings.checks,
        "--max-examples",
        str(settings.max_examples),
        "--workers",
        str(settings.workers),
        "--no-color",
        "--generation-database",
        "none",
    ]
    if settings.seed is not None:
        command += ["--seed", str(settings.seed)]
    for header in settings.headers:
        command += ["--header", header]
    if settings.junit is not None:
        command += ["--report", "junit", "--report-junit-path", str(settings.junit)]
    return [*command, *settings.extra_args]


def run_fuzz(contract: Path, base_url: str, settings: FuzzSettings, report: Report) -> int:
    """Run schemathesis, its report rewritten (`generator.fuzz_report`) on our stdout as it
    streams. 0: no failure; 1: failures; 2: error."""
    config = contract.parent / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG, "utf-8")
    # A pipe is no terminal: keep the user's width, and UTF-8 for schemathesis's symbols.
    columns = str(shutil.get_terminal_size().columns)
    env = {**os.environ, "COLUMNS": columns, "PYTHONIOENCODING": "utf-8"}
    with subprocess.Popen(
        schemathesis_command(contract, base_url, settings, config),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        encoding="utf-8",
        errors="replace",
    ) as process:
        assert process.stdout is not None
        try:
            for line in report.rewrite(line.rstrip("\n") for line in process.stdout):
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
        except BaseException:
            process.terminate()  # Ctrl-C, or our stdout closed: stop the run too
            raise
    if settings.junit is not None and settings.junit.is_file():
        report.rewrite_junit(settings.junit)
    return process.returncode if process.returncode in (0, 1) else 2


def fuzz(
    specs: Sequence[Path],
    options: Options,
    settings: FuzzSettings,
    *,
    app: str | None = None,
    url: str | None = None,
    import_paths: Sequence[Path] = (),
    config: Path | None = None,
) -> int:
    """Fuzz `url`, or `app` served on a free port; with `app`, the app's log goes to
    `settings.app_log` (default: a temporary file kept only when something was logged)."""
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as tmp:
        contract, base_path = write_contract(specs, options, Path(tmp))
        if not has_operations(contract):
            # schemathesis calls a run without tests an error; here nothing can break.
            print("specgen fuzz: the spec declares no operations, there is nothing to fuzz")
            return 0
        report = Report(
            contract=str(contract),
            folder=tmp,
            specs=" ".join(shown_path(spec) for spec in specs),
            secrets=secrets_of(settings.headers, url),
        )
        if url is not None:
            code = run_fuzz(contract, url, settings, report)
            _print_reproduce(code, report.reproduce(None, None))
            return code
        assert app is not None
        # The generated servers mount the routes under the spec's base path by default.
        log = settings.app_log or _temporary_log()
        with capture_log(log):
            loaded = load_app(app, import_paths)
            with serve_in_thread(loaded.app) as base_url:
                served = dataclasses.replace(report, served_origin=base_url)
                code = run_fuzz(contract, base_url + base_path, settings, served)
        _print_reproduce(code, served.reproduce(app, config))
        _print_log(log, keep=settings.app_log is not None)
        return code


def has_operations(contract: Path) -> bool:
    paths = json.loads(contract.read_text("utf-8")).get("paths") or {}
    return any(
        isinstance(item, dict) and any(isinstance(item.get(m), dict) for m in METHODS)
        for item in paths.values()
    )


def _temporary_log() -> Path:
    with tempfile.NamedTemporaryFile(prefix="specgen-fuzz-app-", suffix=".log", delete=False) as f:
        return Path(f.name)


def _print_reproduce(code: int, lines: Sequence[str]) -> None:
    if code == 1 and lines:
        print("\n".join(lines))


def _print_log(log: Path, *, keep: bool) -> None:
    """Where the app's log is, after the report; an empty temporary one is deleted."""
    text = log.read_text("utf-8", errors="replace") if log.is_file() else ""
    if not text.strip():
        if not keep:
            log.unlink(missing_ok=True)
        return
    lines = text.count("\n")
    tracebacks = text.count("Traceback (most recent call last)")
    counts = f"{_plural(lines, 'line')}, {_plural(tracebacks, 'traceback')}"
    print(f"The app's log ({counts}): {shown_path(log)}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
