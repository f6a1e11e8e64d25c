"""The no-op regeneration cache: `specgen generate` and `specgen check` with nothing changed
answer from a record of the last successful generation, without importing the pipeline.

An entry lives in `.specgen-cache/<inputs>.json` beside the project config (never in the
manifest: it is machine-local, holding absolute paths and installed versions, and must not
churn in commits). `<inputs>` hashes what is known before loading anything (`key.py`: the
resolved config, run options, template folders, specgen's own code, tool versions, the
working directory); the entry lists the spec files the last run actually read with their
hashes, and each package folder with the hash of its manifest. A hit needs all of them
unchanged and every owned file on disk as its manifest says (`outputs.py`).
"""

from generator.cache.entry import CACHE_DIR, CacheProblem, Entry, PackageEntry
from generator.cache.key import CacheKey, versions
from generator.cache.lookup import drop, lookup, record
from generator.cache.outputs import package_fingerprint

__all__ = [
    "CACHE_DIR",
    "CacheKey",
    "CacheProblem",
    "Entry",
    "PackageEntry",
    "drop",
    "lookup",
    "package_fingerprint",
    "record",
    "versions",
]
