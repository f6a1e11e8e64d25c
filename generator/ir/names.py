"""Neutral spellings of spec names: ASCII words in snake_case, PascalCase or UPPER_CASE.

The IR keeps spec names as written; where it needs a name of its own (a schema's type name, a
tag group's file stem) it uses these spellings, which are valid identifiers in every language
specgen generates. Each language's view layer turns them into its identifiers, with its own
keywords and its own scopes (`generator.render.python.names`,
`generator.render.typescript.names`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

_WORD_SPLIT = re.compile(r"[^0-9a-zA-Z]+")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def ascii_words(text: str) -> list[str]:
    """Split arbitrary text into ASCII words: accents folded, camelCase and symbols split."""
    return list(_words(text))


# Every stage spells the same names again (lint, build, emit safety, each view): remember
# the words of the most recent ones.
@functools.lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    folded = (
        text
        if text.isascii()  # NFKD leaves ASCII as it is
        else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    words: list[str] = []
    for chunk in _WORD_SPLIT.split(folded):
        words.extend(w for w in _CAMEL_BOUNDARY.split(chunk) if w)
    return tuple(words)


def _fallback(raw: str, fallback: str, separator: str) -> str:
    """`fallback` for a name with no ASCII letters or digits; a name that had some other
    characters (`ид`, an emoji) also gets a short digest of them, so distinct names stay apart."""
    if not raw.strip():
        return fallback
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{fallback}{separator}{digest}"


# Pure, and asked for the same names again by every stage and view: remembered.
@functools.lru_cache(maxsize=16384)
def snake_case(raw: str, fallback: str = "value") -> str:
    """`postFeedback` -> `post_feedback`; never empty, never starts with a digit."""
    name = "_".join(w.lower() for w in ascii_words(raw)) or _fallback(raw, fallback, "_")
    return f"{fallback}_{name}" if name[0].isdigit() else name


@functools.lru_cache(maxsize=16384)
def pascal_case(raw: str, fallback: str = "Model") -> str:
    """`post feedback` -> `PostFeedback` (inner capitals kept: `HTTPServer`)."""
    name = "".join(w[:1].upper() + w[1:] for w in ascii_words(raw))
    if not name:
        return _fallback(raw, fallback, "")
    return f"{fallback}{name}" if name[0].isdigit() else name


@functools.lru_cache(maxsize=16384)
def upper_case(raw: str, fallback: str = "VALUE") -> str:
    """`post feedback` -> `POST_FEEDBACK`."""
    name = "_".join(w.upper() for w in ascii_words(raw)) or _fallback(raw, fallback, "_").upper()
    return f"{fallback}_{name}" if name[0].isdigit() else name


def numbered(candidate: str, taken: set[str] | dict[str, str], separator: str = "") -> str:
    """`candidate`, or the first of `candidate2`, `candidate3`, ... (with `separator` before
    the number) that is not in `taken`."""
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}{separator}{n}" in taken:
        n += 1
    return f"{candidate}{separator}{n}"
