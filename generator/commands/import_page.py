"""`specgen import`: the OpenAPI block of a Markdown doc page, written out as a spec file."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.common import fail
from generator.diagnostics import SpecError, error


@click.command("import")
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The spec file to write (YAML, as in the page).",
)
def import_cmd(page: Path, output: Path) -> None:
    """Extract the OpenAPI block of a Markdown doc page into a spec file, verbatim."""
    from generator.load.markdown import extract_openapi_block

    try:
        text = page.read_text("utf-8")
        block, _ = extract_openapi_block(text, str(page))
    except SpecError as exc:
        fail(exc.diagnostics, None)
    except (OSError, UnicodeDecodeError) as exc:
        problem = error("SG100", f"cannot read {page}: {exc}", "check the path and encoding")
        fail([problem], None)
    # Trailing blank lines inside the fence are layout, not content.
    output.write_text(block.rstrip("\n") + "\n", "utf-8")
    click.echo(f"wrote {output}")
