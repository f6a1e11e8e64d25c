"""Contract fuzzing: schemathesis against a live URL or an app served from this process.

Apps may be ASGI (FastAPI) or WSGI (Flask); uvicorn serves both.

The fuzzer is schemathesis's own runner (`st run`: examples, coverage, fuzzing and stateful
phases, every check, JUnit reports), pointed at the contract as specgen reads it: the bundled
document with version mixes resolved, written to a temporary file. An app given as
`module:factory` is served on 127.0.0.1 by uvicorn in a background thread for the run.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.apps import load_app, serve_in_thread
from generator.build.jsonschema import contract_document
from generator.build.servers import build_servers
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
    extra_args: tuple[str, ...] = field(default=())


def write_contract(specs: Sequence[Path], options: Options, folder: Path) -> Path:
    """The contract of `specs` as one JSON file in `folder`."""
    _, validated, _ = load_and_validate(specs, options)
    path = folder / "contract.json"
    path.write_text(json.dumps(contract_document(validated.document)), "utf-8")
    return path


def schemathesis_command(contract: Path, base_url: str, settings: FuzzSettings) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
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


def run_fuzz(contract: Path, base_url: str, settings: FuzzSettings) -> int:
    """Run schemathesis; its output goes to ours. 0: no failure; 1: failures; 2: error."""
    result = subprocess.run(schemathesis_command(contract, base_url, settings), check=False)
    return result.returncode if result.returncode in (0, 1) else 2


def fuzz(
    specs: Sequence[Path],
    options: Options,
    settings: FuzzSettings,
    *,
    app: str | None = None,
    url: str | None = None,
    import_paths: Sequence[Path] = (),
) -> int:
    with tempfile.TemporaryDirectory(prefix="specgen-fuzz-") as tmp:
        contract = write_contract(specs, options, Path(tmp))
        if url is not None:
            return run_fuzz(contract, url, settings)
        assert app is not None
        # The generated servers mount the routes under the spec's base path by default.
        servers = build_servers(json.loads(contract.read_text("utf-8")))
        base_path = servers[0].base_path if servers else ""
        with serve_in_thread(load_app(app, import_paths).app) as base_url:
            return run_fuzz(contract, base_url + base_path, settings)
