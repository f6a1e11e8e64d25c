"""Jinja's compiled templates kept on disk (`.specgen-cache/jinja/`): compiling the templates
is most of their cost in a run that renders them once. Jinja keys an entry by the template's
name and file and checks its source's hash; the key here adds what else the compiled code
depends on (the environment's options, in render/env.py, and Jinja's version).

An entry that cannot be read is a miss, said through `warn`, and is rewritten; the newest
entries are kept.
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
from collections.abc import Callable
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket, bc_magic

from generator.cache.memo import _stderr

_KEPT = 256  # entries kept: the templates (~40) of a few salts and template folders


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Bytecode by template in `folder` (created on first write)."""

    def __init__(self, folder: Path, salt: str, warn: Callable[[str], None] = _stderr) -> None:
        super().__init__(str(folder), "%s.jinja-cache")
        self.folder = folder
        self.salt = salt
        self.warn = warn

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        text = f"{jinja2.__version__}|{self.salt}|{name}|{filename}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        path = Path(self._get_cache_filename(bucket))
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.warn(f"ignored the cache entry {path} ({type(exc).__name__}): recompiling")
            return
        if not data.startswith(bc_magic):  # not Jinja's, or another Python's
            self.warn(f"ignored the cache entry {path} (not this Jinja's): recompiling")
            return
        # The source's checksum, compared as bytes (no unpickling of a file), then the code.
        checksum = bc_magic + pickle.dumps(bucket.checksum, 2)
        if not data.startswith(checksum):  # the template was edited: a plain miss
            return
        try:
            bucket.code = marshal.loads(data[len(checksum) :])
        except (EOFError, ValueError, TypeError) as exc:
            self.warn(f"ignored the cache entry {path} ({type(exc).__name__}): recompiling")
            return
        if not isinstance(bucket.code, CodeType):
            bucket.reset()
            self.warn(f"ignored the cache entry {path} (not compiled code): recompiling")

    def dump_bytecode(self, bucket: Bucket) -> None:
        """A folder that cannot be written only loses the shortcut."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        """Oldest first: entries of an older Jinja or env.py are never read again."""

        def age(path: Path) -> int:
            try:
                return -path.stat().st_mtime_ns
            except OSError:
                return 0

        for old in sorted(self.folder.glob("*.jinja-cache"), key=age)[_KEPT:]:
            old.unlink(missing_ok=True)
