"""`specgen init [SPEC]`: write a commented `[tool.specgen]` section into pyproject.toml.

On a terminal it asks for the API's name, the output folder and the styles (with defaults);
otherwise it asks nothing. It never touches a pyproject.toml that configures specgen already.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import click

from generator.commands.common import fail
from generator.config import check_api_name
from generator.diagnostics import Location, SpecError, error
from generator.render.styles import DEFAULT_MODEL_TYPE, resolve_styles

_NAME = re.compile(r"[^a-z0-9_]+")
_SPEC_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json", "swagger.yaml", "swagger.json")
_DEFAULT_STYLES = ("fastapi", "httpx")

_SECTION = """\

[tool.specgen]
# Where generated packages go: one folder per API below it. Inside your own package (for
# example "src/yourpkg/api") the generated code imports as `yourpkg.api.{name_text}`.
output = {output}
# What to generate (`specgen styles` lists them): fastapi and flask serve one typed handler
# contract, httpx is a sync and async client, typescript a TypeScript client.
styles = {styles}
# layout = "tags"             # one module per tag instead of one per concern
# model_type = "pydantic"     # or pydantic-dataclass, dataclasses, typeddict, msgspec
# templates = ["templates"]   # folders whose files override the built-in templates

[[tool.specgen.api]]
name = {name}  # the package: {output_text}/{name_text}/
specs = {specs}  # several files that describe one API are merged
"""


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(_toml_string(i) for i in items) + "]"


def default_name(spec: Path | None) -> str:
    """A package name from the spec's file name (or its folder for `openapi.yaml`)."""
    if spec is None:
        return "api"
    stem = spec.stem if spec.stem not in ("openapi", "swagger", "spec") else spec.parent.name
    name = _NAME.sub("_", stem.lower()).strip("_") or "api"
    return f"api_{name}" if name[0].isdigit() else name


def find_spec(root: Path) -> Path | None:
    """An OpenAPI document in the project, by its usual names: at the root, in a specs/,
    spec/, openapi/, api/ or docs/ folder, or one level below one."""
    folders = [root]
    for top in ("specs", "spec", "openapi", "api", "docs"):
        if (root / top).is_dir():
            folders += [root / top, *sorted(p for p in (root / top).iterdir() if p.is_dir())]
    for folder in folders:
        for name in _SPEC_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command("init")
@click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--name", help="The API's package name (default: from the spec's file name).")
@click.option(
    "--output", default="generated", show_default=True, help="Folder for generated packages."
)
@click.option(
    "--style",
    "styles",
    multiple=True,
    help="A style to generate (repeatable; default: fastapi and httpx): specgen styles.",
)
def init_cmd(spec: Path | None, name: str | None, output: str, styles: tuple[str, ...]) -> None:
    """Add a commented [tool.specgen] section to ./pyproject.toml (created if missing)."""
    root = Path.cwd()
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text("utf-8") if pyproject.is_file() else ""
    where = Location(str(pyproject.name))
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        fail([error("SG611", f"pyproject.toml is not valid TOML: {exc}", "", where)], None)
    if "specgen" in table.get("tool", {}):
        hint = "edit the section by hand; `specgen init` never overwrites one"
        fail([error("SG617", "pyproject.toml configures specgen already", hint, where)], None)
    spec = spec or find_spec(root)
    name = name or default_name(spec)
    chosen = list(styles) or list(_DEFAULT_STYLES)
    if _interactive():
        name = click.prompt("API name (its package name)", default=name)
        output = click.prompt("Output folder", default=output)
        chosen = click.prompt("Styles", default=" ".join(chosen)).split()
    try:
        check_api_name(name)
        resolve_styles(chosen, DEFAULT_MODEL_TYPE)
    except SpecError as exc:
        fail(exc.diagnostics, None)
    spec_text = os.path.relpath(spec, root) if spec is not None else "openapi.yaml"
    section = _SECTION.format(
        output=_toml_string(output),
        output_text=output,
        styles=_toml_list(chosen),
        name=_toml_string(name),
        name_text=name,
        specs=_toml_list([Path(spec_text).as_posix()]),
    )
    separator = "" if not text or text.endswith("\n") else "\n"
    pyproject.write_text(text + separator + (section if text else section.lstrip("\n")), "utf-8")
    note = "" if spec is not None else " (no spec found: point `specs` at yours)"
    click.echo(f"wrote [tool.specgen] to {pyproject.name}{note}; next: specgen generate")
