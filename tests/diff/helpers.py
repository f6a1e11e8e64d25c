"""Helpers for the diff tests: minimal specs written to tmp_path, compared in process.

Specs are written as JSON (valid YAML too), so what a test writes is exactly what is read.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from generator.diff import Change, diff_specs
from generator.pipeline import Options

REPO = Path(__file__).resolve().parents[2]

Doc = dict[str, Any]
Diff = Callable[[Doc, Doc], list[Change]]


def api(paths: Mapping[str, Any] | None = None, **extra: Any) -> Doc:
    """A small valid 3.0 document; `extra` adds top-level keys (components, security...)."""
    doc: Doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": copy.deepcopy(dict(paths or {})),
    }
    doc.update(copy.deepcopy(extra))
    return doc


def ok(schema: Any = None, **extra: Any) -> dict[str, Any]:
    """A 200 response, with a JSON body when `schema` is given."""
    response: dict[str, Any] = {"description": "ok", **extra}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {"200": response}


def get(**fields: Any) -> dict[str, Any]:
    return {"get": {"operationId": "getItems", "responses": ok(), **fields}}


def write(folder: Path, name: str, doc: Mapping[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2), "utf-8")
    return path


def differ(folder: Path) -> Diff:
    """Compare two documents through the real load and validate stages."""

    def run(old: Doc, new: Doc) -> list[Change]:
        old_path, new_path = write(folder, "old.json", old), write(folder, "new.json", new)
        return list(diff_specs([old_path], [new_path], Options()).changes)

    return run


def rules(changes: list[Change]) -> set[str]:
    return {c.rule for c in changes}


def only(changes: list[Change], rule: str) -> Change:
    found = [c for c in changes if c.rule == rule]
    assert len(found) == 1, f"expected one {rule}, got: {[(c.rule, c.message) for c in changes]}"
    return found[0]


def run_cli(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
