"""`specgen styles`: the built-in styles and the project's own, one line each."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.common import config_option
from generator.config import find_config, load_config
from generator.render.styles import BUILTIN, DEFAULT_STYLES, LAYOUTS, MODEL_TYPES, Style


@click.command("styles")
@config_option
def styles_cmd(config: Path | None) -> None:
    """List the styles an API can be generated in (config: styles = [...])."""
    styles: dict[str, Style] = dict(BUILTIN)
    path = config or find_config(Path.cwd())
    if path is not None:
        for api in load_config(path).apis:
            styles.update(api.user_styles)
    width = max(len(name) for name in styles)
    for style in styles.values():
        origin = " (default)" if style.name in DEFAULT_STYLES else ""
        origin += "" if style.name in BUILTIN else " (project)"
        click.echo(
            f"{style.name:<{width}}  {style.kind:<6}  {style.language:<10}  "
            f"{style.summary}{origin}; needs {style.runtime}"
        )
    click.echo(f"model_type: {', '.join(MODEL_TYPES)} (servers and httpx need pydantic ones)")
    click.echo(f"layout: {', '.join(LAYOUTS)} (tags: one module per tag, for large specs)")
