"""One API → the files of its generated package (in memory, unformatted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from generator.ir.model import Api
from generator.render.env import make_environment, render_templates
from generator.render.header import python_header
from generator.render.models import render_models
from generator.render.runtime import runtime_files
from generator.render.styles import (
    DEFAULT_LAYOUT,
    DEFAULT_MODEL_TYPE,
    DEFAULT_STYLES,
    MODEL_TYPES,
    Style,
    resolve_styles,
)
from generator.render.typescript import render_typescript_client

PACKAGE_TEMPLATES: dict[str, str] = {"__init__.py": "package/__init__.py.jinja"}


def render_package(
    api: Api,
    template_dirs: Sequence[Path] = (),
    styles: Sequence[Style] | None = None,
    model_type: str = DEFAULT_MODEL_TYPE,
    layout: str = DEFAULT_LAYOUT,
) -> dict[str, str]:
    """Every file of the package of `api` in `styles`, keyed by path relative to the package
    folder. Python styles share models.py and the handler contract.

    Templates see `api`, `header`, `layout`, `groups` (the tag groups) and `operations`; an
    output path containing `{tag}` is rendered once per tag group, with that `group` and its
    `operations` (elsewhere `group` is None and `operations` are all of them).
    """
    styles = tuple(styles) if styles is not None else resolve_styles(DEFAULT_STYLES, model_type)
    header = python_header(api)
    env = make_environment(template_dirs)
    templates = dict(PACKAGE_TEMPLATES)
    for style in styles:
        templates.update(style.templates_for(layout))
    files: dict[str, str] = {"models.py": render_models(api, header, MODEL_TYPES[model_type])}
    context = {
        "api": api,
        "header": header,
        "layout": layout,
        "groups": api.groups,
        "group": None,
        "operations": api.operations,
    }
    groups = ((g.module, {"group": g, "operations": g.operations}) for g in api.groups)
    files.update(render_templates(env, templates, context, groups))
    modules = dict.fromkeys(m for style in styles for m in style.runtime_modules)
    files.update(runtime_files("python", modules))
    files["py.typed"] = ""
    if any(style.kind == "server" for style in styles):
        # The contract the generated servers serve at /openapi.json, and what they check
        # request bodies against beyond the models.
        files["openapi.json"] = _json(api.contract)
        files["request_schemas.json"] = _json(api.request_schemas)
    if any(style.name == "typescript" for style in styles):
        for path, text in render_typescript_client(api, template_dirs, layout).items():
            files[f"typescript/{path}"] = text
    return files


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
