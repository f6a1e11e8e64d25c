"""A content-addressed memo on disk for the pipeline's costly pure steps: the text
datamodel-code-generator writes for a prepared schema document (about half of a cold run
on a large spec; `.specgen-cache/models/`), and ruff's output per file (`format/`). The key
is the hash of everything the step reads, so an operation added, a description edited or a
template changed finds the output of the unchanged inputs here.

An entry holds a text, a table of texts or a JSON value (whose shape its reader checks), or
bytes with their digest (a `.bin` file); it is written atomically and names its key inside;
one that cannot be read, or holds another key or kind, is a miss (said on stderr, and
rewritten). Entries are pruned oldest first.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson

_KEPT = 64  # entries kept: a few per API of a large project


def memo_key(*parts: Any) -> str:
    """The sha256 of `parts` as canonical JSON (sorted keys, no whitespace)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dumps(entry: dict[str, Any]) -> bytes:
    """An entry as UTF-8 JSON, by orjson (a package's ruff table is megabytes: 10 ms with
    json, 1 with orjson); by json where orjson refuses a value (an int past 64 bits, a lone
    surrogate, a non-finite float would be null)."""
    try:
        if not _non_finite(entry):
            return orjson.dumps(entry, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError
        pass
    return json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8", "surrogatepass")


def _loads(data: bytes, field: str) -> Any:
    """An entry read back. A text or a table of texts by orjson, falling back to json for
    what only json reads (a lone surrogate, NaN); a JSON value always by json, which reads
    an int past 64 bits as that int (orjson reads it as a float)."""
    if field != "value":
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data.decode("utf-8", "surrogatepass"))


def _non_finite(value: Any) -> bool:
    """Whether `value` holds NaN or an infinity (json writes them; orjson writes null)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            if not math.isfinite(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class Memo:
    """Texts by key in `folder` (created on first write); `warn` hears of an entry that
    is there but unusable (it is then a miss)."""

    def __init__(self, folder: Path, warn: Callable[[str], None] = _stderr) -> None:
        self.folder = folder
        self.warn = warn

    def sibling(self, name: str) -> Path:
        """The folder of another cache next to this one (`.specgen-cache/<name>`)."""
        return self.folder.parent / name

    def get(self, key: str) -> str | None:
        text = self._read(key, "text")
        if text is not None and not isinstance(text, str):
            self.warn(f"ignored the cache entry {self.folder / key}.json (not a text)")
            return None
        return text

    def get_table(self, key: str) -> dict[str, str]:
        """A table of texts stored with `put_table` (empty when there is none)."""
        table = self._read(key, "table")
        if table is None:
            return {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            self.warn(f"ignored the cache entry {self.folder / key}.json (not a table)")
            return {}
        return table

    def get_value(self, key: str) -> Any:
        """A JSON value stored with `put_value` (None when there is none); its shape is the
        caller's to check."""
        return self._read(key, "value")

    def put_value(self, key: str, value: Any) -> None:
        self._write(key, "value", value)

    def put(self, key: str, text: str) -> None:
        """Store `text`; a folder that cannot be written only loses the shortcut."""
        self._write(key, "text", text)

    def put_table(self, key: str, table: Mapping[str, str]) -> None:
        self._write(key, "table", dict(table))

    def get_blob(self, key: str) -> bytes | None:
        """Bytes stored with `put_blob`, checked against the digest they were stored with
        (their reader, marshal, is not meant for damaged data)."""
        path = self.folder / f"{key}.bin"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.warn(f"ignored the cache entry {path} ({type(exc).__name__}): regenerating")
            return None
        head, _, payload = data.partition(b"\n\n")
        if head != _blob_head(key, payload):
            self.warn(f"ignored the cache entry {path} (not this key's, or damaged): regenerating")
            return None
        return payload

    def put_blob(self, key: str, payload: bytes) -> None:
        self._replace(f"{key}.bin", _blob_head(key, payload) + b"\n\n" + payload)

    def _read(self, key: str, field: str) -> Any:
        """The `field` of the entry for `key`; None when there is none or it is unusable."""
        path = self.folder / f"{key}.json"
        try:
            data = _loads(path.read_bytes(), field)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.warn(f"ignored the cache entry {path} ({type(exc).__name__}): regenerating")
            return None
        if not isinstance(data, dict) or data.get("key") != key or field not in data:
            self.warn(f"ignored the cache entry {path} (not this key's): regenerating")
            return None
        return data[field]

    def _write(self, key: str, field: str, value: Any) -> None:
        self._replace(f"{key}.json", _dumps({"key": key, field: value}))

    def _replace(self, name: str, entry: bytes) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".memo-", suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                handle.write(entry)
            os.replace(temporary, self.folder / name)
            self._prune()
        except OSError:
            return

    def _prune(self) -> None:
        def age(path: Path) -> int:
            try:
                return -path.stat().st_mtime_ns
            except OSError:
                return 0

        entries = [*self.folder.glob("*.json"), *self.folder.glob("*.bin")]
        for old in sorted(entries, key=age)[_KEPT:]:
            old.unlink(missing_ok=True)


def _blob_head(key: str, payload: bytes) -> bytes:
    return f"specgen blob {key} {hashlib.sha256(payload).hexdigest()}".encode()
