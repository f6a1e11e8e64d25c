"""The orchestrator: load → validate → build IR → render → format → write or compare.

Each stage lives in its own package; this module only sequences them and gathers diagnostics.
Nothing touches the output folder until every API of the run has rendered and formatted.
`generate` and `check` are the two whole runs the CLI offers; each package's files and its
generation record land in one atomic swap.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build.api import build_api
from generator.cache.entry import CACHE_DIR
from generator.cache.memo import Memo
from generator.config import ApiConfig
from generator.diagnostics import Diagnostic, SpecError, apply_policy, has_errors
from generator.forked import Spare, cores, in_pool_worker, pool_context, spare_core
from generator.ir.model import Api
from generator.load import load_spec
from generator.load.files import DEFAULT_MAX_BYTES
from generator.load.spec import Spec
from generator.render.package import render_package
from generator.render.python.models import schemas_seen_key, warm_up
from generator.render.styles import resolve_styles
from generator.report.record import generation_record
from generator.report.regen import RegenReport
from generator.report.stale import explain
from generator.validate import Validated, finish, prepare, validate
from generator.validate.background import Structural
from generator.validate.emit_safety import require_emit_safety
from generator.write.check import PackageDiff, compare_package
from generator.write.formatting import EarlyFormat, format_python
from generator.write.manifest import read_manifest
from generator.write.writer import write_package

# The memo of the schemas whose models.py a run finished (`models.schemas_seen_key`).
SEEN = "seen"
# Hears (API name, stage) as each stage of a run starts (the CLI shows it on a terminal).
Progress = Callable[[str, str], None]
# One API's package as `_render_document` makes it: its IR, files and generation record.
_Outcome = tuple[Api, dict[str, str], dict[str, Any]]


@dataclass(frozen=True)
class Options:
    """Run-wide settings from the command line."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allow_ref_roots: tuple[Path, ...] = ()
    allow_invalid: bool = False
    strict: bool = False  # every warning is an error
    ignore: frozenset[str] = frozenset()  # warning codes not reported
    # Reuse what `.specgen-cache/` keeps of unchanged inputs: models.py (`models/`), ruff's
    # output (`format/`), a clean validation (`validation/`). `--no-cache`: none of it.
    memo: bool = True


@dataclass
class Rendered:
    config: ApiConfig
    api: Api
    files: dict[str, str]
    # What this package is generated from (kept in its manifest), `generation_record`.
    record: dict[str, Any]
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class Checked:
    """One API in `specgen check`: how its folder differs, and why (empty when clean)."""

    rendered: Rendered
    diff: PackageDiff
    causes: tuple[str, ...]


def load_and_validate(
    specs: Sequence[Path],
    options: Options,
    *,
    allow_invalid: bool = False,
    strict: bool = False,
    ignore: frozenset[str] = frozenset(),
) -> tuple[Spec, Validated, list[Diagnostic]]:
    """Load and validate one API's specs; raise SpecError carrying every problem found.
    `strict` and `ignore` add to the options' (the config's own)."""

    policy = _policy(options, strict, ignore)
    try:
        spec, warnings = load_spec(
            specs, max_bytes=options.max_bytes, allow_roots=options.allow_ref_roots
        )
    except SpecError as exc:
        raise SpecError(policy(exc.diagnostics)) from exc
    validated = validate(spec, allow_invalid=allow_invalid or options.allow_invalid)
    diagnostics = policy([*warnings, *validated.diagnostics])
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    return spec, validated, diagnostics


def _silent(_api: str, _stage: str) -> None:
    pass


def render_api(config: ApiConfig, options: Options, progress: Progress = _silent) -> Rendered:
    """Every file of one API's package, formatted, in memory. `progress(api, stage)` hears of
    each stage as it starts.

    With a spare core, openapi-spec-validator (the costliest check) runs in a child process
    meanwhile; the package is rendered from the document as if it found nothing, and
    rendered again only when what it found changes that document (a repair,
    validate/leniency.py). An error stops the run either way, with every problem found.
    Another child, forked first, imports datamodel-code-generator while the IR is built,
    then generates models.py (unless the memo has it) while the templates render here;
    where a run kept a forecast (`seen/`), it waits for the spec's, which may tell it that
    the memo has models.py already (see `_render_api`)."""
    seen = options.memo and (config.root / CACHE_DIR / SEEN).is_dir()
    spare = Spare(warm_up, deferred=seen) if spare_core() else None
    try:
        return _render_api(config, options, progress, spare)
    finally:
        if spare is not None:
            spare.close()


def _render_api(
    config: ApiConfig, options: Options, progress: Progress, spare: Spare | None
) -> Rendered:
    progress(config.name, "loading and validating")
    policy = _policy(options, config.strict, config.ignore)
    try:
        spec, warnings = load_spec(
            config.specs,
            max_bytes=options.max_bytes,
            allow_roots=options.allow_ref_roots,
            memo=Memo(config.root / CACHE_DIR / "parse") if options.memo else None,
        )
    except SpecError as exc:
        raise SpecError(policy(exc.diagnostics)) from exc
    # The spare warms up for models.py unless the schemas are those of a run whose models
    # the memo keeps: an edit elsewhere then leaves the second core to the validator and ruff.
    forecast = Memo(config.root / CACHE_DIR / SEEN) if options.memo else None
    seen = schemas_seen_key(spec.document) if forecast is not None else None
    if spare is not None and (forecast is None or seen is None or not forecast.get_value(seen)):
        spare.warm_up()
    allow_invalid = config.allow_invalid or options.allow_invalid
    before = prepare(spec)
    checks = Memo(config.root / CACHE_DIR / "validation") if options.memo else None
    pending = Structural(before, fork=spare_core(), memo=checks)
    try:
        guess, assumed = finish(before, [], allow_invalid=allow_invalid)
        outcome: _Outcome | Exception | None = None
        if not has_errors(policy([*warnings, *guess.diagnostics])):
            try:
                outcome = _render_document(config, options, spec, guess.document, progress, spare)
            except Exception as exc:  # perhaps what the validator is finding: judged below
                outcome = exc
        progress(config.name, "validating (openapi-spec-validator)")
        found = pending.result()
        # Nothing found: the speculative outcome is the outcome.
        validated, repairs = (
            finish(before, found, allow_invalid=allow_invalid) if found else (guess, assumed)
        )
    finally:
        pending.cancel()
    diagnostics = policy([*warnings, *validated.diagnostics])
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    if outcome is None or repairs != assumed:
        outcome = _render_document(config, options, spec, validated.document, progress)
    if isinstance(outcome, Exception):
        raise outcome
    api, files, record = outcome
    if forecast is not None and seen is not None and not forecast.get_value(seen):
        forecast.put_value(seen, True)
    return Rendered(config, api, files, record, diagnostics)


def _policy(
    options: Options, strict: bool, ignore: frozenset[str]
) -> Callable[[Sequence[Diagnostic]], list[Diagnostic]]:
    def policy(found: Sequence[Diagnostic]) -> list[Diagnostic]:
        return apply_policy(found, strict=strict or options.strict, ignore=ignore | options.ignore)

    return policy


def _render_document(
    config: ApiConfig,
    options: Options,
    spec: Spec,
    document: dict[str, Any],
    progress: Progress,
    spare: Spare | None = None,
) -> _Outcome:
    """Build, render and format the package from a validated document, with its generation
    record; `spare` is a process for models.py (see `render_python`)."""
    progress(config.name, "building the IR")
    api = build_api(config.name, document, spec, root=config.root)
    require_emit_safety(api, spec)
    styles = resolve_styles(
        config.styles, config.model_type, f"API {config.name!r}: ", config.user_styles
    )
    progress(config.name, "rendering models and templates")
    first_party = (config.name,)
    memo = Memo(config.root / CACHE_DIR / "format") if options.memo else None
    early: list[EarlyFormat] = []  # ruff on each file as it is rendered, on the other core

    def open_early(sources: Collection[str]) -> EarlyFormat:
        early.append(EarlyFormat(sources, first_party, memo))
        return early[-1]

    try:
        files = render_package(
            api,
            config.template_dirs,
            styles,
            config.model_type,
            config.layout,
            package=config.package,
            absent=config.absent,
            memo=Memo(config.root / CACHE_DIR / "models") if options.memo else None,
            spare=spare,
            early=open_early,
        )
        # Made while ruff may still be at work on the other core (format_python waits).
        kept = Memo(config.root / CACHE_DIR / "record") if options.memo else None
        record = generation_record(api, config, kept)
        progress(config.name, "formatting")
        formatted = format_python(
            files, first_party=first_party, memo=memo, early=early[0] if early else None
        )
    finally:
        for started in early:  # its ruff and temporary folder end before the run does
            started.wait()
    return api, formatted, record


def render_apis(
    configs: Sequence[ApiConfig], options: Options, progress: Progress = _silent
) -> list[Rendered]:
    """Render every API, several at once on a machine with more than one core; collect the
    errors of all of them before giving up. The result keeps the order of `configs`."""
    workers = min(len(configs) - 1, cores())
    if workers > 1:
        results = _render_in_pool(configs, options, progress, workers)
    else:
        results = [_render_or_errors(config, options, progress) for config in configs]
    errors = [d for result in results if not isinstance(result, Rendered) for d in result]
    if errors:
        raise SpecError(errors)
    return [result for result in results if isinstance(result, Rendered)]


def _render_or_errors(
    config: ApiConfig, options: Options, progress: Progress = _silent
) -> Rendered | tuple[Diagnostic, ...]:
    try:
        return render_api(config, options, progress)
    except SpecError as exc:
        return exc.diagnostics


def _render_in_pool(
    configs: Sequence[ApiConfig], options: Options, progress: Progress, workers: int
) -> list[Rendered | tuple[Diagnostic, ...]]:
    """The first API rendered here, the others in worker processes, forked once this one
    has warmed what every API shares (imports, compiled templates, the probe's names);
    progress hears of each API as it is finished."""
    # Imported here: a run of one API never needs it (its module and multiprocessing's
    # queues take 6 ms to import).
    from concurrent.futures import ProcessPoolExecutor, as_completed

    first = _render_or_errors(configs[0], options, progress)
    context = pool_context()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=in_pool_worker) as pool:
        futures = {pool.submit(_render_or_errors, c, options): c for c in configs[1:]}
        for future in as_completed(futures):
            progress(futures[future].name, "rendered")
        return [first, *(future.result() for future in futures)]


def generate(
    configs: Sequence[ApiConfig],
    options: Options,
    *,
    force: bool = False,
    progress: Progress = _silent,
) -> tuple[list[Rendered], list[RegenReport]]:
    """`specgen generate`: render every API, then write each package with its generation
    record. Raises SpecError (nothing is written when any API fails to render)."""
    rendered = render_apis(configs, options, progress)
    reports = []
    for r in rendered:
        progress(r.config.name, "writing")
        folder = r.config.package_dir
        previous = _previous_record(folder)
        first = not folder.exists()
        record = r.record
        files = write_package(folder, r.files, force=force, generation=record)
        reports.append(
            RegenReport.of(
                r.config.name,
                folder,
                files,
                previous,
                record,
                first=first,
                recorded=record != previous,
            )
        )
    return rendered, reports


def check(
    configs: Sequence[ApiConfig], options: Options, progress: Progress = _silent
) -> list[Checked]:
    """`specgen check`: render every API and compare it with its folder. Never writes."""
    checked = []
    for r in render_apis(configs, options, progress):
        progress(r.config.name, "comparing")
        diff = compare_package(r.config.package_dir, r.files)
        causes = () if diff.is_clean else tuple(explain(diff, r.record))
        checked.append(Checked(r, diff, causes))
    return checked


def _previous_record(folder: Path) -> dict[str, Any] | None:
    """The generation record of the package now in `folder` (None when there is none or the
    manifest cannot be read: the writer then reports why, and the report only compares)."""
    try:
        manifest = read_manifest(folder)
    except (SpecError, OSError):
        return None
    return manifest.generation if manifest is not None else None
