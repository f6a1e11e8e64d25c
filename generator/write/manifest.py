"""The manifest: which files in an output folder specgen owns, and what it wrote into them.

Ownership is what lets a later run delete files the spec no longer produces without ever
touching a file the user put next to them. The hashes let check mode tell "edited by hand"
apart from "out of date".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path

from generator.diagnostics import Diagnostic, Location, SpecError, error
from generator.write.paths import MANIFEST_NAME, path_problem

_FORMAT = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump_manifest(files: Mapping[str, bytes]) -> bytes:
    """The manifest for `files` (relative path -> content), byte-for-byte deterministic."""
    document = {
        "specgen_manifest": _FORMAT,
        "files": {path: sha256(data) for path, data in sorted(files.items())},
    }
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


def read_manifest(out_dir: Path) -> tuple[dict[str, str], bytes] | None:
    """The owned files (path -> sha256) and raw bytes of the manifest in `out_dir`.

    None when there is no manifest. Raises SG602 if it is a symlink and SG604 if it cannot be
    trusted, since a wrong manifest would make specgen delete files it does not own.
    """
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
    return dict(files), raw


def _sg604(message: str, where: Location) -> Diagnostic:
    return error(
        "SG604",
        message,
        hint="restore it from version control, or delete it and rerun with --force "
        "(files specgen does not produce are then kept, never deleted)",
        location=where,
    )
