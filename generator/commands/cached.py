"""`generate` and `check` answered from the no-op cache (generator.cache), and the entry a
successful `generate` leaves. A hit prints what a run that found nothing to do prints.

The hit path imports nothing of the pipeline; `remember` runs after the pipeline did and
imports the report types it renders the no-op output with.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.cache import CACHE_DIR, CacheKey, Entry, PackageEntry, drop, lookup, record
from generator.cache import package_fingerprint as fingerprint
from generator.commands.common import NOTHING_TO_WRITE, render_diagnostics
from generator.config import ApiConfig

if TYPE_CHECKING:
    from generator.pipeline import Rendered
    from generator.report.regen import RegenReport


def cache_key(configs: Sequence[ApiConfig], options: Mapping[str, Any]) -> CacheKey:
    """The run's key; entries live in `.specgen-cache/` in the project root."""
    return CacheKey.of(configs, options, configs[0].root / CACHE_DIR)


def _warn(line: str) -> None:
    click.echo(line, err=True)


def generate_hit(key: CacheKey, *, quiet: bool, as_json: bool, max_diagnostics: int | None) -> bool:
    """Print what `specgen generate` prints when nothing changed, if nothing did."""
    entry = lookup(key, _warn)
    if entry is None:
        return False
    if entry.warnings and not quiet:
        click.echo(render_diagnostics(entry.warnings, max_diagnostics), err=True)
    if as_json:
        apis = [p.generate_json for p in entry.packages]
        click.echo(json.dumps({"changed": False, "apis": apis}, indent=2))
    elif not quiet:
        for package in entry.packages:
            click.echo(package.generate_text)
        click.echo(NOTHING_TO_WRITE)
    return True


def forget(key: CacheKey) -> None:
    """Before a full run: no entry for these inputs survives it unless it succeeds."""
    try:
        drop(key)
    except OSError as exc:
        _warn(f"warning: could not remove the cache entry in {key.folder}: {exc}")


def check_hit(key: CacheKey) -> bool:
    """Print what `specgen check` prints when every package is up to date, if they are."""
    entry = lookup(key, _warn)
    if entry is None:
        return False
    for package in entry.packages:
        click.echo(package.check_text)
    return True


def remember(key: CacheKey, rendered: Sequence[Rendered], reports: Sequence[RegenReport]) -> None:
    """Record a successful generation (its packages are on disk): what it read, and what a
    run with nothing to do would print. A folder changed meanwhile records nothing."""
    from generator.report.regen import RegenReport
    from generator.write import PackageDiff, WriteReport
    from generator.write.manifest import dump_manifest, encode_files, sha256

    packages = []
    for r, report in zip(rendered, reports, strict=True):
        folder = Path(os.path.abspath(r.config.package_dir))
        manifest = sha256(dump_manifest(encode_files(r.files), r.record))
        if fingerprint(folder) != manifest:  # not (or no longer) what this run wrote
            return
        files = WriteReport((), tuple(sorted(r.files)), ())
        noop = RegenReport.of(
            r.config.name, report.package, files, r.record, r.record, first=False, recorded=False
        )
        check_text = PackageDiff(folder, (), manifest_outdated=False).render()
        packages.append(
            PackageEntry(str(folder), manifest, noop.text(), noop.as_json(), check_text)
        )
    sources = {
        os.path.abspath(r.config.root / s.path): s.sha256 for r in rendered for s in r.api.sources
    }
    warnings = tuple(d for r in rendered for d in r.diagnostics)
    entry = Entry(key.inputs, key.full(sources), sources, tuple(packages), warnings)
    try:
        record(key, entry)
    except OSError as exc:  # the generation itself succeeded; only the shortcut is lost
        _warn(f"warning: could not write the cache entry in {key.folder}: {exc}")
