"""`specgen serve API`: run the reference server of a seed API (`reference/` in the project).

The reference package and the generated packages are not installed: they live in the project
(the folder of the nearest pyproject.toml with [tool.specgen]) and in its output folder, which
are put on `sys.path` before `reference.app` is imported.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import click

from generator.commands.common import fail, install_hint
from generator.config import find_config, load_config
from generator.diagnostics import SpecError, error

APIS = ("braintrust", "martian")


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
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    logger = logging.getLogger("reference")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@click.command("serve")
@click.argument("api", type=click.Choice(APIS))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free one).",
)
@click.option(
    "--db",
    metavar="PATH",
    help="SQLite file (default: ./API.sqlite3; `:memory:` keeps nothing). Env: SPECGEN_DB.",
)
@click.option(
    "--style",
    type=click.Choice(["fastapi", "flask"]),
    default="fastapi",
    show_default=True,
    help="The server framework.",
)
@click.option(
    "--inference-id",
    "inference_ids",
    type=click.UUID,
    multiple=True,
    help="A known Martian inference id (repeatable); kept in the database.",
)
@click.option(
    "--api-keys-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="API keys, one per line, besides SPECGEN_API_KEYS (comma-separated).",
)
@click.option("--rate-limit", metavar="N[/SECONDS]", help="Requests per caller (default: off).")
@click.option("--max-body-bytes", type=click.IntRange(min=1), help="Largest request body.")
def serve_cmd(
    api: str,
    host: str,
    port: int,
    db: str | None,
    style: str,
    inference_ids: tuple[UUID, ...],
    api_keys_file: Path | None,
    rate_limit: str | None,
    max_body_bytes: int | None,
) -> None:
    """Run the reference server of API (braintrust or martian) on a SQLite database."""
    import uvicorn  # slow to import: only when a server is about to run

    if inference_ids and api != "martian":
        raise click.UsageError("--inference-id applies to the martian API only")
    root, output = _project_paths(api)
    reference: Any = _import_reference(root, output)
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
    _configure_logging()
    click.echo(
        f"specgen serve: {api} ({style}) on http://{host}:{port}, db {settings.db}", err=True
    )
    if style == "flask":
        wsgi = reference.create_flask_app(api, settings)
        try:
            # uvicorn serves WSGI apps through its WSGI interface (one server for both).
            uvicorn.run(wsgi, host=host, port=port, log_level="info", interface="wsgi")
        finally:
            wsgi.extensions["store"].close()
        return
    app = reference.create_app(api, settings)
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        app.state.store.close()
