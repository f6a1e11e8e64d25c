"""The escaping filters: the only way spec text reaches generated Python source.

Everything a template prints must be `Code` (built by us; identifier types are `Code`) or a
number; the environment's `finalize` rejects a plain `str`, so forgetting a filter fails
loudly at render time instead of emitting spec text raw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from generator.render.code import Code


class UnsafeTemplateValue(TypeError):
    """A template printed a plain string without an escaping filter (a generator bug)."""


def literal(value: Any) -> Code:
    """A Python literal for a JSON value. `repr` escapes quotes, backslashes, NUL, U+2028..."""
    if value is None or isinstance(value, bool | int):
        return Code(repr(value))
    if isinstance(value, float):
        return Code(repr(value) if math.isfinite(value) else f"float({str(value)!r})")
    if isinstance(value, str):
        return Code(repr(value))
    if isinstance(value, list | tuple):
        return Code("[" + ", ".join(literal(v) for v in value) + "]")
    if isinstance(value, Mapping):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return Code("{" + items + "}")
    raise UnsafeTemplateValue(f"cannot emit a literal of type {type(value).__name__}")


def _escape_docstring_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\\" not in text and '"' not in text and _printable(text):
        return text  # most text: nothing to escape (a scan in C, not per character here)
    return _escape_each(text)


def _escape_each(text: str) -> str:
    out: list[str] = []
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            # Escape only quotes that could form a closing run: next to another quote, or last.
            near = (i > 0 and text[i - 1] == '"') or (i < last and text[i + 1] == '"')
            out.append('\\"' if near or i == last else ch)
        elif ch == "\n" or ch == "\t" or (ch.isprintable() and ch not in "\x0b\x0c"):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out)


def _printable(text: str) -> bool:
    """Every character printable, a newline or a tab (what the loop keeps as it is)."""
    return text.replace("\n", "").replace("\t", "").isprintable()


def docstring(text: str, indent: int = 4, limit: int = 4000) -> Code:
    """A complete triple-quoted docstring (content escaped, long text cut at `limit`)."""
    text = text.strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + " [...]"
    body = _escape_docstring_text(text)
    pad = " " * indent
    lines = [ln.rstrip() for ln in body.split("\n")]
    if len(lines) == 1:
        return Code(f'"""{lines[0]}"""')
    joined = "\n".join(f"{pad}{ln}" if ln else "" for ln in lines[1:])
    return Code(f'"""{lines[0]}\n{joined}\n{pad}"""')


# Templates also print `comment` output inside docstrings (a module docstring naming the API's
# title): there a backslash starts an escape and a double quote can close the string, so both
# become look-alikes that mean nothing in either place.
_DOCSTRING_BREAKERS = str.maketrans({"\\": "/", '"': "'"})


def comment(text: str, limit: int = 200) -> Code:
    """One line of text safe after `# ` and inside a docstring (no newline, control character,
    backslash or double quote survives)."""
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat).translate(_DOCSTRING_BREAKERS)
    if len(flat) > limit:
        flat = flat[:limit] + "..."
    return Code(flat)


def finalize(value: Any) -> Any:
    """Jinja `finalize`: allow only values that are safe to print into source."""
    if isinstance(value, Code):  # identifier types are Code too
        return value
    if isinstance(value, bool) or value is None:
        raise UnsafeTemplateValue(f"template printed {value!r}; use the literal filter")
    if isinstance(value, int | float):
        return value
    raise UnsafeTemplateValue(
        f"template printed a plain {type(value).__name__} ({str(value)[:40]!r}); "
        "pass spec text through literal, docstring or comment"
    )


FILTERS = {"literal": literal, "docstring": docstring, "comment": comment}
