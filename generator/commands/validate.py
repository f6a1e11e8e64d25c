"""`specgen validate`: load and validate specs, print every diagnostic (text or JSON)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.commands.common import EXIT_INVALID, common_options, options_from, render_diagnostics
from generator.diagnostics import Diagnostic, SpecError


@click.command("validate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: every diagnostic as an object (severity, code, file, line, column, ...).",
)
@common_options("Exit 0")
def validate_cmd(
    specs: tuple[Path, ...],
    fmt: str,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Validate SPECS (files describing one API) and print diagnostics."""
    from generator.pipeline import load_and_validate

    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    try:
        _, _, diagnostics = load_and_validate(specs, options)
        failed = False
    except SpecError as exc:
        diagnostics, failed = list(exc.diagnostics), True
    if fmt == "json":
        click.echo(json.dumps([_as_json(d) for d in diagnostics], indent=2))
    elif diagnostics:
        click.echo(render_diagnostics(diagnostics, max_diagnostics), err=True)
    if failed:
        sys.exit(EXIT_INVALID)
    if fmt == "text":
        warnings = len(diagnostics)
        click.echo(f"ok: {', '.join(str(s) for s in specs)} ({warnings} warning(s))")


def _as_json(d: Diagnostic) -> dict[str, object]:
    loc = d.location
    return {
        "severity": str(d.severity),
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "pointer": loc.pointer if loc else None,
    }
