"""Parameter values as sent (strings) to JSON values their schema can judge.

A value is read as the types its schema allows (integer, number, boolean, null, string, in
that order) and stays a string when it reads as none of them, so `?limit=abc` fails the
schema's type check. Arrays follow the parameter's style (`form` exploded: the key repeated;
otherwise split on `,`, ` ` or `|`). Object-valued parameters (`deepObject`, exploded forms)
are checked for presence only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from generator.pointers import deref, lookup_pointer
from generator.proxy.contract import Parameter

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}

# The value of a parameter that is not checked (an object), or that is absent.
UNCHECKED: Any = object()


def schema_types(document: Any, pointer: str | None) -> set[str]:
    """The JSON types the schema at `pointer` allows (its members' for a union); empty when
    it does not say."""
    if pointer is None:
        return set()
    pending, types, seen = [lookup_pointer(document, pointer)], set[str](), 0
    while pending and seen < 50:
        node, _ = deref(document, pending.pop())
        seen += 1
        if not isinstance(node, Mapping):
            continue
        kind = node.get("type")
        types |= {kind} if isinstance(kind, str) else {k for k in kind or () if isinstance(k, str)}
        if "enum" in node and not kind:
            types |= {_json_type(v) for v in node["enum"] if isinstance(node["enum"], list)}
        for key in ("anyOf", "oneOf", "allOf"):
            members = node.get(key)
            if isinstance(members, list):
                pending.extend(members)
    return types


def is_object(document: Any, pointer: str | None) -> bool:
    types = schema_types(document, pointer)
    return "object" in types and types <= {"object", "null"}


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "null" if value is None else "string"


def item_pointer(document: Any, pointer: str | None) -> str | None:
    """The pointer of an array schema's `items`, behind its `$ref`."""
    if pointer is None:
        return None
    node, target = deref(document, lookup_pointer(document, pointer), pointer)
    if isinstance(node, Mapping) and isinstance(node.get("items"), Mapping):
        return f"{target}/items"
    return None


def coerce(raw: str, types: set[str]) -> Any:
    if "integer" in types and _INTEGER.fullmatch(raw):
        return int(raw)
    if "number" in types and _NUMBER.fullmatch(raw):
        number = float(raw)
        return int(number) if number.is_integer() and "e" not in raw.lower() else number
    if "boolean" in types and raw in ("true", "false"):
        return raw == "true"
    if "null" in types and raw in ("", "null"):
        return None
    return raw


def parameter_value(parameter: Parameter, raws: list[str], document: Any) -> Any:
    """The JSON value of `parameter` as sent (`raws`: every occurrence, in order); UNCHECKED
    for what is not checked. Raises ValueError for JSON content that is not JSON."""
    if parameter.json_content:
        return json.loads(raws[0])
    types = schema_types(document, parameter.schema)
    if is_object(document, parameter.schema):
        return UNCHECKED
    if "array" in types:
        items = item_pointer(document, parameter.schema)
        item_types = schema_types(document, items)
        if parameter.style == "form" and parameter.explode and parameter.location == "query":
            values = raws
        else:
            delimiter = _DELIMITERS.get(parameter.style, ",")
            values = raws[0].split(delimiter) if raws[0] else []
        return [coerce(v, item_types) for v in values]
    return coerce(raws[0], types)


def query_values(query: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        found.setdefault(_utf8(name), []).append(_utf8(value))
    return found


def _utf8(text: str) -> str:
    # parse_qsl decoded the percent escapes as latin-1: read the bytes back as UTF-8.
    return text.encode("latin-1").decode("utf-8", "replace")


def header_values(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, list[str]]:
    """Header values by lower-case name, in order (a repeated header is several values)."""
    found: dict[str, list[str]] = {}
    for name, value in headers:
        found.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return found


def cookie_values(headers: Mapping[str, list[str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in headers.get("cookie", ()):
        for pair in line.split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name:
                found.setdefault(name, []).append(value.strip('"'))
    return found


def has_object_keys(values: Mapping[str, list[str]], name: str) -> bool:
    """Whether a deepObject parameter `name` was sent (`name[key]=...`)."""
    return any(key.startswith(f"{name}[") for key in values)
