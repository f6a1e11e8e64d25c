"""The escaping filters of the TypeScript style: the only way spec text reaches TS source.

`ts_literal` writes a JSON value as a JavaScript literal (strings escaped like
`JSON.stringify`, plus every non-printable character, lone surrogates, U+2028/U+2029 and `</`,
so the output is also valid JSON); `ts_property` writes an object key; `ts_doc` writes a
`/** ... */` comment that spec text cannot close, `ts_comment` one line of such text;
`ts_literal_type` writes a JSON value as a literal *type* (enum members).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from generator.render.code import Code
from generator.render.filters import UnsafeTemplateValue, comment

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BARE_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_DOC_LIMIT = 4000


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # astral and not printable: a surrogate pair, as JSON writes it
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def ts_string(text: str) -> Code:
    """A double-quoted string literal, valid in TypeScript and in JSON."""
    out: list[str] = []
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ch == " " or (ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF):
            out.append(ch)
        else:  # controls, U+2028/2029 (not printable), lone surrogates, format characters
            out.append(_escape_char(ch))
    return Code('"' + "".join(out).replace("</", "<\\/") + '"')


def _number(value: int | float) -> str | None:
    if isinstance(value, int):
        return str(value)
    return repr(value) if math.isfinite(value) else None


def ts_literal(value: Any) -> Code:
    """A JavaScript (and JSON) literal for a JSON value."""
    if value is None:
        return Code("null")
    if isinstance(value, bool):
        return Code("true" if value else "false")
    if isinstance(value, int | float):
        number = _number(value)
        if number is None:
            raise UnsafeTemplateValue(f"{value!r} has no JSON literal")
        return Code(number)
    if isinstance(value, str):
        return ts_string(value)
    if isinstance(value, list | tuple):
        return Code("[" + ", ".join(ts_literal(v) for v in value) + "]")
    if isinstance(value, Mapping):
        items = ", ".join(f"{ts_string(str(k))}: {ts_literal(v)}" for k, v in value.items())
        return Code("{ " + items + " }" if items else "{}")
    raise UnsafeTemplateValue(f"cannot emit a literal of type {type(value).__name__}")


def ts_literal_type(value: Any) -> Code:
    """The literal type of a JSON value (`"a"`, `1`, `null`, `{ "k": 1 }`, `[1, 2]`)."""
    if isinstance(value, float) and not math.isfinite(value):
        return Code("number")
    if isinstance(value, list | tuple):
        return Code("[" + ", ".join(ts_literal_type(v) for v in value) + "]")
    if isinstance(value, Mapping):
        items = "; ".join(f"{ts_property(str(k))}: {ts_literal_type(v)}" for k, v in value.items())
        return Code("{ " + items + " }" if items else "{}")
    return ts_literal(value)


def ts_property(name: str) -> Code:
    """An object key: bare when it is an identifier, a string literal otherwise."""
    return Code(name) if _BARE_KEY.fullmatch(name) else ts_string(name)


def ts_comment(text: str, limit: int = 200) -> Code:
    """One line of text safe in a `//` comment and inside a `/** ... */` block."""
    return Code(comment(text, limit).replace("*/", "*\\/"))


def _doc_lines(text: str, limit: int) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        text = text[:limit].rstrip() + " [...]"
    lines: list[str] = []
    for raw in text.split("\n"):
        line = "".join(ch if ch.isprintable() or ch == "\t" else " " for ch in raw)
        lines.append(line.replace("*/", "*\\/").rstrip())
    return lines


def ts_doc(text: str, indent: int = 0, limit: int = _DOC_LIMIT) -> Code:
    """A complete `/** ... */` comment (nothing for empty text); `indent` pads the lines after
    the first, so the template places the first line."""
    lines = _doc_lines(text, limit)
    if not any(lines):
        return Code("")
    pad = " " * indent
    if len(lines) == 1:
        return Code(f"/** {lines[0]} */")
    body = "\n".join(f"{pad} * {ln}" if ln else f"{pad} *" for ln in lines)
    return Code(f"/**\n{body}\n{pad} */")


FILTERS = {
    "ts_literal": ts_literal,
    "ts_property": ts_property,
    "ts_doc": ts_doc,
    "ts_comment": ts_comment,
}
