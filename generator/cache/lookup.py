"""Finding a hit, recording a successful generation, and forgetting a stale one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.cache.entry import CacheProblem, Entry, read_entry, remove_entry, write_entry
from generator.cache.key import CacheKey
from generator.cache.outputs import package_fingerprint


def lookup(key: CacheKey, warn: Callable[[str], None]) -> Entry | None:
    """The entry when nothing that decides the output changed and every package folder is as
    the last generation left it; None otherwise. An unusable entry is `warn`ed about (one
    line) and treated as absent."""
    try:
        entry = read_entry(key.folder, key.inputs)
    except CacheProblem as exc:
        warn(f"warning: ignoring the cache entry {key.folder.name}/{key.inputs}.json: {exc}")
        return None
    if entry is None or key.full(_current(entry.sources)) != entry.key:
        return None
    if any(package_fingerprint(Path(p.folder)) != p.manifest for p in entry.packages):
        return None
    return entry


def _current(sources: Mapping[str, str]) -> dict[str, str]:
    """Each file's hash now ("missing" for one that cannot be read)."""
    hashes = {}
    for path in sources:
        try:
            with open(path, "rb") as handle:
                hashes[path] = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            hashes[path] = "missing"
    return hashes


def record(key: CacheKey, entry: Entry) -> None:
    """Store `entry`: only after the packages it lists were written successfully."""
    write_entry(key.folder, entry)


def drop(key: CacheKey) -> None:
    """Forget the entry for these inputs before a real run, so a run that fails leaves no
    entry behind claiming success."""
    remove_entry(key.folder, key.inputs)
