"""`specgen generate`'s report: per API, what its IR gained or lost since the previous
generation (from the manifest's generation records) and what was written."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.load.files import display_path
from generator.write.writer import WriteReport

_SHOWN = 5  # names listed per line of the text report


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
        name: str,
        package: Path,
        files: WriteReport,
        previous: Mapping[str, Any] | None,
        current: Mapping[str, Any],
        *,
        first: bool,
        recorded: bool,
    ) -> RegenReport:
        old = previous or {}
        return cls(
            name,
            package,
            len(current["operations"]),
            len(current["models"]),
            files,
            previous is not None,
            first,
            Delta.between(old.get("operations") or {}, current["operations"]),
            Delta.between(old.get("models") or {}, current["models"]),
            recorded,
        )

    def summary(self) -> str:
        """One line: `name: N written, M deleted`, or that nothing changed."""
        files = self.files
        if not files.changed:
            return f"{self.name}: up to date"
        deleted = f", {len(files.deleted)} deleted" if files.deleted else ""
        return f"{self.name}: {len(files.written)} written{deleted}"

    def text(self) -> str:
        files = self.files
        lines = [
            f"{self.name}: {self.operation_count} operations, {self.model_count} models -> "
            f"{display_path(self.package)} ({len(files.written)} written, "
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
            "package": display_path(self.package),
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
