"""Put one API's generated files on disk without ever losing a file the user owns.

The folder is rebuilt next to itself and swapped in (see swap.py). Files the user put there are
carried over as hard links, so they keep their inode, mode and mtime; generated files whose
bytes did not change are carried over the same way. When nothing changed, nothing is touched.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, SpecError, error
from generator.write.manifest import dump_manifest, encode_files, read_manifest, sha256
from generator.write.paths import MANIFEST_NAME, check_paths, parents
from generator.write.swap import commit, fsync_dir, locked, recover, remove_tree, sibling
from generator.write.tree import Entry, read_file, scan

_SHOWN = 5  # foreign files named in a refusal; the rest are counted


@dataclass(frozen=True)
class WriteReport:
    """What a write did, by path relative to the output folder (each tuple sorted)."""

    written: tuple[str, ...]  # new or changed
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]  # owned by specgen before, no longer produced
    # The sha256 of the manifest the folder has after the write ("" where not known): the
    # no-op cache records it without encoding and hashing every file again.
    manifest: str = field(default="", compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


@dataclass
class _Plan:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # not ours, would be overwritten
    refused: list[Diagnostic] = field(default_factory=list)  # refused even with force
    keep: dict[str, Entry] = field(default_factory=dict)  # old entries carried over as they are

    def report(self) -> WriteReport:
        return WriteReport(
            tuple(sorted(self.written)), tuple(sorted(self.unchanged)), tuple(sorted(self.deleted))
        )


def write_package(
    out_dir: Path,
    files: Mapping[str, str],
    *,
    force: bool = False,
    generation: Mapping[str, Any] | None = None,
) -> WriteReport:
    """Make `out_dir` hold `files` (relative path -> text) and a manifest carrying the
    `generation` record, atomically: a crash leaves the old files and record or the new ones.

    Files specgen wrote before and no longer produces are deleted; any other file is kept.
    Raises SpecError: SG601 when files specgen does not own would be overwritten (or the folder
    is non-empty and has no manifest) and `force` is false, SG602 for symlinks, SG603 for unsafe
    paths, SG604 for an untrustworthy manifest, SG605 for file/folder clashes, SG606 for
    ambiguous crash leftovers, SG607 for file-system errors, SG592 for text that is not UTF-8.
    """
    check_paths(files)
    data = encode_files(files)
    out_dir = Path(os.path.abspath(out_dir))
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with locked(out_dir.parent):
            recover(out_dir)
            manifest = dump_manifest(data, generation)
            return replace(_write(out_dir, data, force, manifest), manifest=sha256(manifest))
    except OSError as exc:
        where = Location(str(out_dir))
        message = f"could not write {out_dir}: {exc.strerror or exc}"
        if exc.filename:
            message += f" ({exc.filename})"
        raise SpecError([error("SG607", message, location=where)]) from exc


def _write(out_dir: Path, data: dict[str, bytes], force: bool, new_manifest: bytes) -> WriteReport:
    where = Location(str(out_dir))
    entries: dict[str, Entry] = {}
    owned: set[str] = set()
    old_manifest: bytes | None = None
    if os.path.lexists(out_dir):
        if out_dir.is_symlink():
            raise SpecError([error("SG602", "the output folder is a symlink", location=where)])
        if not out_dir.is_dir():
            raise SpecError([error("SG605", "the output path is not a folder", location=where)])
        try:
            manifest = read_manifest(out_dir)
        except SpecError as exc:
            if not force or any(d.code != "SG604" for d in exc.diagnostics):
                raise
            manifest = None  # forced past a broken manifest: treat every file as the user's
        if manifest is not None:
            owned, old_manifest = set(manifest.files), manifest.dump()
        entries = scan(out_dir)
        entries.pop(MANIFEST_NAME, None)

    plan = _plan(out_dir, entries, owned, data)
    if plan.refused:
        raise SpecError(plan.refused)
    if not force and (plan.foreign or (entries and old_manifest is None)):
        raise SpecError([_sg601(out_dir, plan.foreign or sorted(entries), old_manifest is None)])
    report = plan.report()
    if not report.changed and new_manifest == old_manifest:
        return report  # nothing to do: leave every inode and mtime alone

    token = secrets.token_hex(6)
    staging = sibling(out_dir, "new", token)
    try:
        _build(staging, out_dir, entries, plan, data, new_manifest)
        commit(out_dir, staging, token)
    except BaseException:
        if os.path.lexists(staging):
            remove_tree(staging)
        raise
    return report


def _plan(
    out_dir: Path, entries: dict[str, Entry], owned: set[str], data: dict[str, bytes]
) -> _Plan:
    plan = _Plan()
    where = Location(str(out_dir))
    for path in sorted(data):
        for folder in parents(path):
            above = entries.get(folder)
            if above is None or (above.kind != "dir" and folder in owned):
                break  # nothing there yet, or an old generated file that is going away
            if above.kind == "symlink":
                message = f"{folder} is a symlink; refusing to write {path} through it"
                plan.refused.append(error("SG602", message, location=where))
                break
            if above.kind != "dir":
                message = f"{folder} is a file on disk but {path} needs it to be a folder"
                plan.refused.append(error("SG605", message, location=where))
                break
        entry = entries.get(path)
        if entry is None:
            plan.written.append(path)
        elif entry.kind == "symlink":
            plan.refused.append(
                error("SG602", f"{path} is a symlink; refusing to overwrite it", location=where)
            )
        elif entry.kind != "file":
            message = f"{path} is a {'folder' if entry.kind == 'dir' else 'special file'} on disk"
            plan.refused.append(error("SG605", message, location=where))
        else:
            same = read_file(out_dir, path) == data[path]
            (plan.unchanged if same else plan.written).append(path)
            if path not in owned:
                plan.foreign.append(path)
    not_empty = {path.rpartition("/")[0] for path in entries}
    for path, entry in entries.items():
        if entry.kind == "dir":
            if path not in not_empty:
                plan.keep[path] = entry  # an empty folder the user made
        elif path in owned and path not in data:
            plan.deleted.append(path)
        elif path not in data and path not in owned:
            plan.keep[path] = entry
    return plan


def _build(
    staging: Path,
    out_dir: Path,
    entries: dict[str, Entry],
    plan: _Plan,
    data: dict[str, bytes],
    manifest: bytes,
) -> None:
    """Create the complete new folder at `staging`, durable on disk before the swap."""
    os.mkdir(staging)
    folders = {folder for path in [*plan.keep, *data] for folder in parents(path)}
    folders |= {path for path, entry in plan.keep.items() if entry.kind == "dir"}
    for folder in sorted(folders):  # sorted puts "a" before "a/b"
        os.mkdir(staging / folder)
    for path, entry in plan.keep.items():
        if entry.kind == "symlink":
            os.symlink(os.readlink(out_dir / path), staging / path)
        elif entry.kind != "dir":
            _carry(out_dir / path, staging / path)
    for path, content in data.items():
        if path in plan.unchanged:
            _carry(out_dir / path, staging / path)
        else:
            old = entries.get(path)
            _create(staging / path, content, stat.S_IMODE(old.mode) if old else None)
    _create(staging / MANIFEST_NAME, manifest, None)
    for folder in sorted(folders, reverse=True):  # children first, then restore old modes
        fsync_dir(staging / folder)
        if folder in entries:
            os.chmod(staging / folder, stat.S_IMODE(entries[folder].mode))
    fsync_dir(staging)
    if os.path.isdir(out_dir):
        os.chmod(staging, stat.S_IMODE(os.lstat(out_dir).st_mode))


def _carry(source: Path, target: Path) -> None:
    """Hard-link an existing file into the new folder; copy it where links are not allowed."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if not stat.S_ISREG(os.lstat(source).st_mode):
            raise
        shutil.copy2(source, target, follow_symlinks=False)
        _fsync_file(target)


def _create(path: Path, content: bytes, mode: int | None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        if mode is not None:
            os.fchmod(handle.fileno(), mode)  # a replaced file keeps the mode the user gave it
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sg601(out_dir: Path, paths: list[str], no_manifest: bool) -> Diagnostic:
    shown = ", ".join(paths[:_SHOWN])
    if len(paths) > _SHOWN:
        shown += f" and {len(paths) - _SHOWN} more"
    if no_manifest:
        message = f"refusing to write into a non-empty folder specgen did not create ({shown})"
    else:
        message = f"refusing to overwrite files specgen did not write: {shown}"
    return error(
        "SG601",
        message,
        hint="move them away or choose another output folder; with --force they are "
        "overwritten where specgen produces the same path, and kept otherwise",
        location=Location(str(out_dir)),
    )
