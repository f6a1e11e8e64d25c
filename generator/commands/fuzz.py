"""`specgen fuzz`: schemathesis against an app or a URL, with every check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.commands.common import common_options, config_option, fail, options_from
from generator.config import ProjectConfig, find_config, load_config
from generator.diagnostics import SpecError

# generator.fuzz.ALL_CHECKS, copied: generator.fuzz imports uvicorn and the whole pipeline, so
# it is imported only when the command runs (test_cli_startup.py keeps the two equal).
ALL_CHECKS = "all"


def _project(config: Path | None) -> ProjectConfig | None:
    path = config or find_config(Path.cwd())
    return load_config(path) if path is not None else None


def _specs_of(
    api: str | None, specs: tuple[Path, ...], project: ProjectConfig | None
) -> tuple[Path, ...]:
    if bool(api) == bool(specs):
        raise click.UsageError("give exactly one of --api NAME or --spec FILE")
    if specs:
        return specs
    if project is None:
        raise click.UsageError("--api needs a pyproject.toml with [tool.specgen]")
    for entry in project.apis:
        if entry.name == api:
            return entry.specs
    raise click.UsageError(f"no API named {api!r} in {project.path}")


@click.command("fuzz")
@click.option("--api", help="An API of the project config.")
@click.option(
    "--spec", "specs", multiple=True, type=click.Path(path_type=Path), help="Spec file(s)."
)
@click.option("--app", help="The app under test, as module:factory (served on 127.0.0.1).")
@click.option("--url", help="Base URL of a running server under test.")
@click.option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Test cases generated per operation and phase.",
)
@click.option("--seed", type=int, help="Seed for a reproducible run.")
@click.option("--header", "headers", multiple=True, help="'Name: value', sent with every request.")
@click.option("--junit", type=click.Path(path_type=Path, dir_okay=False), help="JUnit XML report.")
@click.option("--checks", default=ALL_CHECKS, show_default=True, help="schemathesis checks.")
@click.option(
    "--app-log",
    type=click.Path(path_type=Path, dir_okay=False),
    help="With --app: where the app's log and tracebacks go (default: a temporary file, "
    "named after the report when anything was logged).",
)
@config_option
@common_options("Fuzz")
def fuzz_cmd(
    api: str | None,
    specs: tuple[Path, ...],
    app: str | None,
    url: str | None,
    max_examples: int,
    seed: int | None,
    headers: tuple[str, ...],
    junit: Path | None,
    checks: str,
    app_log: Path | None,
    config: Path | None,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Fuzz a server against its spec with schemathesis; exit 1 on any failure."""
    from generator.fuzz import FuzzSettings, fuzz

    if bool(app) == bool(url):
        raise click.UsageError("give exactly one of --app module:factory or --url URL")
    if app_log is not None and app is None:
        raise click.UsageError("--app-log needs --app (a --url server keeps its own log)")
    for header in headers:
        if ":" not in header:
            raise click.UsageError(f"--header {header!r} is not 'Name: value'")
    settings = FuzzSettings(
        max_examples=max_examples,
        seed=seed,
        headers=headers,
        junit=junit,
        checks=checks,
        app_log=app_log,
    )
    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    try:
        project = _project(config)
        paths = project.import_paths if project is not None else ()
        specs = _specs_of(api, specs, project)
        code = fuzz(specs, options, settings, app=app, url=url, import_paths=paths, config=config)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    sys.exit(code)
