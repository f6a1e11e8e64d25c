"""Content hashes of folders that shape generated code: the template folders (kept in the
generation record) and specgen's own package (a key part of the no-op cache).

Light on purpose (hashlib and the file system only): the cache's hit path hashes these
before deciding whether to import the pipeline at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from generator.render.styles import builtin_templates_dir


def tree_hash(folders: Sequence[Path], code_only: bool = False) -> str:
    """One hash over the relative path and bytes of every file under `folders`, in order
    (a missing folder counts as empty; bytecode caches are skipped). With `code_only`,
    only `.py`/`.ts` files outside hidden folders and `templates/` (hashed on their own):
    what an installed copy and a source checkout of specgen share, so that both give one
    key, and a tool's cache in the tree (.ruff_cache) changes nothing. os.walk, not
    pathlib: a cache hit hashes specgen's own ~150 files and pays for every Path made."""
    digest = hashlib.sha256()
    for index, folder in enumerate(folders):
        files = []
        for above, subfolders, names in os.walk(folder):
            subfolders[:] = [
                d
                for d in subfolders
                if d != "__pycache__"
                and not (code_only and (d.startswith(".") or d == "templates"))
            ]
            if code_only:
                names = [n for n in names if n.endswith((".py", ".ts"))]
            relative = os.path.relpath(above, folder).replace(os.sep, "/")
            prefix = "" if relative == "." else relative + "/"
            found = ((prefix + name, os.path.join(above, name)) for name in names)
            files += [(name, path) for name, path in found if os.path.isfile(path)]
        # In pathlib's order (by path component), which the recorded hashes were made in.
        for name, path in sorted(files, key=lambda item: item[0].split("/")):
            digest.update(f"{index}:{name}\0".encode())
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def templates_hash(user_dirs: Sequence[Path]) -> str:
    """One hash over every template file specgen may load (user folders first)."""
    return tree_hash([*user_dirs, builtin_templates_dir()])


@cache
def code_hash() -> str:
    """specgen's own code (`tree_hash` with `code_only`), hashed once per process: the no-op
    cache's key and the memos that depend on the code share it."""
    return tree_hash([Path(__file__).parent], code_only=True)
