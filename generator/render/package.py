"""One API → the files of its generated package (in memory, unformatted)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import jinja2

from generator.diagnostics import SpecError, error
from generator.ir.model import Api
from generator.render.env import make_environment
from generator.render.filters import UnsafeTemplateValue
from generator.render.header import python_header
from generator.render.models import render_models

# Output file -> template, for the default style (FastAPI server + httpx client).
PACKAGE_TEMPLATES: dict[str, str] = {
    "__init__.py": "package/__init__.py.jinja",
    "handlers.py": "server/handlers.py.jinja",
    "_server_core.py": "server/_server_core.py.jinja",
    "_server_runtime.py": "server/fastapi/_server_runtime.py.jinja",
    "server.py": "server/fastapi/server.py.jinja",
    "_client_runtime.py": "client/httpx/_client_runtime.py.jinja",
    "client.py": "client/httpx/client.py.jinja",
}


def render_package(api: Api, template_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """Every file of the package of `api`, keyed by path relative to the package folder."""
    header = python_header(api)
    env = make_environment(template_dirs)
    files: dict[str, str] = {"models.py": render_models(api, header)}
    for out, name in PACKAGE_TEMPLATES.items():
        try:
            files[out] = env.get_template(name).render(api=api, header=header)
        except (jinja2.TemplateError, UnsafeTemplateValue) as exc:
            raise SpecError(
                [
                    error(
                        "SG503",
                        f"template {name} failed: {exc}",
                        "a bug in specgen or in a user template folder; the output is untouched",
                    )
                ]
            ) from exc
    files["py.typed"] = ""
    # The contract the generated server serves at /openapi.json.
    files["openapi.json"] = json.dumps(api.contract, indent=2, ensure_ascii=False) + "\n"
    # What the server checks request bodies against, beyond the models.
    files["request_schemas.json"] = (
        json.dumps(api.request_schemas, indent=2, ensure_ascii=False) + "\n"
    )
    return files
