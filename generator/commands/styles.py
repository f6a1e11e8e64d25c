"""`specgen styles`: the built-in styles, one line each."""

from __future__ import annotations

import click

from generator.render.styles import BUILTIN, DEFAULT_STYLES, MODEL_TYPES


@click.command("styles")
def styles_cmd() -> None:
    """List the styles an API can be generated in (config: styles = [...])."""
    width = max(len(name) for name in BUILTIN)
    for style in BUILTIN.values():
        default = " (default)" if style.name in DEFAULT_STYLES else ""
        click.echo(
            f"{style.name:<{width}}  {style.kind:<6}  {style.language:<10}  "
            f"{style.summary}{default}; needs {style.runtime}"
        )
    click.echo(f"model_type: {', '.join(MODEL_TYPES)} (servers and httpx need pydantic ones)")
