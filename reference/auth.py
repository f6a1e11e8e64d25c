"""API keys: where they come from and how a presented bearer key is checked."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from pathlib import Path

KEYS_VARIABLE = "SPECGEN_API_KEYS"  # comma-separated keys
KEYS_FILE_VARIABLE = "SPECGEN_API_KEYS_FILE"  # a file with one key per line


def keys_from_text(text: str, separator: str) -> list[str]:
    """Keys separated by `separator`; blanks and `#` comment lines are skipped."""
    keys = (part.strip() for part in text.split(separator))
    return [key for key in keys if key and not key.startswith("#")]


def load_keys(environ: Mapping[str, str], keys_file: Path | None = None) -> tuple[str, ...]:
    """Keys from `SPECGEN_API_KEYS`, the file in `SPECGEN_API_KEYS_FILE` and `keys_file`."""
    keys = keys_from_text(environ.get(KEYS_VARIABLE, ""), ",")
    files = [Path(environ[KEYS_FILE_VARIABLE])] if environ.get(KEYS_FILE_VARIABLE) else []
    for name in [*files, *([keys_file] if keys_file else [])]:
        try:
            keys += keys_from_text(name.read_text("utf-8"), "\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"cannot read API keys file {name}: {exc}") from None
    return tuple(dict.fromkeys(keys))


class ApiKeys:
    """The configured keys. `accepts` compares in constant time per key and always compares
    with every key, so timing tells nothing about which key, or how much of one, matched."""

    def __init__(self, keys: Iterable[str]) -> None:
        # Bytes: compare_digest refuses non-ASCII str, and header values can hold any octet.
        self._keys = tuple(key.encode("utf-8") for key in keys)

    @property
    def configured(self) -> int:
        return len(self._keys)

    def accepts(self, credential: str) -> bool:
        presented = credential.encode("utf-8", "surrogateescape")
        matched = False
        for key in self._keys:
            matched |= hmac.compare_digest(presented, key)
        return matched
