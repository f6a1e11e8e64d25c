"""`specgen serve --app module:attr`: serve any implementation (ASGI or WSGI) with uvicorn.

The app is loaded by `generator.apps` (the loader `specgen fuzz --app` uses), with the
working directory and the project's import paths (its root and output folders, which are not
installed) on `sys.path`. `specgen serve API` is the deprecated shorthand for the reference
servers of the seed APIs: it builds them from its own options and serves them the same way.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import click

from generator.commands.common import (
    config_option,
    fail,
    install_hint,
    listen_options,
    project_import_paths,
)
from generator.config import find_config, load_config
from generator.diagnostics import SpecError, error

APIS = ("braintrust", "martian")
# Options of the deprecated `specgen serve API` only; `--app` targets read their own settings.
REFERENCE_OPTIONS = {
    "db": "--db",
    "style": "--style",
    "inference_ids": "--inference-id",
    "api_keys_file": "--api-keys-file",
    "rate_limit": "--rate-limit",
    "max_body_bytes": "--max-body-bytes",
}


def _project_paths(api: str) -> tuple[Path, Path]:
    """The project root and the output folder holding the generated package of `api`."""
    path = find_config(Path.cwd())
    if path is None:
        raise click.UsageError(
            "no pyproject.toml with [tool.specgen] here or above: run inside the project"
        )
    try:
        config = load_config(path)
    except SpecError as exc:
        raise click.UsageError(str(exc)) from None
    for entry in config.apis:
        if entry.name == api:
            return path.parent, entry.output
    raise click.UsageError(f"{path}: [tool.specgen] configures no API named {api!r}")


def _import_reference(root: Path, output: Path) -> ModuleType:
    for folder in (output, root):  # root first on sys.path: the project's `reference`
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    try:
        # Imported by name at run time: it exists only once the paths above are set.
        return importlib.import_module("reference.app")
    except ImportError as exc:
        message = f"cannot import the reference servers from {root}: {exc}"
        hint = install_hint(exc) or "run `specgen generate` first, inside this project"
        fail([error("SG623", message, hint)], None)


def _configure_logging() -> None:
    # The app's own log records (a factory's start-up notes included), in uvicorn's layout;
    # uvicorn configures its own loggers, which do not propagate here.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")


def _given(ctx: click.Context) -> list[str]:
    source = click.core.ParameterSource.COMMANDLINE
    return [
        flag for name, flag in REFERENCE_OPTIONS.items() if ctx.get_parameter_source(name) == source
    ]


@click.command("serve")
@click.argument("api", type=click.Choice(APIS), required=False)
@click.option(
    "--app",
    "target",
    metavar="MODULE:ATTR",
    help="The app to serve: an ASGI (FastAPI) or WSGI (Flask) app, or a zero-argument "
    "factory returning one, e.g. myapi_server:app or reference.app:martian_app.",
)
@listen_options
@click.option(
    "--reload",
    is_flag=True,
    help="With --app: restart whenever a Python file under the working directory changes.",
)
@config_option
@click.option(
    "--db",
    metavar="PATH",
    help="API shorthand: SQLite file (default: ./API.sqlite3; `:memory:` keeps nothing). "
    "Env: SPECGEN_DB.",
)
@click.option(
    "--style",
    type=click.Choice(["fastapi", "flask"]),
    default="fastapi",
    show_default=True,
    help="API shorthand: the server framework.",
)
@click.option(
    "--inference-id",
    "inference_ids",
    type=click.UUID,
    multiple=True,
    help="API shorthand: a known Martian inference id (repeatable); kept in the database.",
)
@click.option(
    "--api-keys-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="API shorthand: API keys, one per line, besides SPECGEN_API_KEYS (comma-separated).",
)
@click.option(
    "--rate-limit", metavar="N[/SECONDS]", help="API shorthand: requests per caller (default: off)."
)
@click.option(
    "--max-body-bytes", type=click.IntRange(min=1), help="API shorthand: largest request body."
)
@click.pass_context
def serve_cmd(
    ctx: click.Context,
    api: str | None,
    target: str | None,
    host: str,
    port: int,
    reload: bool,
    config: Path | None,
    db: str | None,
    style: str,
    inference_ids: tuple[UUID, ...],
    api_keys_file: Path | None,
    rate_limit: str | None,
    max_body_bytes: int | None,
) -> None:
    """Serve an app with uvicorn until Ctrl-C: `--app module:attr` (your handlers, a mock, the
    reference servers). `specgen serve API` (braintrust or martian) is deprecated: it is
    `--app reference.app:API_app`."""
    if (api is None) == (target is None):
        raise click.UsageError("give --app module:attr (or, deprecated, an API name), not both")
    if target is not None:
        if shorthand_only := _given(ctx):
            raise click.UsageError(
                f"{shorthand_only[0]} applies to `specgen serve API` only: an --app reads its "
                "own settings (the reference servers: SPECGEN_* variables)"
            )
        _serve_app(target, host, port, reload, config)
        return
    assert api is not None
    if reload:
        raise click.UsageError("--reload needs --app")
    if inference_ids and api != "martian":
        raise click.UsageError("--inference-id applies to the martian API only")
    factory = f"reference.app:{api}_flask_app" if style == "flask" else f"reference.app:{api}_app"
    click.echo(
        f"specgen serve {api} is deprecated: use `specgen serve --app {factory}` "
        "(options as SPECGEN_* variables)",
        err=True,
    )
    reference: Any = _import_reference(*_project_paths(api))
    try:
        settings = reference.load_settings(
            db=db,
            default_db=f"{api}.sqlite3",
            api_keys_file=api_keys_file,
            rate_limit=rate_limit,
            max_body_bytes=max_body_bytes,
            inference_ids=inference_ids,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    _serve_reference(reference, api, style, settings, factory, host, port)


def _serve_app(target: str, host: str, port: int, reload: bool, config: Path | None) -> None:
    from generator.apps import load_app, serve_forever  # uvicorn only when serving

    _configure_logging()
    try:
        loaded = load_app(target, project_import_paths(config))
    except SpecError as exc:
        fail(exc.diagnostics, None)
    kind = loaded.interface.upper()
    click.echo(f"specgen serve: {target} ({kind}) on http://{host}:{port}", err=True)
    _until_interrupted(lambda: serve_forever(loaded, host, port, reload=reload))


def _serve_reference(
    reference: Any, api: str, style: str, settings: Any, factory: str, host: str, port: int
) -> None:
    """The reference server of `api`, built from the shorthand's settings; its store is
    closed once the server stops."""
    from generator.apps import LoadedApp, serve_forever

    _configure_logging()
    click.echo(
        f"specgen serve: {api} ({style}) on http://{host}:{port}, db {settings.db}", err=True
    )
    if style == "flask":
        app = reference.create_flask_app(api, settings)
        store = app.extensions["store"]
    else:
        app = reference.create_app(api, settings)
        store = app.state.store
    loaded = LoadedApp(factory, app, "wsgi" if style == "flask" else "asgi", factory=True)
    try:
        _until_interrupted(lambda: serve_forever(loaded, host, port))
    finally:
        store.close()


def _until_interrupted(serve: Callable[[], None]) -> None:
    # uvicorn shuts down gracefully on Ctrl-C, then raises the signal again: exit quietly.
    try:
        serve()
    except KeyboardInterrupt:
        sys.exit(0)
