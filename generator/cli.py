"""The command line: parse arguments, call the pipeline, print diagnostics, set the exit code.

Exit codes, for every command: 0 ok, 1 a check found differences or failures, 2 invalid input
or usage, 3 an internal error (a specgen bug).
"""

from __future__ import annotations

import dataclasses
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from generator import __version__
from generator.commands.common import (
    EXIT_DIFFERENCES,
    EXIT_INTERNAL,
    EXIT_INVALID,
    common_options,
    config_option,
    fail,
    install_hint,
    no_cache_option,
    options_from,
    options_key,
    render_diagnostics,
)
from generator.commands.terminal import progress
from generator.config import ApiConfig, check_api_name, find_config, load_config, project_root
from generator.diagnostics import Severity, SpecError
from generator.render.styles import ABSENT, LAYOUTS, resolve_absent, resolve_styles

# Start-up stays cheap (`--version`, `--help`): the pipeline and what it pulls in
# (openapi-spec-validator, datamodel-code-generator, jinja2, generator.diff, ...) are imported
# inside the commands that run them. tests/functional/test_cli_startup.py guards this.


def _configs(
    specs: Sequence[Path],
    name: str | None,
    out: Path | None,
    config: Path | None,
    styles: Sequence[str] = (),
    model_type: str | None = None,
    layout: str | None = None,
    absent: str | None = None,
) -> list[ApiConfig]:
    """Ad-hoc APIs from the command line, or the project's config; `--style`,
    `--model-type`, `--layout` and `--absent` replace what the config says."""
    if specs:
        if not name:
            raise click.UsageError("--name is required when spec files are given")
        check_api_name(name)
        apis = [
            ApiConfig(
                name=name,
                specs=tuple(specs),
                output=out or Path("generated"),
                root=project_root(Path.cwd()),
            )
        ]
    else:
        path = config or find_config(Path.cwd())
        if path is None:
            raise click.UsageError("no spec given and no pyproject.toml with [tool.specgen] found")
        apis = list(load_config(path).apis)
        if not apis:
            raise click.UsageError(f"{path}: [tool.specgen] lists no APIs")
    overrides: dict[str, Any] = {}
    if styles:
        overrides["styles"] = tuple(styles)
    if model_type:
        overrides["model_type"] = model_type
    if layout:
        overrides["layout"] = layout
    if absent:
        overrides["absent"] = absent
    apis = [dataclasses.replace(api, **overrides) for api in apis]
    for api in apis:
        resolve_styles(api.styles, api.model_type, f"API {api.name!r}: ", api.user_styles)
        resolve_absent(api.absent, api.model_type, f"API {api.name!r}: ")
    return apis


def style_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--style (repeatable), --model-type, --layout and --absent, for generate and check."""
    func = click.option(
        "--absent",
        type=click.Choice(ABSENT),
        help="How an absent optional property reads in models.py: missing (pydantic's "
        "MISSING; the default for the pydantic flavours) or none (replaces the config's).",
    )(func)
    func = click.option(
        "--layout",
        type=click.Choice(LAYOUTS),
        help="module: one module per API; tags: one module per tag (replaces the config's).",
    )(func)
    func = click.option("--model-type", help="Models flavour (replaces the config's model_type).")(
        func
    )
    return click.option(
        "--style",
        "styles",
        multiple=True,
        help="A style to generate (repeatable; replaces the config's styles): specgen styles.",
    )(func)


class _Commands(click.Group):
    """The commands defined here, and those in modules of their own (`_ELSEWHERE`), imported
    when they run or `--help` lists them: a `generate` never imports the servers' commands."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_ELSEWHERE})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _ELSEWHERE and cmd_name not in self.commands:
            module, attr = _ELSEWHERE[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attr), cmd_name)
        return super().get_command(ctx, cmd_name)


# Command name -> (module, attribute) of the commands in modules of their own.
_ELSEWHERE = {
    "validate": ("generator.commands.validate", "validate_cmd"),
    "import": ("generator.commands.import_page", "import_cmd"),
    "fuzz": ("generator.commands.fuzz", "fuzz_cmd"),
    "serve": ("generator.commands.serve", "serve_cmd"),
    "mock": ("generator.commands.mock", "mock_cmd"),
    "diff": ("generator.commands.diff", "diff_cmd"),
    "styles": ("generator.commands.styles", "styles_cmd"),
    "init": ("generator.commands.init", "init_cmd"),
    "proxy": ("generator.commands.proxy", "proxy_cmd"),
}


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="specgen")
def main() -> None:
    """specgen: OpenAPI specs to validated IR, Pydantic models, servers and clients."""


@main.command("generate")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--name", help="Package name for an ad-hoc run with SPECS.")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (ad-hoc runs).")
@config_option
@click.option(
    "--force", is_flag=True, help="Overwrite files in the output that specgen did not write."
)
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running: regenerate whenever a spec, the config or a template changes "
    "(Ctrl-C stops).",
)
@no_cache_option
@style_options
@common_options("Generate")
def generate_cmd(
    specs: tuple[Path, ...],
    name: str | None,
    out: Path | None,
    config: Path | None,
    styles: tuple[str, ...],
    model_type: str | None,
    layout: str | None,
    absent: str | None,
    force: bool,
    quiet: bool,
    as_json: bool,
    watch: bool,
    no_cache: bool,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Generate packages: for SPECS with --name/--out, or for every API in the config."""
    from generator.commands.cached import PerApi, report_generation

    cached = None
    if not (no_cache or watch):  # --watch keeps the pipeline loaded and runs on changes only
        try:
            configs = _configs(specs, name, out, config, styles, model_type, layout, absent)
        except SpecError as exc:
            fail(exc.diagnostics, max_diagnostics)
        settings = options_key(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
        cached = PerApi.of(configs, settings)
        if not cached.misses(configs):
            if cached.warnings and not quiet:
                click.echo(render_diagnostics(cached.warnings, max_diagnostics), err=True)
            report_generation(configs, [], cached, quiet=quiet, as_json=as_json)
            return
        cached.forget_misses()

    from generator.pipeline import generate

    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    options = dataclasses.replace(options, memo=not no_cache)  # --no-cache: all anew
    config_path = None if specs else config or find_config(Path.cwd())
    watched: tuple[set[Path], set[Path]] = ({*specs}, set())

    def run(full: bool) -> tuple[set[Path], set[Path], str]:
        """One generation, reported (in full, or as the one-line summary it returns) and
        what it read (to watch). Raises SpecError."""
        nonlocal watched
        configs = _configs(specs, name, out, config, styles, model_type, layout, absent)
        files = {p for c in configs for p in c.specs} | ({config_path} if config_path else set())
        folders = {d for c in configs for d in c.template_dirs}
        watched = (files, folders)
        todo = cached.misses(configs) if cached is not None else configs
        with progress(len(todo), enabled=not quiet) as report_progress:
            rendered, reports = generate(todo, options, force=force, progress=report_progress)
        if cached is not None:  # every package is written: now the shortcut may be recorded
            cached.remember(rendered, reports)
        for r in rendered:
            files |= {r.config.root / s.path for s in r.api.sources}
        warnings = [d for r in rendered for d in r.diagnostics]
        warnings += cached.warnings if cached is not None else []
        if warnings and not quiet and full:
            click.echo(render_diagnostics(warnings, max_diagnostics), err=True)
        if full:
            report_generation(configs, reports, cached, quiet=quiet, as_json=as_json)
        return files, folders, "; ".join(r.summary() for r in reports)

    if not watch:
        try:
            run(True)
        except SpecError as exc:
            fail(exc.diagnostics, max_diagnostics)
        return

    from generator.commands.watch import watch as watch_files

    def run_and_go_on(full: bool) -> tuple[set[Path], set[Path], str]:
        try:
            return run(full)
        except SpecError as exc:  # report it and wait for the fix
            click.echo(render_diagnostics(exc.diagnostics, max_diagnostics), err=True)
            errors = sum(1 for d in exc.diagnostics if d.severity is Severity.ERROR)
            return (*watched, f"failed with {errors} error(s), output untouched")

    watch_files(run_and_go_on, lambda line: click.echo(line, err=True))


@main.command("check")
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--name", help="Package name for an ad-hoc run with SPECS.")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder (ad-hoc runs).")
@config_option
@click.option(
    "--max-diff-lines",
    type=int,
    default=200,
    show_default=True,
    help="Lines of the unified diff shown before it is cut.",
)
@no_cache_option
@style_options
@common_options("Check")
def check_cmd(
    specs: tuple[Path, ...],
    name: str | None,
    out: Path | None,
    config: Path | None,
    styles: tuple[str, ...],
    model_type: str | None,
    layout: str | None,
    absent: str | None,
    max_diff_lines: int,
    no_cache: bool,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Exit 1 with a diff when generated code is stale (for CI); 0 when it is up to date."""
    try:
        configs = _configs(specs, name, out, config, styles, model_type, layout, absent)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    up_to_date: list[str] = []
    if not no_cache:  # the APIs nothing touched since their last generation are not rendered
        from generator.commands.cached import PerApi

        settings = options_key(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
        cached = PerApi.of(configs, settings)
        up_to_date = cached.check_text(configs)
        configs = cached.misses(configs)
    for line in up_to_date:
        click.echo(line)
    if not configs:
        return

    from generator.pipeline import check

    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    options = dataclasses.replace(options, memo=not no_cache)  # --no-cache: all anew
    try:
        with progress(len(configs)) as report_progress:
            checked = check(configs, options, report_progress)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    for item in checked:
        click.echo(item.diff.render(max_diff_lines))
    for item in checked:
        for cause in item.causes:
            click.echo(f"{item.rendered.config.name}: stale because {cause}", err=True)
    if any(not item.diff.is_clean for item in checked):
        click.echo(
            "generated code is stale: run `specgen generate` and commit the result", err=True
        )
        sys.exit(EXIT_DIFFERENCES)


_GC_THRESHOLD = 50_000


def run() -> None:
    """The console entry point: `main`, with a one-screen message instead of a traceback when
    specgen itself fails (exit 3). SPECGEN_DEBUG=1 shows the traceback."""
    # A run makes millions of short-lived objects (YAML nodes, IR records, syntax trees) and
    # few cycles: collecting every 700 allocations re-walked the whole heap often, about 7%
    # of a regeneration's CPU.
    gc.set_threshold(_GC_THRESHOLD, 20, 20)
    try:
        main()
    except Exception as exc:
        if os.environ.get("SPECGEN_DEBUG"):
            raise
        hint = install_hint(exc) if isinstance(exc, ImportError) else None
        if hint is not None:  # a runtime dependency of generated code is not installed
            click.echo(f"error SG622: {exc}\n  hint: {hint}", err=True)
            sys.exit(EXIT_INVALID)
        message = " ".join(str(exc).split())[:300]
        click.echo(
            f"internal error SG599: {type(exc).__name__}: {message}\n"
            "  hint: this is a specgen bug, not a problem with your spec: rerun with "
            "SPECGEN_DEBUG=1 for the traceback and report it; the output folder is untouched",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    finally:
        # The interpreter's exit collects the whole heap once more, for nothing the end of
        # the process would not free anyway: frozen, a regeneration exits in 17 ms, not 50.
        gc.freeze()
