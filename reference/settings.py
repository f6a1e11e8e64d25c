"""Deployment settings of a reference server, from the environment or explicit options."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from .auth import load_keys
from .ratelimit import RateLimit

DEFAULT_MAX_BODY_BYTES = 1024 * 1024

# Environment variables read by `load_settings` (and the zero-argument app factories).
DB_VARIABLE = "SPECGEN_DB"  # SQLite file, `:memory:` (the default) or a `file:` URI
RATE_LIMIT_VARIABLE = "SPECGEN_RATE_LIMIT"  # N or N/SECONDS; unset: no limit
MAX_BODY_VARIABLE = "SPECGEN_MAX_BODY_BYTES"
INFERENCE_IDS_VARIABLE = "SPECGEN_INFERENCE_IDS"  # comma-separated UUIDs (Martian)


@dataclass(frozen=True)
class Settings:
    db: str = ":memory:"
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # secrets stay out of logs
    rate_limit: RateLimit | None = None  # None: no rate limiting
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    inference_ids: tuple[UUID, ...] = ()  # Martian: known inference ids, added to the store

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        return load_settings(environ)


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    db: str | None = None,
    default_db: str = ":memory:",
    api_keys_file: Path | None = None,
    rate_limit: str | None = None,
    max_body_bytes: int | None = None,
    inference_ids: Sequence[UUID] = (),
) -> Settings:
    """Settings from `environ` (default: `os.environ`); explicit options win over variables,
    keys and inference ids from both are combined, `default_db` applies when neither names a
    database. Raises ValueError naming the bad value."""
    env = os.environ if environ is None else environ
    limit = rate_limit if rate_limit is not None else env.get(RATE_LIMIT_VARIABLE, "")
    size = max_body_bytes if max_body_bytes is not None else _int(env, MAX_BODY_VARIABLE)
    if size is not None and size < 1:
        raise ValueError(f"{MAX_BODY_VARIABLE} must be a positive number of bytes")
    ids = [*_uuids(env.get(INFERENCE_IDS_VARIABLE, "")), *inference_ids]
    return Settings(
        db=db or env.get(DB_VARIABLE) or default_db,
        api_keys=load_keys(env, api_keys_file),
        rate_limit=RateLimit.parse(limit) if limit.strip() else None,
        max_body_bytes=DEFAULT_MAX_BODY_BYTES if size is None else size,
        inference_ids=tuple(dict.fromkeys(ids)),
    )


def _int(env: Mapping[str, str], name: str) -> int | None:
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {text!r}") from None


def _uuids(text: str) -> list[UUID]:
    try:
        return [UUID(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"{INFERENCE_IDS_VARIABLE} must be comma-separated UUIDs") from None
