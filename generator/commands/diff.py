"""`specgen diff`: breaking-change detection between two versions of an API.

    specgen diff OLD NEW                 two files
    specgen diff --base REV SPEC...      SPEC... (one API) against their version at git REV
    specgen diff --base REV              every API of [tool.specgen] against REV

Exit codes: 0 (also when changes were found, unless --fail-on says otherwise), 1 a change at
or above --fail-on, 2 invalid input or usage.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.commands.common import (
    EXIT_DIFFERENCES,
    common_options,
    config_option,
    fail,
    options_from,
)
from generator.config import find_config, load_config
from generator.diagnostics import Diagnostic, SpecError

# generator.diff (and through it the whole pipeline) is imported only when the command runs.
if TYPE_CHECKING:
    from generator.diff import DiffResult
    from generator.pipeline import Options

Job = tuple[str, tuple[Path, ...]]  # (API name or "", current spec files)


@click.command("diff")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REV", help="Compare with the specs as of git revision REV.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="json for tools, markdown for a pull-request comment.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "warning"]),
    default=None,
    help="Exit 1 when a change of this severity (or worse) is found.",
)
@click.option(
    "--min-severity",
    type=click.Choice(["breaking", "warning", "info"]),
    default="info",
    show_default=True,
    help="Show only changes of this severity or worse.",
)
@config_option
@click.option("--api", "apis", multiple=True, help="With --base and no SPECS: only this API.")
@common_options("Compare")
def diff_cmd(
    specs: tuple[Path, ...],
    base: str | None,
    fmt: str,
    fail_on: str | None,
    min_severity: str,
    config: Path | None,
    apis: tuple[str, ...],
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Report what changed between two versions of an API and what it breaks.

    \b
    specgen diff OLD NEW                  two spec files
    specgen diff --base REV SPEC...       SPEC... (one API) against their version at git REV
    specgen diff --base REV               every API of [tool.specgen] against REV

    Rules and severities: docs/diff-rules.md. Exit 1 with --fail-on when a change of that
    severity is found, 2 for invalid input.
    """
    from generator.diff import diff_specs
    from generator.diff.model import Severity
    from generator.diff.render import Section, render_json, render_markdown, render_text

    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    try:
        if base is None:
            if len(specs) != 2:
                raise click.UsageError("give OLD and NEW, or --base REV")
            results = [("", diff_specs([specs[0]], [specs[1]], options))]
        else:
            results = _against(base, _jobs(specs, config, apis), options)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    shown = Severity(min_severity)
    sections = [
        Section(name, [c for c in r.changes if c.severity.rank <= shown.rank], r.changes)
        for name, r in results
    ]
    render = {"json": render_json, "markdown": render_markdown}.get(fmt, render_text)
    click.echo(render(sections))
    threshold = Severity(fail_on) if fail_on else None
    if any(r.fails(threshold) for _, r in results):
        sys.exit(EXIT_DIFFERENCES)


def _jobs(specs: Sequence[Path], config: Path | None, apis: Sequence[str]) -> list[Job]:
    if specs:
        return [("", tuple(specs))]
    path = config or find_config(Path.cwd())
    if path is None:
        raise click.UsageError("no spec given and no pyproject.toml with [tool.specgen] found")
    configured = load_config(path).apis
    unknown = sorted(set(apis) - {a.name for a in configured})
    if unknown:
        raise click.UsageError(f"not configured: {', '.join(unknown)}")
    return [(a.name, a.specs) for a in configured if not apis or a.name in apis]


def _against(base: str, jobs: Sequence[Job], options: Options) -> list[tuple[str, DiffResult]]:
    from generator.diff import diff_specs
    from generator.diff.git import NotAtRevision, materialise

    results: list[tuple[str, DiffResult]] = []
    for name, specs in jobs:
        with tempfile.TemporaryDirectory(prefix="specgen-base-") as tmp:
            folder = Path(tmp).resolve()
            try:
                old, root = materialise(base, specs, folder)
            except NotAtRevision as exc:
                label = f"{name}: " if name else ""
                click.echo(f"{label}{exc} not in {base}: a new API, nothing to compare", err=True)
                continue
            shown = _shown(folder, base)
            old_options = dataclasses.replace(
                options, allow_ref_roots=_mapped(options.allow_ref_roots, root, folder)
            )
            try:
                result = diff_specs(old, specs, options, old_options=old_options, shown=shown)
                results.append((name, result))
            except SpecError as exc:
                raise SpecError([_relocated(d, shown) for d in exc.diagnostics]) from None
    return results


def _shown(folder: Path, base: str) -> Callable[[str], str]:
    """Files of the temporary copy are shown as `REV:path`."""
    prefix = folder.as_posix() + "/"

    def shown(file: str) -> str:
        return f"{base}:{file[len(prefix) :]}" if file.startswith(prefix) else file

    return shown


def _mapped(roots: Sequence[Path], repo: Path, folder: Path) -> tuple[Path, ...]:
    mapped = []
    for root in roots:
        try:
            mapped.append(folder / root.resolve().relative_to(repo))
        except ValueError:
            mapped.append(root)
    return tuple(mapped)


def _relocated(diagnostic: Diagnostic, shown: Callable[[str], str]) -> Diagnostic:
    if diagnostic.location is None:
        return diagnostic
    where = dataclasses.replace(diagnostic.location, file=shown(diagnostic.location.file))
    return dataclasses.replace(diagnostic, location=where)
