"""CLI start-up stays cheap: `specgen --version` and `--help` must not import the pipeline.

The heavy machinery (openapi-spec-validator, datamodel-code-generator, jinja2, uvicorn, the
diff package, ...) is imported inside the commands that use it. These tests check which modules
get imported, in a fresh interpreter; they measure no time.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import __version__

REPO = Path(__file__).resolve().parents[2]
Specgen = Callable[..., subprocess.CompletedProcess[str]]

HEAVY = (
    "openapi_spec_validator",
    "datamodel_code_generator",
    "jinja2",
    "jsonschema",
    "uvicorn",
    "schemathesis",
    "generator.pipeline",
    "generator.load",
    "generator.diff",
    "generator.fuzz",
    "generator.proxy",
    "httpx",
    "jsonschema_rs",
    "generator.build",
    "generator.write",
)
COMMANDS = (
    "check",
    "diff",
    "fuzz",
    "generate",
    "import",
    "init",
    "mock",
    "proxy",
    "serve",
    "styles",
    "validate",
)

# Runs the CLI in process (argv: the heavy prefixes as JSON, then the CLI arguments) and prints
# the heavy modules it imported, as JSON.
PROBE = """\
import json, sys
from generator.cli import main
try:
    main(sys.argv[2:], prog_name="specgen")
except SystemExit:
    pass
heavy = json.loads(sys.argv[1])
loaded = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)]
print(json.dumps(sorted(loaded)))
"""


def _is_heavy(module: str) -> bool:
    return any(module == h or module.startswith(h + ".") for h in HEAVY)


def _heavy_modules_after(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_importing_the_cli_imports_no_heavy_module() -> None:
    code = "import generator.cli, sys; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    modules = result.stdout.split()
    assert "generator.cli" in modules
    assert [m for m in modules if _is_heavy(m)] == []


@pytest.mark.parametrize(
    "args", [("--version",), ("--help",), *((command, "--help") for command in COMMANDS)]
)
def test_version_and_help_import_no_heavy_module(args: tuple[str, ...]) -> None:
    assert _heavy_modules_after(*args) == []


def test_version(specgen: Specgen) -> None:
    result = specgen("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"specgen, version {__version__}\n"


def test_help_lists_every_command(specgen: Specgen) -> None:
    result = specgen("--help")
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.split("Commands:\n")[1].splitlines()]
    assert listed == list(COMMANDS)


def test_help_shows_the_defaults_of_the_lazily_imported_modules(specgen: Specgen) -> None:
    from generator.fuzz import ALL_CHECKS
    from generator.load.files import DEFAULT_MAX_BYTES

    validate = specgen("validate", "--help")
    assert validate.returncode == 0, validate.stderr
    assert f"[default: {DEFAULT_MAX_BYTES}]" in validate.stdout
    fuzz = specgen("fuzz", "--help")
    assert fuzz.returncode == 0, fuzz.stderr
    assert f"[default: {ALL_CHECKS}]" in fuzz.stdout


def test_copied_constants_match_their_sources() -> None:
    """The CLI copies two defaults to avoid importing their modules at start-up."""
    from generator.commands import common, fuzz
    from generator.fuzz import ALL_CHECKS
    from generator.load.files import DEFAULT_MAX_BYTES

    assert common.DEFAULT_MAX_BYTES == DEFAULT_MAX_BYTES
    assert fuzz.ALL_CHECKS == ALL_CHECKS


def test_internal_error_in_a_lazily_imported_stage_is_sg599() -> None:
    """An exception raised by the pipeline (imported when the command runs) is still caught by
    `run()`: one screen, exit 3."""
    code = (
        "import sys, generator.pipeline as p\n"
        "def boom(*args, **kwargs): raise RuntimeError('boom')\n"
        "p.load_and_validate = boom\n"
        "sys.argv = ['specgen', 'validate', 'spec.yaml']\n"
        "from generator.cli import run\n"
        "run()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 3
    assert result.stderr.startswith("internal error SG599: RuntimeError: boom\n")
    assert "Traceback" not in result.stderr
