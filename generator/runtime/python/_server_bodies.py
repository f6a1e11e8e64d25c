"""The request bodies of the generated servers, framework-free: decoding per media kind
(JSON, forms, text, bytes) with the 415 and 400 a server answers itself, the model's
validation, and the checks against the spec's JSON Schemas (`request_schemas.json`) for
what a model cannot say."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter, ValidationError
from pydantic_core import from_json

from ._forms import File, FormError, FormField, collect
from ._media import base as _base
from ._media import charset as _charset
from ._problems import HTTPProblem


@cache
def adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


@cache
def json_reader(annotation: Any) -> Callable[..., Any]:
    """`adapter(annotation).validate_json`, as it calls its validator (the same call
    without the adapter's own argument checks, which cost more than a small body)."""
    read: Callable[..., Any] = adapter(annotation).validator.validate_json
    return read


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# `json.loads(raw, parse_constant=...)` makes a decoder per call; this one serves all.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


@cache
def _request_schemas() -> dict[str, Any]:
    text = (
        resources.files(__package__).joinpath("request_schemas.json").read_text("utf-8")
    )
    schemas: dict[str, Any] = json.loads(text)
    return schemas


@cache
def _schema_validator(section: str, key: str) -> Any:
    # jsonschema-rs: a compiled validator, two orders of magnitude faster than a Python
    # one on recursive schemas; imported on first use, as most imports never need it.
    jsonschema_rs = importlib.import_module("jsonschema_rs")
    # The key (an operationId, a pointer) escaped as a JSON pointer token, then for a
    # URI fragment.
    token = quote(key.replace("~", "~0").replace("/", "~1"), safe="")
    schema = {"$ref": f"#/{section}/{token}", **_request_schemas()}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _too_deep() -> HTTPProblem:
    # A server limit, not a spec rule: Python's recursion limit bounds the nesting
    # depth.
    return HTTPProblem(
        400, "Bad Request", "the request body nests too deeply for this server"
    )


def _schema_errors(section: str, key: str, data: Any, where: str) -> list[Any]:
    validator = _schema_validator(section, key)
    try:
        if validator.is_valid(data):  # faster than collecting no errors
            return []
        found = list(validator.iter_errors(data))
    except RecursionError:
        raise _too_deep() from None
    except UnicodeEncodeError:  # a lone surrogate (`"\\ud800"`) is no Unicode text
        raise HTTPProblem(
            400, "Bad Request", "request body holds a lone surrogate, which is no text"
        ) from None
    errors = sorted(found, key=lambda e: [str(p) for p in e.instance_path])
    return [
        {
            "loc": [where, *e.instance_path],
            "msg": e.message[:200],
            "type": str(e.schema_path[-1]) if e.schema_path else "schema",
        }
        for e in errors[:10]
    ]


def check_schema(key: str, data: Any) -> None:
    """Validate a decoded JSON body against the spec's schema (what the models cannot
    say: `not`, `oneOf` exclusivity, `null` for a property that is optional but not
    nullable, a readOnly property sent), or a text body (what a `str` cannot say)."""
    details = _schema_errors("bodies", key, data, "body")
    if details:
        raise HTTPProblem(
            400, "Bad Request", "request body does not match the schema", details
        )


def check_response(key: str, data: Any) -> None:
    """A response body must not carry a writeOnly property (a handler that returned the
    request's model, or a dict): the server's error, never sent."""
    # Without the messages: they quote the value, which must not travel in the error.
    details = [
        {"loc": e["loc"], "type": e["type"]}
        for e in _schema_errors("responses", key, data, "response")
    ]
    if details:
        raise HTTPProblem(
            500,
            "Internal Server Error",
            "response body does not match the schema",
            details,
        )


def _is_json(content_type: str) -> bool:
    base = _base(content_type)
    return base == "application/json" or base.endswith("+json")


_DEFAULT_MEDIA = {
    "json": ("application/json",),
    "text": ("text/*",),
    "binary": ("*/*",),
    "multipart": ("multipart/form-data",),
    "form": ("application/x-www-form-urlencoded",),
}
# What the frameworks' form parsers read; a form body may declare both.
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def accepts(media_types: Iterable[str], content_type: str) -> bool:
    """Whether a request's Content-Type is one the operation declares (`*/*` and
    `image/*` ranges included). No Content-Type at all is taken as the declared one."""
    sent = _base(content_type)
    if not sent:
        return True
    for declared in map(_base, media_types):
        if declared in (sent, "*/*", "*"):
            return True
        if declared.endswith("/*") and sent.startswith(declared[:-1]):
            return True
    return False


@dataclass(frozen=True)
class BodyMedia:
    """One media type an operation of several accepts: how a body sent as it is decoded
    (`kind`: json, multipart, form, text, binary), into which type, the key of its JSON
    Schema check ("" for none) and a form's fields."""

    media_type: str
    kind: str
    body_type: Any
    schema: str = ""
    fields: Sequence[FormField] = ()


def choose_media(media: Sequence[BodyMedia], content_type: str) -> BodyMedia:
    """The declared media type a request's Content-Type is: the same type, else (for
    JSON) the first JSON one, else the first range that holds it (`image/*` before
    `*/*`); no Content-Type is the first (the one clients send). Else a 415."""
    sent = _base(content_type)
    if not sent:
        return media[0]
    for declared in media:
        if _base(declared.media_type) == sent:
            return declared
    if _is_json(sent):
        for declared in media:
            if declared.kind == "json" and not _base(declared.media_type).endswith("*"):
                return declared
    ranges = [m for m in media if _base(m.media_type).endswith("*")]
    ranges.sort(key=lambda m: _base(m.media_type) in ("*/*", "*"))
    for declared in ranges:
        if accepts((declared.media_type,), sent):
            return declared
    expected = ", ".join(m.media_type for m in media)
    raise HTTPProblem(415, None, f"expected {expected}, got {content_type}")


def decode_body(
    raw: bytes,
    content_type: str,
    kind: str,
    body_type: Any,
    required: bool,
    schema: str = "",
    media_types: Sequence[str] = (),
) -> Any:
    """The request body decoded and validated per the declared media kind (and, for
    JSON and text, against the spec's schema `schema` when the server validates
    schemas). A Content-Type the operation does not declare (`media_types`) is a 415."""
    # An empty text or binary body with a Content-Type is "" or b"", not no body (an
    # empty string is valid text); JSON has no empty document.
    if not raw and (kind == "json" or not content_type):
        if required:
            raise HTTPProblem(400, "Bad Request", "a request body is required")
        return None
    # A JSON body is read from any JSON media type (and only from one: the server cannot
    # decode the operation's other media types as JSON); other bodies from what the
    # operation declares.
    if kind == "json":
        accepted = not content_type or _is_json(content_type)
    else:
        accepted = accepts(media_types or _DEFAULT_MEDIA[kind], content_type)
    if not accepted:
        expected = ", ".join(media_types or _DEFAULT_MEDIA[kind])
        raise HTTPProblem(415, None, f"expected {expected}, got {content_type}")
    if kind == "json":
        if not schema and _NEEDS_JSON_MODULE.search(raw) is None:
            return _strict_json(raw, body_type)
        try:
            # pydantic's parser, 4x faster than `json`; it refuses what `json` would
            # read otherwise (NaN, lone surrogates, UTF-16, deep nesting...), and those
            # bodies `json` reads, as before.
            data = from_json(raw, allow_inf_nan=False)
            parsed = True
        except ValueError:
            data, parsed = _json_module(raw), False
        if schema:
            check_schema(schema, data)
        if parsed:
            # The body the schema accepted, read by the model from its JSON (lax):
            # faster than from the parsed value, with the same result.
            try:
                return json_reader(body_type)(raw)
            except RecursionError:
                raise _too_deep() from None
            except ValidationError as exc:
                errors = body_errors(exc)
                if not errors or errors[0].get("type") != "json_invalid":
                    raise HTTPProblem(
                        400, "Bad Request", "request body is invalid", errors
                    ) from None
        try:
            return adapter(body_type).validate_python(data)
        except RecursionError:
            raise _too_deep() from None
        except ValidationError as exc:
            raise HTTPProblem(
                400, "Bad Request", "request body is invalid", body_errors(exc)
            ) from None
    if kind == "text":
        # No Content-Type: the body is the declared media type, in its charset.
        text = decode_text(raw, content_type or next(iter(media_types), ""))
        if schema:
            check_schema(schema, text)
        return text
    return raw


def _json_module(raw: bytes) -> Any:
    """A JSON body as `json.loads` reads it (UTF-8, -16 or -32), NaN and Infinity
    refused, with one decoder for all."""
    try:
        return _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPProblem(400, "Bad Request", f"malformed JSON: {exc}") from None
    except RecursionError:
        raise _too_deep() from None


def decode_text(raw: bytes, content_type: str) -> str:
    """A text body in the charset its Content-Type names (UTF-8 if none): 400 for bytes
    that are no text in it, 415 for a charset Python has no codec for."""
    charset = _charset(content_type)
    try:
        text = raw.decode(charset)
    except LookupError:  # unknown, or a codec that is no text encoding (base64)
        raise HTTPProblem(415, None, f"charset {charset} is not supported") from None
    except ValueError:  # UnicodeDecodeError, or a codec's own complaint
        raise HTTPProblem(
            400, "Bad Request", f"request body is not {charset} text"
        ) from None
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # Escape codecs (unicode_escape, utf-7) can give lone surrogates, no text.
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise HTTPProblem(
                400, "Bad Request", f"request body is not {charset} text"
            ) from None
    return text


# What the json module reads and pydantic's JSON parser does not (or the other way):
# NaN/Infinity (refused by both paths, with json's message), escaped lone surrogates.
_NEEDS_JSON_MODULE = re.compile(rb"NaN|Infinity|\\[uU][dD][89a-fA-F]")


def body_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """A model's validation errors, located in the body as the schema check locates
    them (`["body", "feedback", 0, "id"]`), without the input values."""
    errors: list[dict[str, Any]] = json.loads(
        exc.json(include_url=False, include_input=False)
    )
    for error in errors:
        error["loc"] = ["body", *error.get("loc", ())]
    return errors


def _strict_json(raw: bytes, body_type: Any) -> Any:
    """A JSON body whose model says everything its schema says: parsed and validated in
    one pass, in strict mode (a string is no number, 1 no boolean), as JSON Schema reads
    JSON types."""
    try:
        return json_reader(body_type)(raw, strict=True)
    except RecursionError:
        raise _too_deep() from None
    except ValidationError as exc:
        errors = body_errors(exc)
        if errors and errors[0].get("type") == "json_invalid":
            message = str(errors[0].get("msg", ""))
            if "recursion limit" in message:
                raise _too_deep() from None
            detail = f"malformed JSON: {message.removeprefix('Invalid JSON: ')}"
            raise HTTPProblem(400, "Bad Request", detail) from None
        raise HTTPProblem(
            400, "Bad Request", "request body is invalid", errors
        ) from None


def check_form_type(kind: str, content_type: str, media_types: Sequence[str]) -> None:
    """A form body's Content-Type, before the framework parses it: one the operation
    declares and the parser reads (415 otherwise), with a boundary if multipart."""
    declared = [
        m for m in media_types or _DEFAULT_MEDIA[kind] if _base(m) in _FORM_TYPES
    ]
    sent = _base(content_type)
    if sent and sent not in map(_base, declared):
        expected = ", ".join(declared)
        raise HTTPProblem(415, None, f"expected {expected}, got {content_type}")
    if sent == "multipart/form-data" and "boundary=" not in content_type.lower():
        raise HTTPProblem(400, "Bad Request", "a multipart body needs a boundary")


def decode_form(
    items: Sequence[tuple[str, str | File]],
    body_type: Any,
    required: bool,
    fields: Sequence[FormField],
    schema: str = "",
) -> Any:
    """A parsed form body (text values and files) as the body's model: each part read
    per its field (JSON parts parsed, files kept as `File`), validated by the model
    (which turns text into numbers and enums) and then, when the server validates
    schemas, against the spec's schema `schema` as JSON Schema."""
    if not items and not required:
        return None
    try:
        data = collect(items, fields)
    except FormError as exc:
        error = {"loc": ["body", exc.field], "msg": exc.detail, "type": "form"}
        raise HTTPProblem(400, "Bad Request", exc.detail, [error]) from None
    try:
        body = adapter(body_type).validate_python(data)
    except ValidationError as exc:
        errors = json.loads(exc.json(include_url=False, include_input=False))
        raise HTTPProblem(
            400, "Bad Request", "request body is invalid", errors
        ) from None
    if schema:
        check_schema(schema, _checked(body_type, body, data, fields))
    return body


def _checked(
    body_type: Any, body: Any, data: dict[str, Any], fields: Sequence[FormField]
) -> Any:
    """What the schema check sees of a form: the model's values (text read as numbers,
    booleans), JSON parts as sent (the model would take `true` for an integer), and
    files as empty strings (a file is bytes, which JSON Schema cannot see)."""
    checked = adapter(body_type).dump_python(
        body, mode="json", by_alias=True, exclude_unset=True
    )
    if not isinstance(checked, dict):
        return checked
    for field in fields:
        if field.name not in data:
            continue
        if field.shape == "json":
            checked[field.name] = data[field.name]
        elif field.shape == "file":
            value = data[field.name]
            checked[field.name] = [""] * len(value) if isinstance(value, list) else ""
    return checked
