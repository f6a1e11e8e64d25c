"""Scalar mock values: strings (formats, lengths, patterns) and numbers (bounds,
multipleOf), each checked before it is returned."""

from __future__ import annotations

import base64
import math
import random
import re
import string as _string
import uuid
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from . import _mock_regex
from ._mock_schema import (
    INT_FORMATS,
    SynthesisError,
    bounds,
    format_ok,
    number_ok,
    search,
)

_ALNUM = _string.ascii_lowercase + _string.digits


def fill(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(_ALNUM) for _ in range(max(size, 0)))


def _timestamp(rng: random.Random) -> tuple[str, str]:
    day = f"{rng.randint(2020, 2026)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
    return (
        day,
        f"{rng.randint(0, 23):02}:{rng.randint(0, 59):02}:{rng.randint(0, 59):02}Z",
    )


def _host(rng: random.Random, size: int) -> str:
    return f"{fill(rng, max(size - 12, 1))}.example.com"


# Format -> (rng, wanted length) -> a string; the length is honoured where it can be.
_FORMATS: dict[str, Callable[[random.Random, int], str]] = {
    "date-time": lambda rng, _: "T".join(_timestamp(rng)),
    "date": lambda rng, _: _timestamp(rng)[0],
    "time": lambda rng, _: _timestamp(rng)[1],
    "uuid": lambda rng, _: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "email": lambda rng, n: f"{fill(rng, max(n - 12, 1))}@example.com",
    "uri": lambda rng, n: f"https://example.com/{fill(rng, max(n - 20, 1))}",
    "url": lambda rng, n: f"https://example.com/{fill(rng, max(n - 20, 1))}",
    "hostname": _host,
    "ipv4": lambda rng, _: ".".join(str(rng.randint(1, 254)) for _ in range(4)),
    "ipv6": lambda rng, _: ":".join(f"{rng.getrandbits(16):x}" for _ in range(8)),
    "byte": lambda rng, n: base64.b64encode(rng.randbytes(max(n // 4, 1) * 3)).decode(),
}


def string_value(s: dict[str, Any], rng: random.Random, path: str) -> str:
    low, high = s.get("minLength", 0), s.get("maxLength")
    size = max(low, min(rng.randint(8, 20), high if high is not None else 20))
    pattern = s.get("pattern")
    if isinstance(pattern, str) and not _compiles(pattern):
        # Not a Python regex (an ECMA-only construct): neither we nor a Python
        # validator can read it, so it is left out.
        s, pattern = {k: v for k, v in s.items() if k != "pattern"}, None
    candidates: list[str | None] = []
    make = _FORMATS.get(s.get("format", ""))
    if s.get("contentEncoding") == "base64":
        make = _FORMATS["byte"]
    if make is not None:
        candidates.append(make(rng, size))
    if isinstance(pattern, str):
        candidates.append(pattern_string(pattern, rng, low, high))
        candidates += [
            e
            for e in (s.get("example"), *(s.get("examples") or ()))
            if isinstance(e, str)
        ]
    else:
        candidates.append(fill(rng, size))
    for text in candidates:
        if text is not None and _string_fits(text, s):
            return text
    raise SynthesisError(f"{path}: no string fits pattern {pattern!r} and the lengths")


def number_value(
    s: dict[str, Any], rng: random.Random, path: str, integer: bool
) -> Any:
    low, low_x, high, high_x = bounds(s)
    fmt_low, fmt_high = INT_FORMATS.get(s.get("format", ""), (None, None))
    low = fmt_low if low is None else low
    high = fmt_high if high is None else high
    # A window of 100 beside what is bounded: small values, like a person's.
    if low is None:
        low = high - 100 if high is not None else 0
    if high is None:
        high = low + 100
    step: Any = s.get("multipleOf")
    if not isinstance(step, int | float) or isinstance(step, bool) or step <= 0:
        step = 1 if integer else None
    elif integer:  # integer multiples of p/q are the multiples of p
        step = Fraction(step).limit_denominator(10**9).numerator
    candidates: list[float] = []
    if step is not None:
        first, last = math.ceil(low / step), math.floor(high / step)
        first += 1 if low_x and first * step == low else 0
        last -= 1 if high_x and last * step == high else 0
        ks = [] if first > last else [first, last]
        ks[:0] = [rng.randint(first, min(last, first + 100)) for _ in ks * 2]
        candidates += [x for k in ks for x in (k * step, round(k * step, 12))]
    else:
        top = min(high, low + 100)
        candidates += [round(rng.uniform(low, top), 2) for _ in range(3)]
        candidates += [(low + high) / 2]
    for x in candidates:
        value = int(x) if integer and float(x).is_integer() else x
        if (not integer or isinstance(value, int)) and number_ok(value, s):
            return value
    kind = "integer" if integer else "number"
    raise SynthesisError(f"{path}: no {kind} within the bounds and multipleOf")


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _string_fits(text: str, s: Mapping[str, Any]) -> bool:
    high = s.get("maxLength")
    if len(text) < s.get("minLength", 0) or (high is not None and len(text) > high):
        return False
    pattern = s.get("pattern")
    return (not isinstance(pattern, str) or search(pattern, text)) and format_ok(
        text, s.get("format")
    )


def pattern_string(
    pattern: str, rng: random.Random, low: int, high: int | None
) -> str | None:
    """A string that `re.search` finds `pattern` in, within the lengths; padded where
    the pattern is not anchored. None when the tries fail."""
    for spread in (2, 0, 1, 4, 8, 16, 32, *[max(low, 4)] * 8):  # then long enough
        try:
            text = _mock_regex.generate(pattern, rng, spread)
        except (re.error, ValueError, RecursionError):
            return None
        pad = fill(rng, low - len(text))
        for candidate in (text, text + pad, pad + text):
            fits = len(candidate) >= low and (high is None or len(candidate) <= high)
            if fits and search(pattern, candidate):
                return candidate
    return None
