"""A content-addressed memo on disk for the pipeline's one costly pure step: the text
datamodel-code-generator writes for a prepared schema document (about half of a cold run
on a large spec). The key is the hash of everything that step reads, so an operation added,
a description edited or a template changed finds the models of the unchanged schemas here.

An entry is written atomically and names its key inside; one that cannot be read, or holds
another key, is a miss (and is rewritten). Entries are pruned oldest first.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

_KEPT = 64  # entries kept: a few per API of a large project


def memo_key(*parts: Any) -> str:
    """The sha256 of `parts` as canonical JSON (sorted keys, no whitespace)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Memo:
    """Texts by key in `folder` (created on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> str | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        text = data.get("text")
        return text if isinstance(text, str) else None

    def put(self, key: str, text: str) -> None:
        """Store `text`; a folder that cannot be written only loses the shortcut."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".memo-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": key, "text": text}, handle, ensure_ascii=False)
            os.replace(temporary, self.folder / f"{key}.json")
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        def age(path: Path) -> int:
            try:
                return -path.stat().st_mtime_ns
            except OSError:
                return 0

        for old in sorted(self.folder.glob("*.json"), key=age)[_KEPT:]:
            old.unlink(missing_ok=True)
