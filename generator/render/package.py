"""One API → the files of its generated package (in memory, unformatted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from generator.cache.memo import Memo
from generator.forked import Spare
from generator.ir.model import Api
from generator.render.distribution import render_distribution
from generator.render.python.render import Meanwhile, render_python
from generator.render.styles import (
    DEFAULT_LAYOUT,
    DEFAULT_MODEL_TYPE,
    DEFAULT_STYLES,
    Style,
    resolve_absent,
    resolve_styles,
)
from generator.render.typescript import render_typescript_client


def render_package(
    api: Api,
    template_dirs: Sequence[Path] = (),
    styles: Sequence[Style] | None = None,
    model_type: str = DEFAULT_MODEL_TYPE,
    layout: str = DEFAULT_LAYOUT,
    *,
    package: bool = False,
    absent: str | None = None,
    memo: Memo | None = None,
    spare: Spare | None = None,
    meanwhile: Meanwhile | None = None,
) -> dict[str, str]:
    """Every file of the package of `api` in `styles`, keyed by path relative to the package
    folder: the Python files (`generator.render.python.render`), the contract the servers
    serve, the TypeScript client package in `typescript/`, and with `package` the files that
    make the folder a distribution of its own (`pyproject.toml`, `README.md`). `absent` is how
    models.py reads an absent optional property (see `resolve_absent`); `spare` generates
    models.py in that process meanwhile, and `meanwhile` hears of the files ready until then
    (see `render_python`)."""
    styles = tuple(styles) if styles is not None else resolve_styles(DEFAULT_STYLES, model_type)
    absent = resolve_absent(absent, model_type)
    files = render_python(
        api,
        template_dirs,
        styles,
        model_type,
        layout,
        absent,
        memo,
        spare=spare,
        meanwhile=meanwhile,
    )
    if package:
        files.update(render_distribution(api, template_dirs, styles, model_type))
    if any(style.kind == "server" for style in styles):
        # The contract the generated servers serve at /openapi.json, and what they check
        # request bodies against beyond the models.
        files["openapi.json"] = _json(api.contract)
        files["request_schemas.json"] = _json(api.request_schemas)
        if api.hooks:
            files["webhooks.openapi.json"] = _json(api.webhook_contract)
    if any(style.name == "typescript" for style in styles):
        for path, text in render_typescript_client(api, template_dirs, layout).items():
            files[f"typescript/{path}"] = text
    return files


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
