"""Styles: named sets of templates (plus a model flavour) that one API is generated in.

A server style writes the shared handler contract and a framework's app; a client style a
client; every Python style shares the package's `models.py`. `specgen styles` lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from generator.diagnostics import SpecError, error

# Model flavours datamodel-code-generator writes (`model_type` in the config).
MODEL_TYPES: Mapping[str, str] = {
    "pydantic": "pydantic_v2.BaseModel",
    "pydantic-dataclass": "pydantic_v2.dataclass",
    "dataclasses": "dataclasses.dataclass",
    "typeddict": "typing.TypedDict",
    "msgspec": "msgspec.Struct",
}
# How an absent optional property reads (`absent` in the config): "missing" is pydantic's
# MISSING sentinel, which only the pydantic flavours have; "none" is None.
ABSENT = ("missing", "none")
MISSING_MODEL_TYPES = frozenset({"pydantic", "pydantic-dataclass"})
DEFAULT_STYLES = ("fastapi", "httpx")
DEFAULT_MODEL_TYPE = "pydantic"
# "module": one module per concern (handlers.py, server.py, client.py); "tags": a package per
# concern with one module per tag (handlers/, routers/, blueprints/, client/).
LAYOUTS = ("module", "tags")
DEFAULT_LAYOUT = "module"
# In a template's output path, `{tag}` is replaced by each tag group's module name: the
# template is rendered once per group (generator.render.env.render_templates). Defined here,
# not there, so that the CLI can read styles without importing Jinja.
TAG_PLACEHOLDER = "{tag}"


@cache
def builtin_templates_dir() -> Path:
    """Templates ship inside the wheel as generator/templates; a source checkout has them at the
    top level (templates/). Here, not in env.py, so the no-op cache can hash them without Jinja."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("specgen's templates folder is missing from the installation")


@dataclass(frozen=True)
class Style:
    name: str
    kind: str  # server, client or models
    language: str  # python or typescript
    summary: str
    runtime: str  # what the generated code needs at run time
    templates: Mapping[str, str] = field(default_factory=dict)  # output file -> template
    # The same for the "tags" layout; None: the style has one set for both layouts.
    tag_templates: Mapping[str, str] | None = None
    # Model flavours it works with: the servers and the httpx client validate and serialise
    # through pydantic, so they need pydantic models.
    model_types: frozenset[str] = frozenset(MODEL_TYPES)
    # Runtime modules (generator/runtime/python/) copied into the package as they are, in
    # every layout.
    runtime_modules: tuple[str, ...] = ()
    # What the generated code imports at run time, as requirement specifiers (besides the
    # model flavour's library): a packaged API lists them, and so do specgen's own extras.
    requires: tuple[str, ...] = ()
    # Output file -> template of the webhook modules, rendered (in both layouts) only for an
    # API with webhooks, with the webhooks' view as `py` and as `operations`.
    webhook_templates: Mapping[str, str] = field(default_factory=dict)

    def templates_for(self, layout: str) -> Mapping[str, str]:
        if layout == "tags" and self.tag_templates is not None:
            return self.tag_templates
        return self.templates


_CONTRACT = {
    "handlers.py": "server/handlers.py.jinja",
    "_security.py": "server/_security.py.jinja",
}
_CONTRACT_BY_TAG = {
    "handlers/__init__.py": "server/handlers/__init__.py.jinja",
    f"handlers/{TAG_PLACEHOLDER}.py": "server/handlers/tag.py.jinja",
    "_security.py": "server/_security.py.jinja",
}
# The receiver's contract of an API's webhooks (the consumer side), shared by both servers.
_WEBHOOK_CONTRACT = {"webhooks.py": "server/webhooks.py.jinja"}
_SERVER_RUNTIME = (
    "_handlers_runtime.py",
    "_problems.py",
    "_server_core.py",
    "_server_json.py",
    "_server_bodies.py",
    "_server_params.py",
    "_streams.py",
    "_forms.py",
    "_binary.py",
    "_media.py",
)
_PYDANTIC = frozenset({"pydantic", "pydantic-dataclass"})
# What each model flavour's models.py imports at run time.
MODEL_REQUIRES: Mapping[str, tuple[str, ...]] = {
    "pydantic": ("pydantic>=2.14",),  # MISSING is public from 2.14
    "pydantic-dataclass": ("pydantic>=2.14",),
    "dataclasses": (),
    "typeddict": (),
    "msgspec": ("msgspec>=0.18",),
}
# The servers check bodies against the spec's schemas (what the models cannot say).
_SCHEMA_CHECKS = "jsonschema-rs>=0.60"

BUILTIN: Mapping[str, Style] = {
    s.name: s
    for s in (
        Style(
            "fastapi",
            "server",
            "python",
            "FastAPI app (async, ASGI) over the typed handler contract",
            "fastapi, python-multipart, pydantic, jsonschema-rs",
            {**_CONTRACT, "server.py": "server/fastapi/server.py.jinja"},
            {
                **_CONTRACT_BY_TAG,
                "server.py": "server/fastapi/server.py.jinja",
                "routers/__init__.py": "server/fastapi/routers/__init__.py.jinja",
                f"routers/{TAG_PLACEHOLDER}.py": "server/fastapi/routers/router.py.jinja",
            },
            _PYDANTIC,
            (*_SERVER_RUNTIME, "_server_runtime.py"),
            # python-multipart: Starlette's form parser (multipart and urlencoded bodies).
            ("fastapi>=0.115", "python-multipart>=0.0.18", _SCHEMA_CHECKS),
            {**_WEBHOOK_CONTRACT, "webhook_server.py": "server/fastapi/webhook_server.py.jinja"},
        ),
        Style(
            "flask",
            "server",
            "python",
            "Flask app (sync, WSGI) over the same typed handler contract",
            "flask, pydantic, jsonschema-rs",
            {**_CONTRACT, "flask_server.py": "server/flask/flask_server.py.jinja"},
            {
                **_CONTRACT_BY_TAG,
                "flask_server.py": "server/flask/flask_server.py.jinja",
                "blueprints/__init__.py": "server/flask/blueprints/__init__.py.jinja",
                f"blueprints/{TAG_PLACEHOLDER}.py": "server/flask/blueprints/blueprint.py.jinja",
            },
            _PYDANTIC,
            (*_SERVER_RUNTIME, "_flask_runtime.py", "_flask_loop.py"),
            ("flask>=3.0", _SCHEMA_CHECKS),
            {
                **_WEBHOOK_CONTRACT,
                "webhook_flask_server.py": "server/flask/webhook_flask_server.py.jinja",
            },
        ),
        Style(
            "mock",
            "server",
            "python",
            "MockHandlers: the contract answered from examples and schemas (specgen mock)",
            "pydantic, jsonschema-rs (and the server styles' own)",
            {**_CONTRACT, "mock.py": "server/mock.py.jinja"},
            {**_CONTRACT_BY_TAG, "mock.py": "server/mock.py.jinja"},
            _PYDANTIC,
            (
                *_SERVER_RUNTIME,
                "_mock.py",
                "_mock_contract.py",
                "_mock_http.py",
                "_mock_store.py",
                "_mock_values.py",
                "_mock_schema.py",
                "_mock_scalars.py",
                "_mock_regex.py",
            ),
            (_SCHEMA_CHECKS,),
        ),
        Style(
            "httpx",
            "client",
            "python",
            "httpx client, sync and async, typed errors, retries",
            "httpx, pydantic",
            {"client.py": "client/httpx/client.py.jinja"},
            {
                "client/__init__.py": "client/httpx/client/__init__.py.jinja",
                f"client/{TAG_PLACEHOLDER}.py": "client/httpx/client/group.py.jinja",
            },
            _PYDANTIC,
            (
                "_client_runtime.py",
                "_client_request.py",
                "_client_streams.py",
                "_client_binary.py",
                "_streams.py",
                "_forms.py",
                "_binary.py",
                "_media.py",
            ),
            ("httpx>=0.27", "httpx-sse>=0.4"),
            {"webhook_sender.py": "client/httpx/webhook_sender.py.jinja"},
        ),
        Style(
            "models",
            "models",
            "python",
            "models.py only, in any model flavour",
            "the model flavour's library",
        ),
        Style(
            "typescript",
            "client",
            "typescript",
            "fetch-based TypeScript client package in typescript/, no runtime dependencies",
            "none (Node 18+ or a browser)",
        ),
    )
}


def runtime_requirements(styles: Iterable[Style], model_type: str) -> tuple[str, ...]:
    """What a package generated in `styles` over `model_type` models imports at run time."""
    found = [*MODEL_REQUIRES.get(model_type, ()), *(r for s in styles for r in s.requires)]
    return tuple(sorted(dict.fromkeys(found)))


def resolve_absent(absent: str | None, model_type: str, where: str = "") -> str:
    """How an absent optional property reads in models.py: `missing` (pydantic's MISSING
    sentinel: absent, null and a value are three things, and only a nullable property takes
    None) where the flavour has it, else `none` (None for absent, as it always was)."""
    if absent is None:
        return "missing" if model_type in MISSING_MODEL_TYPES else "none"
    if absent not in ABSENT or (absent == "missing" and model_type not in MISSING_MODEL_TYPES):
        choices = ", ".join(ABSENT) if model_type in MISSING_MODEL_TYPES else "none"
        raise SpecError(
            [
                error(
                    "SG619",
                    f"{where}absent = {absent!r} is not available for model_type {model_type!r}"
                    if absent in ABSENT
                    else f"{where}unknown absent {absent!r}",
                    f"choose one of: {choices}",
                )
            ]
        )
    return absent


def check_layout(layout: str, where: str = "") -> str:
    if layout not in LAYOUTS:
        raise SpecError(
            [
                error(
                    "SG616",
                    f"{where}unknown layout {layout!r}",
                    f"choose one of: {', '.join(LAYOUTS)}",
                )
            ]
        )
    return layout


def user_style(name: str, table: Mapping[str, object], where: str = "") -> Style:
    """A style defined in the config (`[tool.specgen.style.NAME]`): its own templates, on top
    of those of the built-in style it `extends` (if any).

        [tool.specgen.style.logged]
        extends = "fastapi"
        summary = "FastAPI server that logs every request"
        templates = { "logged_server.py" = "logged/server.py.jinja" }
    """
    base_name = table.get("extends")
    base = BUILTIN.get(base_name) if isinstance(base_name, str) else None
    templates = table.get("templates", {})
    problems = []
    if base_name is not None and base is None:
        problems.append(
            error("SG615", f"{where}style {name!r} extends unknown style {base_name!r}", "")
        )
    if not isinstance(templates, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in templates.items()
    ):
        problems.append(
            error(
                "SG615",
                f"{where}style {name!r}: `templates` must map output files to template names",
                'e.g. templates = { "app.py" = "mine/app.py.jinja" }',
            )
        )
    if problems:
        raise SpecError(problems)
    assert isinstance(templates, Mapping)
    summary = table.get("summary")
    return Style(
        name=name,
        kind=base.kind if base else "server",
        language="python",
        summary=summary if isinstance(summary, str) else f"user style ({name})",
        runtime=base.runtime if base else "see its templates",
        templates={**(base.templates if base else {}), **templates},
        tag_templates={**base.templates_for("tags"), **templates} if base else None,
        model_types=base.model_types if base else frozenset(MODEL_TYPES),
        runtime_modules=base.runtime_modules if base else (),
        requires=base.requires if base else (),
        webhook_templates=base.webhook_templates if base else {},
    )


def resolve_styles(
    names: Iterable[str],
    model_type: str,
    where: str = "",
    extra: Mapping[str, Style] | None = None,
) -> tuple[Style, ...]:
    """The styles named (built-in or `extra`, the config's own), checked against each other
    and the model flavour."""
    registry = {**BUILTIN, **(extra or {})}
    problems = []
    styles: list[Style] = []
    if model_type not in MODEL_TYPES:
        problems.append(
            error(
                "SG613",
                f"{where}unknown model_type {model_type!r}",
                f"choose one of: {', '.join(MODEL_TYPES)}",
            )
        )
    for name in dict.fromkeys(names):
        style = registry.get(name)
        if style is None:
            choices = ", ".join(registry)
            problems.append(
                error("SG613", f"{where}unknown style {name!r}", f"choose from: {choices}")
            )
            continue
        if model_type in MODEL_TYPES and model_type not in style.model_types:
            problems.append(
                error(
                    "SG614",
                    f"{where}style {name!r} cannot work over {model_type!r} models",
                    f"it needs one of: {', '.join(sorted(style.model_types))}; "
                    "or generate those models with the 'models' style alone",
                )
            )
        styles.append(style)
    if not styles and not problems:
        problems.append(error("SG613", f"{where}no style selected", "e.g. styles = ['fastapi']"))
    if problems:
        raise SpecError(problems)
    return tuple(styles)
