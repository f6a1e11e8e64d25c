"""`specgen diff`: what changed between two versions of an API, and what it breaks.

    diff_specs(old_paths, new_paths, options) -> DiffResult

Both sides go through the same load and validate stages as generation (so the comparison sees
the normalised documents, `$ref`s bundled, version mixes read the same way), then
`compare_documents` applies the rules of `catalog.py`. Modules:

  model.py        Change, Severity, Direction, Effect, OperationRef
  catalog.py      every rule id with its severity (the table of docs/diff-rules.md)
  document.py     one side: operations, parameters, `$ref` resolution, `allOf` merging
  compare.py      the entry point over two documents
  rules_*.py      operations, security, parameters, request bodies, responses, schema keywords
  schemas.py      the structural schema walk (directions, recursion guard), variants.py
  render.py       text, JSON and Markdown output
  git.py          the old side from a git revision (`--base REV`)
  regen.py, stale.py  the generate report and the cause of a stale check (manifest metadata)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from generator.diff.compare import compare_documents
from generator.diff.loading import load_both
from generator.diff.model import Change, OperationRef, Severity
from generator.load.spec import Spec
from generator.pipeline import Options


@dataclass(frozen=True)
class DiffResult:
    changes: tuple[Change, ...]  # sorted: most severe first, then by path and method
    old: Spec
    new: Spec

    def count(self, severity: Severity) -> int:
        return sum(1 for c in self.changes if c.severity is severity)

    def fails(self, threshold: Severity | None) -> bool:
        """Whether a change at `threshold` or above was found (None: never)."""
        if threshold is None:
            return False
        return any(c.severity.rank <= threshold.rank for c in self.changes)


def diff_specs(
    old_paths: Sequence[Path],
    new_paths: Sequence[Path],
    options: Options,
    *,
    old_options: Options | None = None,
    shown: Callable[[str], str] = str,
) -> DiffResult:
    """Load, validate and compare. Raises SpecError with the diagnostics of an invalid side.

    `old_options` (default: `options`) load the old side; `shown` maps a file name as the
    loader displays it to the name to print (the old side of `--base` is read from a
    temporary folder but shown as `REV:path`).
    """
    old, new = load_both(old_paths, new_paths, old_options or options, options)
    assert old.spec is not None and new.spec is not None
    old_spec, new_spec = old.spec, new.spec
    changes = []
    for change in compare_documents(old.document, new.document):
        spec = old_spec if change.side == "old" else new_spec
        where = spec.locate(change.pointer)
        location = f"{shown(where.file)}:{where.line}:{where.column}" if where.line else ""
        changes.append(replace(change, location=location or shown(where.file)))
    return DiffResult(tuple(changes), old_spec, new_spec)


__all__ = [
    "Change",
    "DiffResult",
    "OperationRef",
    "Severity",
    "compare_documents",
    "diff_specs",
]
