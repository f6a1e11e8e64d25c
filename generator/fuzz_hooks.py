"""schemathesis hooks for `specgen fuzz` (its `schemathesis.toml` names this module).

A form field carries text, never JSON null, a number or a boolean: schemathesis sends a
negative `null` for a string field as the text "null", which the field rightly takes. Its
own check knows this (it reads the form as sent before calling a negative body accepted),
but gives up on any multipart body holding a file part (it cannot validate bytes), so a
body with a file is called negative though the server got a valid one. This hook drops such
"schema-violating request accepted" failures where the body as sent is valid: only when
the body is the one negative part of the request, and each field is read as a server reads
it (a file part as its bytes, a text part as the text or the JSON it spells, repeated parts
as an array). A server bug stays a failure: a form the schema refuses as sent is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.parameters import ParameterLocation

_MULTIPART = "multipart/form-data"
_URLENCODED = "application/x-www-form-urlencoded"


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext,
    failure: Any,
    case: schemathesis.Case[Any],
    response: schemathesis.Response,
) -> bool:
    """False (drop the failure) for a negative form body whose wire form is valid."""
    if not isinstance(failure, AcceptedNegativeData):
        return True
    try:
        return not _form_is_valid_as_sent(case, response)
    except Exception:  # a body or schema this cannot read: keep the failure
        return True


def _form_is_valid_as_sent(case: schemathesis.Case[Any], response: schemathesis.Response) -> bool:
    meta = case.meta
    media_type = (case.media_type or "").split(";")[0].strip().lower()
    if meta is None or media_type not in (_MULTIPART, _URLENCODED):
        return False
    negative = {loc for loc, info in meta.components.items() if info.mode.is_negative}
    if negative != {ParameterLocation.BODY}:
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None:
        return False
    validator = _validator(body.optimized_schema, case)
    fields = _sent_fields(response, media_type)
    if fields is None:
        return False
    return bool(validator.is_valid(read_fields(fields, validator)))


def _validator(schema: Any, case: schemathesis.Case[Any]) -> Any:
    adapter = case.operation.schema.adapter
    return adapter.jsonschema_validator_cls(schema)


def read_fields(fields: Mapping[str, Sequence[str]], validator: Any) -> dict[str, Any]:
    """The form as a server reads it: per field, the first reading the schema takes at that
    field (the text, the JSON it spells, or, for repeated parts, an array)."""
    data: dict[str, Any] = {}
    for name, texts in fields.items():
        readings = _readings(texts)
        data[name] = next(
            (r for r in readings if not _errors_at(validator, {**data, name: r}, name)),
            readings[0],
        )
    return data


def _readings(texts: Sequence[str]) -> list[Any]:
    per_part = [_text_readings(text) for text in texts]
    if len(texts) > 1:  # repeated parts: an array, of texts or of what each spells
        return [list(texts), [readings[-1] for readings in per_part]]
    return [*per_part[0], *([reading] for reading in per_part[0])]


def _text_readings(text: str) -> list[Any]:
    try:
        return [text, json.loads(text)]
    except ValueError:
        return [text]


def _errors_at(validator: Any, instance: dict[str, Any], name: str) -> bool:
    return any(error.instance_path[:1] == [name] for error in validator.iter_errors(instance))


def _sent_fields(response: schemathesis.Response, media_type: str) -> dict[str, list[str]] | None:
    """The fields of the body as sent, each part's content as text (a file part's bytes
    read as Latin-1: binary, one character a byte, as a `format: binary` string)."""
    content = response.request.body
    if isinstance(content, str):
        content = content.encode()
    if not isinstance(content, bytes):
        return None
    if media_type == _URLENCODED:
        return parse_qs(content.decode("utf-8", "replace"), keep_blank_values=True)
    header = response.request.headers.get("Content-Type", "")
    if isinstance(header, bytes):
        header = header.decode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {header}\r\n\r\n".encode() + content
    )
    fields: dict[str, list[str]] = {}
    for part in message.iter_parts():
        assert isinstance(part, Message)
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            return None
        is_file = part.get_filename() is not None
        text = payload.decode("latin-1") if is_file else payload.decode("utf-8", "replace")
        fields.setdefault(name, []).append(text)
    return fields
