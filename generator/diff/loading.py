"""Load and validate both sides of a comparison, the old one in a worker process when the
specs are big enough for that to pay (two Braintrust-sized specs: ~5 s one after the other)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, SpecError
from generator.load.spec import Spec
from generator.pipeline import Options, load_and_validate

_PARALLEL_BYTES = 256 * 1024  # below this, starting a process costs more than it saves


@dataclass(frozen=True)
class Side:
    """One loaded side: the spec (for locations) and its normalised document, or the
    diagnostics that stopped it (a SpecError does not survive pickling)."""

    spec: Spec | None
    document: dict[str, Any]
    problems: tuple[Diagnostic, ...] = ()


def _load(paths: Sequence[Path], options: Options) -> Side:
    try:
        spec, validated, _ = load_and_validate(paths, options)
    except SpecError as exc:
        return Side(None, {}, exc.diagnostics)
    return Side(spec, validated.document)


def _size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total


def load_both(
    old: Sequence[Path], new: Sequence[Path], old_options: Options, new_options: Options
) -> tuple[Side, Side]:
    """Both sides; raises SpecError with the diagnostics of both when either is invalid."""
    sides: tuple[Side, Side] | None = None
    if _size(old) + _size(new) >= _PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        try:
            with ProcessPoolExecutor(max_workers=1) as pool:
                future = pool.submit(_load, list(old), old_options)
                new_side = _load(new, new_options)
                sides = (future.result(), new_side)
        except (OSError, BrokenProcessPool):
            sides = None  # no worker processes allowed here: load in this one
    if sides is None:
        sides = (_load(old, old_options), _load(new, new_options))
    problems = [*sides[0].problems, *sides[1].problems]
    if problems:
        raise SpecError(problems)
    return sides
