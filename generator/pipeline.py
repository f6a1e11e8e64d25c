"""The orchestrator: load → validate → build IR → render → format → write or compare.

Each stage lives in its own package; this module only sequences them and gathers diagnostics.
Nothing touches the output folder until every API of the run has rendered and formatted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.api import build_api
from generator.config import ApiConfig
from generator.diagnostics import Diagnostic, SpecError, has_errors
from generator.ir.model import Api
from generator.load import load_spec
from generator.load.files import DEFAULT_MAX_BYTES
from generator.load.spec import Spec
from generator.render.package import render_package
from generator.render.styles import resolve_styles
from generator.validate import Validated, validate
from generator.validate.emit_safety import require_emit_safety
from generator.write.check import PackageDiff, compare_package
from generator.write.formatting import format_python
from generator.write.writer import WriteReport, write_package


@dataclass(frozen=True)
class Options:
    """Run-wide settings from the command line."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allow_ref_roots: tuple[Path, ...] = ()
    allow_invalid: bool = False


@dataclass
class Rendered:
    config: ApiConfig
    api: Api
    files: dict[str, str]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_and_validate(
    specs: Sequence[Path], options: Options, *, allow_invalid: bool = False
) -> tuple[Spec, Validated, list[Diagnostic]]:
    """Load and validate one API's specs; raise SpecError carrying every problem found."""
    spec, warnings = load_spec(
        specs, max_bytes=options.max_bytes, allow_roots=options.allow_ref_roots
    )
    validated = validate(spec, allow_invalid=allow_invalid or options.allow_invalid)
    diagnostics = [*warnings, *validated.diagnostics]
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return spec, validated, diagnostics


def render_api(config: ApiConfig, options: Options) -> Rendered:
    """Every file of one API's package, formatted, in memory."""
    spec, validated, diagnostics = load_and_validate(
        config.specs, options, allow_invalid=config.allow_invalid
    )
    api = build_api(config.name, validated.document, spec)
    require_emit_safety(api, spec)
    styles = resolve_styles(
        config.styles, config.model_type, f"API {config.name!r}: ", config.user_styles
    )
    files = render_package(api, config.template_dirs, styles, config.model_type, config.layout)
    formatted = format_python(files, first_party=(config.name,))
    return Rendered(config, api, formatted, diagnostics)


def render_apis(configs: Sequence[ApiConfig], options: Options) -> list[Rendered]:
    """Render every API; collect the errors of all of them before giving up."""
    rendered: list[Rendered] = []
    errors: list[Diagnostic] = []
    for config in configs:
        try:
            rendered.append(render_api(config, options))
        except SpecError as exc:
            errors.extend(exc.diagnostics)
    if errors:
        raise SpecError(errors)
    return rendered


def write_all(rendered: Sequence[Rendered], *, force: bool = False) -> list[WriteReport]:
    return [write_package(r.config.package_dir, r.files, force=force) for r in rendered]


def compare_all(rendered: Sequence[Rendered]) -> list[PackageDiff]:
    return [compare_package(r.config.package_dir, r.files) for r in rendered]
