"""Plain YAML scalars to JSON values, by the YAML 1.2 core schema.

PyYAML resolves YAML 1.1 types, where `yes`/`on` are booleans and `2024-01-01` is a date: in
an OpenAPI document those are strings (enum values, examples), as they are in JSON.
"""

from __future__ import annotations

import re
from typing import Any

CORE_TAG = "tag:yaml.org,2002:"
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# What an int, float, inf or nan can start with.
_NUMBER_START = frozenset("+-.0123456789")
_TAGGED_KINDS: dict[str, type] = {"int": int, "float": float, "bool": bool, "null": type(None)}


class TagError(ValueError):
    """A tag we cannot honour, or a value that does not fit its tag."""


def plain_scalar(text: str) -> Any:
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text[0] not in _NUMBER_START:  # most scalars are words: skip the four patterns
        return text
    if _INT.fullmatch(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


def tagged_scalar(tag: str, text: str) -> Any:
    """A scalar with an explicit tag: the core types, or a string; anything else is refused."""
    if tag in ("!", CORE_TAG + "str", CORE_TAG + "binary"):
        return text
    kind = _TAGGED_KINDS.get(tag.removeprefix(CORE_TAG)) if tag.startswith(CORE_TAG) else None
    if kind is None:
        raise TagError(f"unsupported YAML tag {tag!r}")
    value = plain_scalar(text)
    if kind is float and type(value) is int:
        value = float(value)
    if type(value) is not kind:
        raise TagError(f"{text!r} is not a valid !!{tag.removeprefix(CORE_TAG)}")
    return value
