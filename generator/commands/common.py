"""Helpers every command shares: exit codes, diagnostics output, common options."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from generator.commands.terminal import colour_diagnostics, styled
from generator.config import find_config, load_config
from generator.diagnostics import Diagnostic, render_all

if TYPE_CHECKING:
    from generator.pipeline import Options

EXIT_OK, EXIT_DIFFERENCES, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3
# `specgen generate`'s last line when it changed nothing (a cold run or a cache hit).
NOTHING_TO_WRITE = "nothing to write: generated code is up to date"

# generator.load.files.DEFAULT_MAX_BYTES, copied: importing generator.load at start-up costs
# more than the rest of the CLI (tests/functional/test_cli_startup.py keeps the two equal).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


# Packages only generated code (and the reference servers) needs at run time, by the extra
# that installs them: a command that has to import one says what to install.
RUNTIME_EXTRAS = {
    "fastapi": "fastapi",
    "starlette": "fastapi",
    "flask": "flask",
    "werkzeug": "flask",
    "httpx": "httpx",
    "pydantic": "all",
    "jsonschema": "all",
}


def install_hint(exc: ImportError) -> str | None:
    """`pip install 'specgen[...]'` for a missing runtime dependency; None for any other."""
    missing = (exc.name or "").split(".")[0]
    extra = RUNTIME_EXTRAS.get(missing)
    if extra is None:
        return None
    return f"`{missing}` is needed at run time by generated code: pip install 'specgen[{extra}]'"


def render_diagnostics(diagnostics: Sequence[Diagnostic], limit: int | None) -> str:
    """One screen by default (20 lines, 3 warnings per code); --max-diagnostics N shows N.
    In colour on a terminal (not with NO_COLOR)."""
    text = (
        render_all(diagnostics, 20, 3) if limit is None else render_all(diagnostics, limit, limit)
    )
    return colour_diagnostics(text) if styled() else text


def shown_path(path: Path) -> str:
    """A path relative to the working directory when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def fail(diagnostics: Sequence[Diagnostic], limit: int | None) -> NoReturn:
    click.echo(render_diagnostics(diagnostics, limit), err=True)
    sys.exit(EXIT_INVALID)


def options_from(
    max_spec_size: int,
    allow_ref_root: Sequence[Path],
    allow_invalid: bool,
    strict: bool = False,
    ignore: Sequence[str] = (),
) -> Options:
    from generator.pipeline import Options  # the whole pipeline: only when a command runs

    return Options(
        max_bytes=max_spec_size,
        allow_ref_roots=tuple(p.resolve() for p in allow_ref_root),
        allow_invalid=allow_invalid,
        strict=strict,
        ignore=_codes(ignore),
    )


def options_key(
    max_spec_size: int,
    allow_ref_root: Sequence[Path],
    allow_invalid: bool,
    strict: bool = False,
    ignore: Sequence[str] = (),
) -> dict[str, Any]:
    """The options of `options_from` as the no-op cache keys them, without importing the
    pipeline (a cache hit never does)."""
    return {
        "max_bytes": max_spec_size,
        "allow_ref_roots": [str(p.resolve()) for p in allow_ref_root],
        "allow_invalid": allow_invalid,
        "strict": strict,
        "ignore": sorted(_codes(ignore)),
    }


def _codes(ignore: Sequence[str]) -> frozenset[str]:
    bad = [code for code in ignore if not re.fullmatch(r"SG\d{3}", code)]
    if bad:
        raise click.BadParameter(
            f"{bad[0]!r} is not a diagnostic code (SGnnn)", param_hint="--ignore"
        )
    return frozenset(ignore)


def no_cache_option(func: click.decorators.FC) -> click.decorators.FC:
    """`--no-cache`: run the whole pipeline even when the no-op cache has an answer."""
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Run in full even when no input changed since the last generation (the "
        "answer is otherwise read from .specgen-cache/).",
    )(func)


def project_import_paths(config: Path | None) -> tuple[Path, ...]:
    """The folders a user's app imports from (`ProjectConfig.import_paths`: the project root
    and its output folders) of `--config` or the nearest project; none outside a project.
    Raises SpecError for a broken config."""
    path = config or find_config(Path.cwd())
    return load_config(path).import_paths if path is not None else ()


def listen_options(func: click.decorators.FC) -> click.decorators.FC:
    """`--host` and `--port`: where a command that serves (serve, mock, proxy) listens."""
    func = click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8000,
        show_default=True,
        help="Port to listen on (0: any free one).",
    )(func)
    return click.option(
        "--host", default="127.0.0.1", show_default=True, help="Interface to listen on."
    )(func)


def config_option(func: click.decorators.FC) -> click.decorators.FC:
    """`--config PATH`: the project's pyproject.toml, for running from outside the project."""
    return click.option(
        "--config",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The project's pyproject.toml (default: the nearest one with [tool.specgen] "
        "from the working directory upwards).",
    )(func)


def common_options(
    action: str,
) -> Callable[[click.decorators.FC], click.decorators.FC]:
    """Options every spec-reading command takes; `action` says what `--allow-invalid` lets
    the command do ("Generate", "Compare", ...)."""

    def decorate(func: click.decorators.FC) -> click.decorators.FC:
        decorators = [
            click.option(
                "--max-spec-size",
                type=int,
                default=DEFAULT_MAX_BYTES,
                show_default=True,
                help="Largest spec file accepted, in bytes.",
            ),
            click.option(
                "--allow-ref-root",
                type=click.Path(path_type=Path, file_okay=False),
                multiple=True,
                help="Folder outside the spec's own that $ref may read from (repeatable).",
            ),
            click.option(
                "--allow-invalid",
                is_flag=True,
                help=f"{action} even when openapi-spec-validator rejects the spec "
                "(its errors become warnings).",
            ),
            click.option(
                "--strict",
                is_flag=True,
                help="Make every warning an error (for linting your own spec); "
                "also `strict = true` in the config.",
            ),
            click.option(
                "--ignore",
                multiple=True,
                metavar="CODE",
                help="Do not report this warning code (repeatable), e.g. --ignore SG410; "
                "also `ignore = [...]` in the config.",
            ),
            click.option(
                "--max-diagnostics",
                type=click.IntRange(min=1),
                default=None,
                help="Diagnostics shown (default: one screen, 3 warnings per code).",
            ),
        ]
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return decorate
