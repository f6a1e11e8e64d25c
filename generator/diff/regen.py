"""What a generation was made from, and what changed since the previous one.

`generation_record` summarises one rendered API for the manifest: the hash of every spec file
read (roots and `$ref`'d siblings), of the templates, the specgen and datamodel-code-generator
versions, the settings that shape the output, and a short hash of each operation's IR and each
model's schema. `RegenReport` compares two such records for `specgen generate`'s report.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from generator import __version__
from generator.commands.common import shown_path
from generator.config import ApiConfig
from generator.diagnostics import Location, SpecError, error
from generator.load.files import display_path
from generator.pipeline import Rendered, write_all
from generator.render.env import builtin_templates_dir
from generator.write.manifest import read_generation, write_generation
from generator.write.writer import WriteReport

_SHOWN = 5  # names listed per line of the text report


def _short_hash(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def dcg_version() -> str:
    try:
        return version("datamodel-code-generator")
    except PackageNotFoundError:
        return "unknown"


def templates_hash(user_dirs: Sequence[Path]) -> str:
    """One hash over every template file specgen may load (user folders first)."""
    digest = hashlib.sha256()
    for index, folder in enumerate([*user_dirs, builtin_templates_dir()]):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(f"{index}:{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def config_record(config: ApiConfig) -> dict[str, Any]:
    """The settings that shape one API's output: every field of its config but the output
    folder (where the package goes is not what it contains), paths as displayed."""

    def plain(value: Any) -> Any:
        if isinstance(value, Path):
            return display_path(value)
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value if isinstance(value, str | int | float | bool) or value is None else str(value)

    return {f.name: plain(getattr(config, f.name)) for f in fields(config) if f.name != "output"}


def generation_record(rendered: Rendered) -> dict[str, Any]:
    api, config = rendered.api, rendered.config
    schemas = api.models_document.get("components", {}).get("schemas", {})
    return {
        "specgen": __version__,
        "datamodel_code_generator": dcg_version(),
        "templates": templates_hash(config.template_dirs),
        "config": config_record(config),
        "specs": {s.display: s.sha256 for s in api.sources},
        "operations": {op.operation_id: _short_hash(repr(op)) for op in api.operations},
        "models": {str(s.name): _short_hash(schemas.get(str(s.name))) for s in api.schemas},
    }


@dataclass(frozen=True)
class Delta:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    @classmethod
    def between(cls, old: Mapping[str, str], new: Mapping[str, str]) -> Delta:
        return cls(
            tuple(sorted(new.keys() - old.keys())),
            tuple(sorted(old.keys() - new.keys())),
            tuple(sorted(k for k in old.keys() & new.keys() if old[k] != new[k])),
        )

    def text(self) -> str:
        parts = []
        for word, names in (("added", self.added), ("removed", self.removed)):
            if names:
                parts.append(f"{len(names)} {word} ({_names(names)})")
        if self.changed:
            parts.append(f"{len(self.changed)} changed ({_names(self.changed)})")
        return ", ".join(parts) or "none changed"


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    return shown + (f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else "")


@dataclass(frozen=True)
class RegenReport:
    """One API's regeneration: what its IR gained or lost, and what was written."""

    name: str
    package: Path
    operation_count: int
    model_count: int
    files: WriteReport
    previous: bool  # the manifest held a record of the previous generation
    first: bool  # there was no package before
    operations: Delta
    models: Delta
    recorded: bool  # the generation record in the manifest was (re)written

    @classmethod
    def of(
        cls,
        rendered: Rendered,
        files: WriteReport,
        previous: Mapping[str, Any] | None,
        current: Mapping[str, Any],
        *,
        first: bool,
        recorded: bool,
    ) -> RegenReport:
        old = previous or {}
        return cls(
            rendered.config.name,
            rendered.config.package_dir,
            len(rendered.api.operations),
            len(rendered.api.schemas),
            files,
            previous is not None,
            first,
            Delta.between(old.get("operations") or {}, current["operations"]),
            Delta.between(old.get("models") or {}, current["models"]),
            recorded,
        )

    def text(self) -> str:
        files = self.files
        lines = [
            f"{self.name}: {self.operation_count} operations, {self.model_count} models -> "
            f"{shown_path(self.package)} ({len(files.written)} written, "
            f"{len(files.unchanged)} unchanged, {len(files.deleted)} deleted)"
        ]
        if self.first:
            return lines[0]
        if not self.previous:
            lines.append(
                "  no record of the previous generation: operations and models not compared"
            )
        elif files.changed or self.operations != Delta() or self.models != Delta():
            lines.append(f"  operations: {self.operations.text()}")
            lines.append(f"  models: {self.models.text()}")
        if files.written:
            lines.append(f"  written: {_names(files.written)}")
        if files.deleted:
            lines.append(f"  deleted: {_names(files.deleted)}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        def delta(d: Delta) -> dict[str, Any]:
            return {"added": [*d.added], "removed": [*d.removed], "changed": [*d.changed]}

        return {
            "name": self.name,
            "package": shown_path(self.package),
            "first_generation": self.first,
            "previous_recorded": self.previous,
            "changed": self.files.changed,
            "operations": delta(self.operations) | {"count": self.operation_count},
            "models": delta(self.models) | {"count": self.model_count},
            "files": {
                "written": [*self.files.written],
                "unchanged": [*self.files.unchanged],
                "deleted": [*self.files.deleted],
            },
        }


def regenerate(rendered: Sequence[Rendered], *, force: bool = False) -> list[RegenReport]:
    """Write every API (see `pipeline.write_all`), then record what each was generated from
    in its manifest, where that changed. Raises SpecError as the writer does."""
    previous = [read_generation(r.config.package_dir) for r in rendered]
    first = [not r.config.package_dir.exists() for r in rendered]
    reports = write_all(rendered, force=force)
    results = []
    for r, before, files, is_first in zip(rendered, previous, reports, first, strict=True):
        record = generation_record(r)
        if record != before:
            try:
                write_generation(r.config.package_dir, record)
            except OSError as exc:
                where = Location(str(r.config.package_dir))
                message = f"could not record the generation in the manifest: {exc}"
                raise SpecError([error("SG607", message, location=where)]) from exc
        results.append(
            RegenReport.of(r, files, before, record, first=is_first, recorded=record != before)
        )
    return results
