"""Is a package folder still exactly what its manifest says? Read-only, no pipeline.

Mirrors what `specgen check` calls clean for a folder whose manifest lists the expected files:
each of them a regular file with that hash, reached through real folders (no symlinks), and
no leftovers of an interrupted swap beside the folder (`generator.write.swap` cleans those up
only in a real run). Files the user added are allowed, as they are there.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

# generator.write.paths.MANIFEST_NAME and the prefix of generator.write.swap.sibling, copied:
# importing generator.write costs more than a hit (tests/unit/cache keeps them equal).
MANIFEST_NAME = ".specgen-manifest.json"


def swap_prefix(folder: Path) -> str:
    return f".{folder.name}.specgen-"


def package_fingerprint(folder: Path) -> str | None:
    """The sha256 of the folder's manifest when the folder holds every file the manifest lists,
    unchanged; None when anything differs (or cannot be read)."""
    folder = Path(os.path.abspath(folder))
    try:
        if not _is_real(folder, stat.S_ISDIR):
            return None
        prefix = swap_prefix(folder)
        if any(name.startswith(prefix) for name in os.listdir(folder.parent)):
            return None
        manifest = _read(folder / MANIFEST_NAME)
        files = json.loads(manifest.decode("utf-8"))["files"]
        checked: set[str] = set()
        for path, expected in files.items():
            parts = path.split("/")
            for depth in range(1, len(parts)):
                above = "/".join(parts[:depth])
                if above not in checked:
                    if not _is_real(folder / above, stat.S_ISDIR):
                        return None
                    checked.add(above)
            if hashlib.sha256(_read(folder / path)).hexdigest() != expected:
                return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # unreadable, not JSON, not a manifest: let a real run say what is wrong
    return hashlib.sha256(manifest).hexdigest()


def _is_real(path: Path, kind: Callable[[int], bool]) -> bool:
    return kind(os.lstat(path).st_mode)


def _read(path: Path) -> bytes:
    """A regular file's bytes, never through a symlink."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read()
