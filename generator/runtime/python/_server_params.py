"""Parameters as the wire carries them: text, read by the parameter's schema and style.

Both servers validate parameters with pydantic (FastAPI's `Query`/`Header`/... fields,
the Flask runtime's `TypeAdapter`s) in lax mode, which reads text more freely than the
spec does: `0` as a date-time (a Unix timestamp), `0.5` never as a float enum's member.
`WireText` is pydantic metadata for a parameter's type that puts the spec's reading in
front of it, leaving the handler contract's types (`datetime`, the enum) as they are.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any, Union

from pydantic import BeforeValidator, GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["WireText"]

# RFC 3339 (JSON Schema's `date`, `date-time`, `time`): what jsonschema-rs accepts in a
# request body, so a value passes as a parameter when it would in a body. Pydantic then
# checks the calendar (no 30 February). ASCII digits: `\d` would take any script's.
_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = "[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.][0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})"
_FORMATS: dict[type, tuple[str, re.Pattern[str]]] = {
    datetime: ("date-time", re.compile(f"{_DATE}[Tt]{_TIME}")),
    date: ("date", re.compile(_DATE)),
    time: ("time", re.compile(_TIME)),
}


def _rfc3339(kind: type) -> Callable[[Any], Any]:
    name, pattern = _FORMATS[kind]

    def check(value: Any) -> Any:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError(f"Input should be an RFC 3339 {name}")
        return value

    return check


def _enum_member(cls: type[Enum]) -> Callable[[Any], Any]:
    """Text to the value of the member it spells: `0.5`, `-1e10` and `-1.0E10` name the
    members 0.5 and -1e10 of a number enum, `true` the member True. Pydantic compares
    text to the values as they are, which only string members (and IntEnum's) match."""
    values = [m.value for m in cls]

    def read(value: Any) -> Any:
        if not isinstance(value, str) or value in values:
            return value
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        for member in values:
            # bool is an int: True is no 1, 1 no True.
            same_kind = isinstance(member, bool) is isinstance(parsed, bool)
            if same_kind and member == parsed:
                return member
        return value

    return read


def _text_type(annotation: Any) -> Any:
    """`annotation` with each part that reads text differently from pydantic's lax mode
    wrapped in the reading the spec defines; the other parts unchanged."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = typing.get_args(annotation)
        return Annotated[(_text_type(inner), *metadata)]
    if origin in (Union, types.UnionType):
        parts = tuple(_text_type(a) for a in typing.get_args(annotation))
        return Union[parts]  # noqa: UP007  # `X | Y` cannot take a tuple made at run time
    if origin is list:
        (item,) = typing.get_args(annotation)
        return list[_text_type(item)]  # type: ignore[misc]  # a type made at run time
    for kind in _FORMATS:
        if annotation is kind:
            return Annotated[annotation, BeforeValidator(_rfc3339(kind))]
    is_enum = isinstance(annotation, type) and issubclass(annotation, Enum)
    # Only an enum of numbers or booleans: where strings are members too, the declared
    # type is text and a member of another type (YAML 1.2's `012`) is the spec's defect.
    if is_enum and all(not isinstance(m.value, str) for m in annotation):
        return Annotated[annotation, BeforeValidator(_enum_member(annotation))]
    return annotation


class WireText:
    """Pydantic metadata of a parameter's type (`Annotated[T, WireText(...)]`): its
    values are read as the spec reads text (`_text_type`); with a `delimiter`, a list's
    values are split on it first (a header's `a,b`, a query's `style: form, explode:
    false`), and an empty value is the empty list."""

    def __init__(self, delimiter: str | None = None) -> None:
        self.delimiter = delimiter

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        read = _text_type(source)
        schema = handler(source) if read is source else handler.generate_schema(read)
        if self.delimiter is None:
            return schema
        return core_schema.no_info_before_validator_function(self._split, schema)

    def _split(self, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return value
        parts: list[Any] = []
        for text in value:
            if isinstance(text, str):
                parts.extend(text.split(self.delimiter) if text else [])
            else:
                parts.append(text)
        return parts
