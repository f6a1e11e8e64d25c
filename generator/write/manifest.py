"""The manifest: which files in an output folder specgen owns, and what it wrote into them.

Ownership is what lets a later run delete files the spec no longer produces without ever
touching a file the user put next to them. The hashes let check mode tell "edited by hand"
apart from "out of date".

Besides `files`, the manifest may hold `generation`: what the last `specgen generate` was made
from (spec and template hashes, versions, config, a hash per operation and model; see
`generator.report.record`), so the next run can report what changed and `specgen check` can
name why code is stale. It is written in the same atomic folder swap as the files it
describes. The write stage treats it as opaque: whether a folder is up to date depends on
`files` only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location, SpecError, error
from generator.write.paths import MANIFEST_NAME, path_problem

_FORMAT = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Manifest:
    """A manifest as read from disk."""

    files: dict[str, str]  # path -> sha256 of what specgen wrote there
    generation: dict[str, Any] | None  # the generation record; None for older manifests

    def dump(self) -> bytes:
        return _dump(self.files, self.generation)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_manifest(files: Mapping[str, bytes], generation: Mapping[str, Any] | None = None) -> bytes:
    """The manifest for `files` (relative path -> content), byte-for-byte deterministic."""
    return _dump({path: sha256(data) for path, data in files.items()}, generation)


def _dump(hashes: Mapping[str, str], generation: Mapping[str, Any] | None) -> bytes:
    document: dict[str, Any] = {"specgen_manifest": _FORMAT, "files": dict(sorted(hashes.items()))}
    if generation is not None:
        document["generation"] = generation
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


def encode_files(files: Mapping[str, str]) -> dict[str, bytes]:
    """UTF-8 bytes of every file, exactly as given (SG592 names each one that has none)."""
    data: dict[str, bytes] = {}
    bad: list[Diagnostic] = []
    for path, text in files.items():
        try:
            data[path] = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            message = f"generated file {path} cannot be encoded as UTF-8 ({exc.reason})"
            bad.append(error("SG592", message, hint="this is a specgen bug; please report it"))
    if bad:
        raise SpecError(bad)
    return data


def read_manifest(out_dir: Path) -> Manifest | None:
    """The manifest in `out_dir`; None when there is none.

    Raises SG602 if it is a symlink and SG604 if it cannot be trusted, since a wrong manifest
    would make specgen delete files it does not own.
    """
    found = _read(out_dir)
    return None if found is None else Manifest(*found)


def _read(out_dir: Path) -> tuple[dict[str, str], dict[str, Any] | None] | None:
    path = out_dir / MANIFEST_NAME
    where = Location(str(path))
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise SpecError(
            [error("SG602", "the manifest is a symlink; refusing to follow it", location=where)]
        )
    if not stat.S_ISREG(info.st_mode):
        raise SpecError([_sg604("the manifest is not a regular file", where)])
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        raw = handle.read()
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecError([_sg604(f"the manifest is not valid JSON ({exc})", where)]) from None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict) or document.get("specgen_manifest") != _FORMAT:
        raise SpecError(
            [_sg604(f"the manifest is not a version {_FORMAT} specgen manifest", where)]
        )
    for name, digest in files.items():
        if path_problem(name) or name == MANIFEST_NAME:
            raise SpecError([_sg604(f"the manifest lists an unsafe path {name!r}", where)])
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise SpecError([_sg604(f"the manifest has a bad hash for {name!r}", where)])
    generation = document.get("generation")
    return dict(files), generation if isinstance(generation, dict) else None


def _sg604(message: str, where: Location) -> Diagnostic:
    return error(
        "SG604",
        message,
        hint="restore it from version control, or delete it and rerun with --force "
        "(files specgen does not produce are then kept, never deleted)",
        location=where,
    )
