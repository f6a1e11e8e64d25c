"""`generate` and `check` answered from the no-op cache (generator.cache), one entry per
API, and the entries a successful `generate` leaves. An API whose entry is a hit is not
rendered: the run prints what a run that found nothing to do for it printed.

The hit path imports nothing of the pipeline; `remember` runs after the pipeline did and
imports the report types it renders the no-op output with.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generator.cache import CACHE_DIR, CacheKey, Entry, PackageEntry, drop, lookup, record
from generator.cache import package_fingerprint as fingerprint
from generator.commands.common import NOTHING_TO_WRITE
from generator.config import ApiConfig
from generator.diagnostics import Diagnostic

if TYPE_CHECKING:
    from generator.pipeline import Rendered
    from generator.report.regen import RegenReport


def cache_key(configs: Sequence[ApiConfig], options: Mapping[str, Any]) -> CacheKey:
    """The run's key; entries live in `.specgen-cache/` in the project root."""
    return CacheKey.of(configs, options, configs[0].root / CACHE_DIR)


def _warn(line: str) -> None:
    click.echo(line, err=True)


def forget(key: CacheKey) -> None:
    """Before a full run: no entry for these inputs survives it unless it succeeds."""
    try:
        drop(key)
    except OSError as exc:
        _warn(f"warning: could not remove the cache entry in {key.folder}: {exc}")


def remember(key: CacheKey, rendered: Sequence[Rendered], reports: Sequence[RegenReport]) -> None:
    """Record a successful generation (its packages are on disk): what it read, and what a
    run with nothing to do would print. A folder changed meanwhile records nothing."""
    from generator.report.regen import RegenReport
    from generator.write import PackageDiff, WriteReport
    from generator.write.manifest import dump_manifest, encode_files, sha256

    packages = []
    for r, report in zip(rendered, reports, strict=True):
        folder = Path(os.path.abspath(r.config.package_dir))
        manifest = report.files.manifest or sha256(dump_manifest(encode_files(r.files), r.record))
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


@dataclass
class PerApi:
    """A run's APIs split by the no-op cache: one entry per API, so that the APIs nothing
    touched cost a lookup and only the others go through the pipeline."""

    keys: dict[str, CacheKey]
    hits: dict[str, Entry]

    @classmethod
    def of(cls, configs: Sequence[ApiConfig], options: Mapping[str, Any]) -> PerApi:
        keys = {c.name: cache_key([c], options) for c in configs}
        hits = {}
        for name, key in keys.items():
            entry = lookup(key, _warn)
            if entry is not None:
                hits[name] = entry
        return cls(keys, hits)

    def misses(self, configs: Sequence[ApiConfig]) -> list[ApiConfig]:
        return [c for c in configs if c.name not in self.hits]

    def forget_misses(self) -> None:
        """Before the run: no stale entry survives it unless it succeeds."""
        for name, key in self.keys.items():
            if name not in self.hits:
                forget(key)

    def remember(self, rendered: Sequence[Rendered], reports: Sequence[RegenReport]) -> None:
        for r, report in zip(rendered, reports, strict=True):
            remember(self.keys[r.config.name], [r], [report])

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for entry in self.hits.values() for d in entry.warnings]

    def packages(self, name: str) -> tuple[PackageEntry, ...]:
        entry = self.hits.get(name)
        return entry.packages if entry is not None else ()

    def check_text(self, configs: Sequence[ApiConfig]) -> list[str]:
        """`specgen check`'s lines for the APIs that are up to date, in config order."""
        return [p.check_text for c in configs for p in self.packages(c.name)]


def report_generation(
    configs: Sequence[ApiConfig],
    reports: Sequence[RegenReport],
    cached: PerApi | None,
    *,
    quiet: bool,
    as_json: bool,
) -> None:
    """Each API's report in config order: from this run, or recorded by the no-op cache."""
    changed = any(report.files.changed for report in reports)
    by_name = {report.name: report for report in reports}
    texts: list[str] = []
    documents: list[Any] = []
    for c in configs:
        report = by_name.get(c.name)
        if report is not None:
            texts.append(report.text())
            documents.append(report.as_json())
        elif cached is not None:
            texts.extend(p.generate_text for p in cached.packages(c.name))
            documents.extend(p.generate_json for p in cached.packages(c.name))
    if as_json:
        click.echo(json.dumps({"changed": changed, "apis": documents}, indent=2))
        return
    if quiet:
        return
    for text in texts:
        click.echo(text)
    if not changed:
        recorded = any(report.recorded for report in reports)
        click.echo(
            "generated code is up to date (its generation record in the manifest was updated)"
            if recorded
            else NOTHING_TO_WRITE
        )
