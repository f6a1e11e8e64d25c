"""One API → the files of its TypeScript client package (in memory, final form: the templates'
output is the formatting, no formatter runs)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from generator.ir.model import Api
from generator.render.code import Code
from generator.render.env import make_environment, render_templates
from generator.render.header import header_lines
from generator.render.runtime import runtime_files
from generator.render.styles import TAG_PLACEHOLDER, check_layout
from generator.render.typescript.context import client_view, webhook_view
from generator.render.typescript.literals import FILTERS, ts_comment
from generator.render.typescript.schemas import model_declarations

# The TypeScript compiler the generated package.json names (and the tests install).
TYPESCRIPT_VERSION = "5.9.3"

# Output file (relative to the package folder) -> template.
TYPESCRIPT_TEMPLATES: dict[str, str] = {
    "package.json": "client/typescript/package.json.jinja",
    "tsconfig.json": "client/typescript/tsconfig.json.jinja",
    "src/models.ts": "client/typescript/src/models.ts.jinja",
    "src/client.ts": "client/typescript/src/client.ts.jinja",
    "src/index.ts": "client/typescript/src/index.ts.jinja",
}
# The webhook sender, for an API with webhooks or callbacks (either layout).
WEBHOOK_TEMPLATE = "client/typescript/src/webhooks.ts.jinja"
# Runtime files (generator/runtime/typescript/), copied into src/ as they are.
TYPESCRIPT_RUNTIME = ("errors.ts", "retry.ts", "runtime.ts", "streams.ts")
# The tags layout: `Client` holds one object per tag group, each group in its own module
# (`{tag}` is the group's module name, as in the Python styles' per-tag templates).
TYPESCRIPT_TAG_TEMPLATES: dict[str, str] = {
    **TYPESCRIPT_TEMPLATES,
    "src/client.ts": "client/typescript/tags/client.ts.jinja",
    f"src/tags/{TAG_PLACEHOLDER}.ts": "client/typescript/tags/group.ts.jinja",
    "src/index.ts": "client/typescript/tags/index.ts.jinja",
}
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")


def typescript_environment(user_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """specgen's environment (user folders first, strict finalize) plus the TS filters."""
    env = make_environment(user_dirs)
    env.filters.update(FILTERS)
    return env


def ts_header(api: Api) -> Code:
    return Code("\n".join(f"// {line}" for line in header_lines(api, ts_comment)))


def _package(api: Api) -> dict[str, str]:
    version = api.version if _SEMVER.fullmatch(api.version) else "0.0.0"
    return {
        "name": str(api.name).replace("_", "-"),
        "version": version,
        "description": " ".join(f"TypeScript client for {api.title or api.name}".split()),
        "typescript": TYPESCRIPT_VERSION,
    }


def render_typescript_client(
    api: Api, template_dirs: Sequence[Path] = (), layout: str = "module"
) -> dict[str, str]:
    """Every file of the TypeScript client package of `api`, keyed by path relative to the
    package folder (`package.json`, `src/client.ts`, ...).

    `layout="tags"` splits the client per tag group: `src/tags/<tag>.ts` (rendered once per
    group, with that `group`: a `GroupView`) and a `Client` with one property per group."""
    templates = TYPESCRIPT_TAG_TEMPLATES if check_layout(layout) == "tags" else TYPESCRIPT_TEMPLATES
    env = typescript_environment(template_dirs)
    client = client_view(api)
    hooks = webhook_view(api)
    context: dict[str, Any] = {
        "api": api,
        "header": ts_header(api),
        "header_lines": header_lines(api, ts_comment),
        "package": _package(api),
        "models": model_declarations(api.models_document),
        "client": client,
        "hooks": hooks,
        "layout": layout,
    }
    groups = ((str(g.module), {"group": g}) for g in client.groups)
    files = render_templates(env, templates, context, groups)
    if hooks is not None:  # the webhook sender, with the webhooks' view as `client`
        sender = {"src/webhooks.ts": WEBHOOK_TEMPLATE}
        files.update(render_templates(env, sender, {**context, "client": hooks}, ()))
    files.update(
        {f"src/{n}": t for n, t in runtime_files("typescript", TYPESCRIPT_RUNTIME).items()}
    )
    return files
