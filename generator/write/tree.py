"""What is on disk in an output folder, seen without following a single symlink."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Kind = Literal["file", "dir", "symlink", "other"]


@dataclass(frozen=True)
class Entry:
    kind: Kind
    mode: int  # full st_mode from lstat


def entry_of(mode: int) -> Entry:
    if stat.S_ISLNK(mode):
        return Entry("symlink", mode)
    if stat.S_ISDIR(mode):
        return Entry("dir", mode)
    return Entry("file" if stat.S_ISREG(mode) else "other", mode)


def lookup(root: Path, path: str) -> Entry | None:
    """The entry at relative `path`, or None if absent or behind a non-folder component."""
    try:
        return entry_of(os.lstat(root / path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return None


def scan(root: Path) -> dict[str, Entry]:
    """Every entry below `root` by relative posix path; symlinked folders are not entered."""
    entries: dict[str, Entry] = {}
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder if folder else root) as items:
            for item in items:
                path = f"{folder}/{item.name}" if folder else item.name
                entry = entry_of(item.stat(follow_symlinks=False).st_mode)
                entries[path] = entry
                if entry.kind == "dir":
                    pending.append(path)
    return entries


def read_file(root: Path, path: str) -> bytes:
    """Bytes of a regular file; O_NOFOLLOW so a symlink swapped in meanwhile fails, not leaks."""
    fd = os.open(root / path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
