"""`package = true`: the files that make a generated package a distribution of its own.

`pyproject.toml` (hatchling; the folder itself becomes the import package, its runtime
dependencies are those of its styles and model flavour) and `README.md` (how to install and
use it). Spec text reaches them through the `toml` and `markdown` filters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from generator import __version__
from generator.ir.model import Api
from generator.render.code import Code
from generator.render.env import make_environment, render_templates
from generator.render.filters import comment
from generator.render.header import header_lines
from generator.render.styles import Style, runtime_requirements

TEMPLATES = {
    "pyproject.toml": "package/pyproject.toml.jinja",
    "README.md": "package/README.md.jinja",
}
# PEP 440 versions as people write them (1, 1.2.3, 2.0.0rc1, 1.0.post2, 3.1.dev4).
_VERSION = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")


def toml(text: str) -> Code:
    """A TOML basic string: quotes and backslashes escaped, control characters as \\uXXXX."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate: not encodable, not TOML
            out.append("\\ufffd")
        else:
            out.append(ch)
    return Code('"' + "".join(out) + '"')


def markdown(text: str) -> Code:
    """One line of spec text as Markdown text: no markup, HTML or line breaks of its own."""
    flat = comment(text, limit=300)
    return Code(re.sub(r"([\\`*_\[\]<>&|])", r"\\\1", flat))


def distribution_version(version: str) -> str:
    return version if _VERSION.fullmatch(version) else "0.0.0"


def render_distribution(
    api: Api, template_dirs: Sequence[Path], styles: Sequence[Style], model_type: str
) -> dict[str, str]:
    env = make_environment(template_dirs)
    env.filters.update({"toml": toml, "markdown": markdown})
    python = [s for s in styles if s.language == "python"]
    context = {
        "api": api,
        "header_lines": [Code(line) for line in header_lines(api, comment)],
        "distribution": {
            "package": Code(api.name),  # a lower-case identifier (checked with the config)
            "name": Code(api.name.replace("_", "-")),
            "version": Code(distribution_version(api.version)),
            "requires": runtime_requirements(python, model_type),
            "styles": tuple(Code(s.name) for s in python),
            "specgen": Code(__version__),
        },
    }
    return render_templates(env, TEMPLATES, context, ())
