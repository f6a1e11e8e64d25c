"""Check mode: how an output folder differs from what specgen would write there. Never writes.

A folder is clean exactly when `write_package` with the same files would change nothing,
so CI can fail on "generated code is out of date" without ever touching the tree.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from generator.diagnostics import Location, SpecError, error
from generator.write.manifest import Manifest, encode_files, read_manifest, sha256
from generator.write.paths import MANIFEST_NAME, check_paths, parents
from generator.write.tree import Entry, read_file, scan

Status = Literal["changed", "added", "stale"]


@dataclass(frozen=True)
class FileDiff:
    path: str  # relative to the output folder
    status: Status  # changed on disk, expected but missing, or owned but no longer produced
    diff: str  # unified diff from disk (a/<path>) to expected (b/<path>)
    note: str = ""  # why the disk side looks odd: edited by hand, a symlink, ...


@dataclass(frozen=True)
class PackageDiff:
    out_dir: Path
    files: tuple[FileDiff, ...]  # sorted by path
    manifest_outdated: bool  # the manifest is missing or lists other files or hashes
    manifest: Manifest | None = None  # as read from disk

    def _paths(self, status: Status) -> tuple[str, ...]:
        return tuple(f.path for f in self.files if f.status == status)

    @property
    def changed(self) -> tuple[str, ...]:
        return self._paths("changed")

    @property
    def added(self) -> tuple[str, ...]:
        return self._paths("added")

    @property
    def stale(self) -> tuple[str, ...]:
        return self._paths("stale")

    @property
    def is_clean(self) -> bool:
        return not self.files and not self.manifest_outdated

    def render(self, max_lines: int = 200) -> str:
        """A summary line, then each file's diff; cut after `max_lines` lines with a note."""
        if self.is_clean:
            return f"{self.out_dir}: up to date"
        counts = [f"{len(self.changed)} changed", f"{len(self.added)} added"]
        counts.append(f"{len(self.stale)} stale")
        if self.manifest_outdated:
            counts.append(f"{MANIFEST_NAME} out of date")
        lines = [f"{self.out_dir}: " + ", ".join(counts)]
        for item in self.files:
            lines.append(f"{item.status}: {item.path}" + (f" ({item.note})" if item.note else ""))
            lines.extend(item.diff.splitlines())
        if len(lines) > max_lines:
            hidden = len(lines) - max_lines
            lines = [*lines[:max_lines], f"... diff truncated: {hidden} more lines not shown"]
        return "\n".join(lines)


def compare_package(out_dir: Path, files: Mapping[str, str]) -> PackageDiff:
    """Compare `out_dir` with `files` (relative path -> text) as `write_package` would write it.

    Raises SpecError SG603 for unsafe paths, SG602/SG604 for a manifest that cannot be trusted
    and SG602 when `out_dir` itself is a symlink.
    """
    check_paths(files)
    out_dir = Path(os.path.abspath(out_dir))
    expected = encode_files(files)
    entries: dict[str, Entry] = {}
    manifest: Manifest | None = None
    if out_dir.is_symlink():
        where = Location(str(out_dir))
        raise SpecError([error("SG602", "the output folder is a symlink", location=where)])
    if out_dir.is_dir():
        manifest = read_manifest(out_dir)
        entries = scan(out_dir)
    owned = manifest.files if manifest is not None else {}

    diffs: list[FileDiff] = []
    for path in sorted(expected):
        entry = entries.get(path)
        blocked = [f for f in parents(path) if f in entries and entries[f].kind != "dir"]
        if entry is None:
            note = f"{blocked[0]} is a {entries[blocked[0]].kind} on disk" if blocked else ""
            diffs.append(FileDiff(path, "added", _unified(path, b"", expected[path]), note))
        elif entry.kind != "file":
            note = f"a {entry.kind} on disk, not a file"
            diffs.append(FileDiff(path, "changed", _unified(path, b"", expected[path]), note))
        else:
            actual = read_file(out_dir, path)
            if actual != expected[path]:
                note = "edited since specgen wrote it" if _edited(owned, path, actual) else ""
                diffs.append(
                    FileDiff(path, "changed", _unified(path, actual, expected[path]), note)
                )
    for path in sorted(set(owned) - set(expected)):
        entry = entries.get(path)
        if entry is not None and entry.kind != "dir":
            actual = read_file(out_dir, path) if entry.kind == "file" else b""
            note = "" if entry.kind == "file" else f"a {entry.kind} on disk"
            diffs.append(FileDiff(path, "stale", _unified(path, actual, b""), note))
    diffs.sort(key=lambda d: d.path)
    outdated = manifest is None or manifest.files != {p: sha256(d) for p, d in expected.items()}
    return PackageDiff(out_dir, tuple(diffs), outdated, manifest)


def _edited(owned: Mapping[str, str], path: str, actual: bytes) -> bool:
    return path in owned and owned[path] != sha256(actual)


def _unified(path: str, old: bytes, new: bytes) -> str:
    lines = difflib.unified_diff(
        _lines(old.decode("utf-8", errors="replace")),
        _lines(new.decode("utf-8", errors="replace")),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(lines)


def _lines(text: str) -> list[str]:
    """Lines with their "\\n"; a last line without one is marked the way git marks it."""
    lines = [line + "\n" for line in text.split("\n")]
    if lines[-1] == "\n":
        lines.pop()
    else:
        lines[-1] = lines[-1][:-1] + "\n\\ No newline at end of file\n"
    return lines
