"""Content hashes of folders that shape generated code: the template folders (kept in the
generation record) and specgen's own package (a key part of the no-op cache).

Light on purpose (hashlib and the file system only): the cache's hit path hashes these
before deciding whether to import the pipeline at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from generator.render.styles import builtin_templates_dir


def tree_hash(folders: Sequence[Path]) -> str:
    """One hash over the relative path and bytes of every file under `folders`, in order
    (a missing folder counts as empty; bytecode caches are skipped)."""
    digest = hashlib.sha256()
    for index, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if "__pycache__" in path.parts:
                continue
            digest.update(f"{index}:{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def templates_hash(user_dirs: Sequence[Path]) -> str:
    """One hash over every template file specgen may load (user folders first)."""
    return tree_hash([*user_dirs, builtin_templates_dir()])
