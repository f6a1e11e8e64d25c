"""UUID version 7 (RFC 9562, section 5.7): Python 3.11's `uuid` module has none.

Layout: 48-bit Unix time in milliseconds, version (4 bits), 12-bit `rand_a`, variant (2 bits),
62 random bits. `rand_a` is used as a counter within one millisecond (RFC 9562, section 6.2,
method 1), so that the IDs one process makes sort in the order they were made.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0


def uuid7(now_ns: int | None = None) -> uuid.UUID:
    """A new, time-ordered UUID version 7."""
    global _last_ms, _counter
    ms = (time.time_ns() if now_ns is None else now_ns) // 1_000_000
    with _lock:
        if ms > _last_ms:
            _last_ms = ms
            # A random start in the lower half leaves room to count up within the millisecond.
            _counter = secrets.randbits(11)
        else:
            # Same millisecond, or the clock went back: keep counting from the last ID.
            _counter += 1
            if _counter >= 1 << 12:
                _last_ms += 1  # counter exhausted: borrow the next millisecond (method 1)
                _counter = secrets.randbits(11)
        ms, counter = _last_ms, _counter
    value = (ms & (1 << 48) - 1) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= secrets.randbits(62)
    return uuid.UUID(int=value)
