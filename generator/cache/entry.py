"""One cache entry on disk: its JSON form, read strictly and written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, Severity

CACHE_DIR = ".specgen-cache"
_FORMAT = 1
KEPT = 256  # entries kept per project (one per API and inputs); the oldest go first


class CacheProblem(Exception):
    """An entry that cannot be used (corrupt, truncated, another format): one line why."""


@dataclass(frozen=True)
class PackageEntry:
    """One package as the last successful generation left it, and what a no-op run prints."""

    folder: str  # absolute
    manifest: str  # sha256 of its manifest's bytes
    generate_text: str  # `specgen generate`'s report line(s) for it when nothing changes
    generate_json: dict[str, Any]  # the same for `--json`
    check_text: str  # `specgen check`'s line for it when it is up to date


@dataclass(frozen=True)
class Entry:
    inputs: str  # CacheKey.inputs (the file name)
    key: str  # CacheKey.full(sources)
    sources: dict[str, str]  # absolute path of every spec file read -> sha256 of its bytes
    packages: tuple[PackageEntry, ...]
    warnings: tuple[Diagnostic, ...]  # what the run reported, replayed on a hit


def entry_path(folder: Path, inputs: str) -> Path:
    return folder / f"{inputs}.json"


def read_entry(folder: Path, inputs: str) -> Entry | None:
    """The entry for `inputs`; None when there is none. Raises CacheProblem."""
    path = entry_path(folder, inputs)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheProblem(f"cannot read it ({exc.strerror or exc})") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CacheProblem("it is not valid JSON (truncated or corrupt)") from None
    if not isinstance(document, dict) or document.get("specgen_cache") != _FORMAT:
        raise CacheProblem(f"it is not a format {_FORMAT} specgen cache entry")
    try:
        entry = _decode(document)
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheProblem(f"it is malformed ({type(exc).__name__}: {exc})") from None
    if entry.inputs != inputs:
        raise CacheProblem("it records other inputs than its name says")
    return entry


def write_entry(folder: Path, entry: Entry) -> None:
    """Replace the entry atomically (a reader sees the old one or the new one, whole)."""
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# specgen's no-op cache: machine-local, never committed\n*\n")
    # Key order kept: `generate_json` is printed as it was built.
    data = json.dumps(_encode(entry), indent=1, ensure_ascii=False) + "\n"
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".entry-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, entry_path(folder, entry.inputs))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(folder)


def remove_entry(folder: Path, inputs: str) -> None:
    entry_path(folder, inputs).unlink(missing_ok=True)


def _prune(folder: Path) -> None:
    def age(path: Path) -> int:
        try:
            return -path.stat().st_mtime_ns
        except OSError:  # pruned by another run meanwhile
            return 0

    for old in sorted(folder.glob("*.json"), key=age)[KEPT:]:
        old.unlink(missing_ok=True)


def _encode(entry: Entry) -> dict[str, Any]:
    return {
        "specgen_cache": _FORMAT,
        "inputs": entry.inputs,
        "key": entry.key,
        "sources": entry.sources,
        "packages": [vars(p) for p in entry.packages],
        "warnings": [_diagnostic(d) for d in entry.warnings],
    }


def _decode(document: dict[str, Any]) -> Entry:
    sources = document["sources"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in sources.items()):
        raise TypeError("sources must map paths to hashes")
    packages = tuple(
        PackageEntry(
            folder=_str(p["folder"]),
            manifest=_str(p["manifest"]),
            generate_text=_str(p["generate_text"]),
            generate_json=dict(p["generate_json"]),
            check_text=_str(p["check_text"]),
        )
        for p in document["packages"]
    )
    warnings = tuple(_undiagnostic(d) for d in document["warnings"])
    return Entry(_str(document["inputs"]), _str(document["key"]), sources, packages, warnings)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    loc = d.location
    where = None if loc is None else [loc.file, loc.line, loc.column, loc.pointer]
    return {
        "severity": str(d.severity),
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
        "location": where,
    }


def _undiagnostic(data: dict[str, Any]) -> Diagnostic:
    where = data["location"]
    location = None
    if where is not None:
        file, line, column, pointer = where
        location = Location(_str(file), int(line), int(column), _str(pointer))
    return Diagnostic(
        Severity(data["severity"]),
        _str(data["code"]),
        _str(data["message"]),
        _str(data["hint"]),
        location,
    )
