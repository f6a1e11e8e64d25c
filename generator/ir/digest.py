"""The digest of an IR record, by which caches know an operation again in the next run (its
view's fragments, `render/python/builder.py`; its generation-record hash, `report/record.py`)."""

from __future__ import annotations

import hashlib

import orjson


def ir_digest(record: object) -> str:
    """The digest of everything an IR record holds: by orjson (dataclasses and enums as JSON,
    2 ms for Braintrust's 218 operations), else by `repr` (7 times slower). JSON tells apart
    every value the IR's typed fields hold but NaN and Infinity (written as null), which a
    run refuses before it renders (validate/emit_safety.py, SG514)."""
    try:
        text = b"j" + orjson.dumps(record)
    except TypeError:  # orjson.JSONEncodeError: a key that is not a string, a huge int
        text = b"r" + repr(record).encode("utf-8", "surrogatepass")
    return hashlib.sha256(text).hexdigest()
