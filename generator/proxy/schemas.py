"""JSON Schema checks with jsonschema-rs: one compiled validator per schema, made on first
use, with `#/components/schemas/...` references resolving in the contract's document."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import jsonschema_rs

MAX_ERRORS = 5  # per value: the first few say enough
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SchemaChecker:
    def __init__(self, document: dict[str, Any]) -> None:
        self._document = document
        self._validators: dict[str, Any] = {}

    def errors(self, pointer: str, value: Any, hidden: str = "") -> list[str]:
        """What is wrong with `value` under the schema at `pointer`: `$.path: message`, in
        document order, at most MAX_ERRORS. `hidden` names the keyword whose properties the
        schema forbids (generator.build.sides): readOnly in requests, writeOnly in
        responses."""
        try:
            found = list(self._validator(pointer).iter_errors(value))
        except (RecursionError, ValueError) as exc:  # too deep, or a lone surrogate
            return [f"$: cannot be checked ({type(exc).__name__})"]
        found.sort(key=lambda e: [str(p) for p in e.instance_path])
        return [f"{json_path(e.instance_path)}: {_message(e, hidden)}" for e in found[:MAX_ERRORS]]

    def _validator(self, pointer: str) -> Any:
        if pointer not in self._validators:
            fragment = quote(pointer, safe="/~")
            schema = {**self._document, "$ref": f"#{fragment}"}
            self._validators[pointer] = jsonschema_rs.Draft202012Validator(
                schema, validate_formats=True
            )
        return self._validators[pointer]


def _message(error: Any, hidden: str) -> str:
    kind = error.kind
    if hidden and isinstance(kind, jsonschema_rs.ValidationErrorKind.Not) and kind.schema == {}:
        return f"a {hidden} property, which must not be sent here"
    return str(error.message)[:200]


def json_path(parts: Any) -> str:
    """`$.items[0].id` for the instance path ["items", 0, "id"]."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _NAME.fullmatch(part):
            text += f".{part}"
        else:
            text += f"[{part!r}]"
    return text
