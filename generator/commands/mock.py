"""`specgen mock SPEC...`: serve a mock of any spec specgen can generate.

The mock is generated code, not an interpreter of the spec: a package in the styles fastapi,
flask and mock (`MockHandlers` over the typed handler contract), written once per spec into
a cache folder and regenerated only when an input changes (the no-op cache of `generate`
decides). Every answer goes through the generated server like any handler's.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from generator.commands.common import (
    common_options,
    fail,
    install_hint,
    listen_options,
    options_key,
)
from generator.config import ApiConfig
from generator.diagnostics import SpecError, error

# What the cached package is generated in; the mock module is `<package>.mock`.
MOCK_STYLES = ("fastapi", "flask", "mock")


def cache_root() -> Path:
    """Where mock packages are kept: $SPECGEN_MOCK_CACHE, else the user's cache folder."""
    explicit = os.environ.get("SPECGEN_MOCK_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen" / "mock"


def mock_config(specs: Sequence[Path], root: Path | None = None) -> ApiConfig:
    """The package a mock of `specs` is generated as: one folder per set of spec paths."""
    resolved = tuple(p.resolve() for p in specs)
    digest = hashlib.sha256("\0".join(map(str, resolved)).encode("utf-8")).hexdigest()
    folder = (root or cache_root()) / digest[:16]
    return ApiConfig(
        name=f"mock_{digest[:8]}",
        specs=resolved,
        output=folder,
        styles=MOCK_STYLES,
        root=folder,
    )


def prepare(config: ApiConfig, settings: dict[str, Any], options: Any) -> list[Any]:
    """Generate the mock package unless the cache says it is up to date; the warnings of
    the spec (from the run, or recorded with the cache entry)."""
    from generator.commands.cached import PerApi

    cached = PerApi.of([config], settings)
    if not cached.misses([config]):
        return cached.warnings
    cached.forget_misses()
    from generator.pipeline import generate

    rendered, reports = generate([config], options)
    cached.remember(rendered, reports)
    return [d for r in rendered for d in r.diagnostics]


def load_mock(config: ApiConfig) -> Any:
    """The generated `<package>.mock` module."""
    folder = str(config.output)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    try:
        return importlib.import_module(f"{config.name}.mock")
    except ImportError as exc:
        hint = install_hint(exc) or f"remove {config.output} and run again"
        raise SpecError(
            [error("SG640", f"cannot import the generated mock: {exc}", hint)]
        ) from None


@click.command("mock")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@listen_options
@click.option(
    "--style",
    type=click.Choice(["fastapi", "flask"]),
    default="fastapi",
    show_default=True,
    help="The generated server the mock runs in.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same answers.")
@click.option("--dynamic", is_flag=True, help="A new synthesised value for every request.")
@click.option(
    "--latency", type=click.IntRange(min=0), default=0, help="Milliseconds before each answer."
)
@click.option(
    "--api-key",
    "api_keys",
    multiple=True,
    help="The only credentials accepted (repeatable; default: any non-empty one).",
)
@click.option(
    "--stateful",
    is_flag=True,
    help="Keep what POST creates: GET by id reads it back, DELETE forgets it (in memory).",
)
@common_options("Mock")
def mock_cmd(
    specs: tuple[Path, ...],
    host: str,
    port: int,
    style: str,
    seed: int,
    dynamic: bool,
    latency: int,
    api_keys: tuple[str, ...],
    stateful: bool,
    max_spec_size: int,
    allow_ref_root: tuple[Path, ...],
    allow_invalid: bool,
    strict: bool,
    ignore: tuple[str, ...],
    max_diagnostics: int | None,
) -> None:
    """Serve a mock of SPECS: declared examples, else values made from the schemas."""
    from generator.commands.common import options_from, render_diagnostics

    config = mock_config(specs)
    settings = options_key(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    options = options_from(max_spec_size, allow_ref_root, allow_invalid, strict, ignore)
    try:
        warnings = prepare(config, settings, options)
        module = load_mock(config)
    except SpecError as exc:
        fail(exc.diagnostics, max_diagnostics)
    if warnings:
        click.echo(render_diagnostics(warnings, max_diagnostics), err=True)
    mock_settings = module.MockSettings(
        seed=seed,
        dynamic=dynamic,
        latency_ms=latency,
        api_keys=frozenset(api_keys),
        stateful=stateful,
    )
    flask = style == "flask"
    factory = "create_flask_app" if flask else "create_app"
    app = getattr(module, factory)(mock_settings)
    base_path = importlib.import_module(f"{config.name}.server").BASE_PATH
    click.echo(
        f"specgen mock: {len(module.OPERATIONS)} operation(s) of "
        f"{', '.join(map(str, specs))} on http://{host}:{port}{base_path} ({style}, seed "
        f"{seed}{', dynamic' if dynamic else ''}{', stateful' if stateful else ''})",
        err=True,
    )
    from generator.apps import LoadedApp, serve_forever

    loaded = LoadedApp(f"{config.name}.mock:{factory}", app, "wsgi" if flask else "asgi", False)
    try:
        serve_forever(loaded, host, port)
    except KeyboardInterrupt:  # uvicorn stopped gracefully, then raised the signal again
        sys.exit(0)
