"""The framework-free part of the generated servers: body decoding and schema checks,
credentials, security alternatives, error bodies and response encoding. Each framework's
runtime adapts its request and response types to these functions."""

from __future__ import annotations

import base64
import binascii
import importlib
import json
import re
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from pydantic import PydanticUserError, TypeAdapter, ValidationError

from . import _binary
from ._forms import File, FormError, FormField, collect
from ._handlers_runtime import Auth, BaseHandlers, RequestError, ResponseVariant
from ._problems import PROBLEM_JSON, Problem, fit, title_of
from ._streams import encode_stream


@cache
def openapi_document() -> dict[str, Any]:
    """The API's contract, as bundled from the source spec (served at /openapi.json)."""
    text = resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@cache
def webhook_document() -> dict[str, Any]:
    """The contract of the API's webhooks, as paths under their default mount path
    (served at /openapi.json by the webhook receivers)."""
    path = resources.files(__package__).joinpath("webhooks.openapi.json")
    text = path.read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


class HTTPProblem(Exception):
    """An error the server answers itself (status, title, detail, validation errors):
    with the operation's declared response, or a problem+json body. The title defaults
    to the status's reason phrase."""

    def __init__(
        self, status: int, title: str | None, detail: str, errors: Any = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or title_of(status)
        self.detail = detail
        self.errors = errors
        self.headers: dict[str, str] = {}


def route_prefix(base_path: str) -> str:
    """`base_path` as a route prefix: "/v2" (no trailing slash), "" for the root."""
    path = base_path.strip().strip("/")
    return f"/{path}" if path else ""


@dataclass(frozen=True)
class Encoded:
    """A response ready for any framework: status, media type, headers, and bytes or,
    for a streamed body, the chunks to send as they come (no Content-Length)."""

    status: int
    media_type: str | None
    headers: dict[str, str]
    content: bytes
    stream: AsyncGenerator[bytes, None] | None = None


@cache
def adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(annotation)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def dumps(data: Any) -> bytes:
    # allow_nan=False: NaN and Infinity are not JSON; sending them would break the
    # contract.
    return json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def encode_problem(exc: HTTPProblem) -> Encoded:
    """The documented fallback: an RFC 9457 problem+json body."""
    body = _problem(exc).body()
    return Encoded(exc.status, PROBLEM_JSON, dict(exc.headers), dumps(body))


# Per operationId, per response key ("404", "4XX", "default"): the declared variants an
# error may be answered with, in the order the server prefers them.
ErrorTable = Mapping[str, Mapping[str, Sequence[type[ResponseVariant]]]]


async def encode_error(
    handlers: BaseHandlers,
    operation_id: str | None,
    exc: HTTPProblem,
    declared: ErrorTable | None = None,
) -> Encoded:
    """The response to an error the server found itself: what `handlers.error_response`
    returns, else the operation's declared response for the status (then its range, then
    `default`) with the problem fitted to its schema, else a problem+json body."""
    error = RequestError(
        operation_id, exc.status, exc.title, exc.detail, exc.errors, dict(exc.headers)
    )
    variant = await handlers.error_response(error)
    if variant is None and operation_id is not None and declared:
        variant = declared_error(declared.get(operation_id, {}), exc)
    if variant is None:
        return encode_problem(exc)
    encoded = encode(variant)
    for name, value in exc.headers.items():
        encoded.headers.setdefault(name, value)
    return encoded


def declared_error(
    responses: Mapping[str, Sequence[type[ResponseVariant]]], exc: HTTPProblem
) -> ResponseVariant | None:
    """The first declared variant for the error's status that can say it, or None."""
    for key in (str(exc.status), f"{exc.status // 100}XX", "default"):
        for cls in responses.get(key, ()):
            variant = _variant(cls, exc)
            if variant is not None:
                return variant
    return None


def _problem(exc: HTTPProblem) -> Problem:
    return Problem(exc.status, exc.title, exc.detail, exc.errors)


def _variant(cls: type[ResponseVariant], exc: HTTPProblem) -> ResponseVariant | None:
    values: dict[str, Any] = {}
    fields = cls._fields
    if "code" in fields:
        values["code"] = exc.status
    if "body" in fields:
        if cls.kind == "text":
            values["body"] = f"{exc.status} {exc.title}: {exc.detail}"
        elif cls.kind == "json":
            body = _json_body(cls, exc)
            if body is None:
                return None
            values["body"] = body
        else:
            return None  # a binary error body cannot say anything of ours
    if "headers" in fields and cls.headers_type is not None:
        sent = {name.lower(): value for name, value in exc.headers.items()}
        found = {
            attr: sent[wire.lower()]
            for attr, wire in cls.header_names.items()
            if wire.lower() in sent
        }
        try:
            values["headers"] = cls.headers_type(**found)
        except TypeError:  # a required header the error does not carry
            return None
    try:
        return cls(**values)
    except TypeError:
        return None


def _json_body(cls: type[ResponseVariant], exc: HTTPProblem) -> Any:
    schema = _json_schema(cls.body_type)
    if schema is None:
        return None
    problem_json = (cls.media_type or "").lower().startswith(PROBLEM_JSON)
    try:
        value = fit(schema, _problem(exc), problem_json=problem_json)
        return adapter(cls.body_type).validate_python(value)
    except (ValueError, ValidationError):
        return None


@cache
def _json_schema(body_type: Any) -> dict[str, Any] | None:
    try:
        schema: dict[str, Any] = adapter(body_type).json_schema()
    except (PydanticUserError, TypeError, ValueError):  # a type with no JSON Schema
        return None
    return schema


def encode(result: ResponseVariant) -> Encoded:
    """A handler's declared response, encoded per its media kind."""
    if not isinstance(result, ResponseVariant):
        raise TypeError(
            f"handler returned {type(result).__name__}, not a declared response"
        )
    if result.kind == "json":
        data = adapter(result.body_type).dump_python(
            result.content, mode="json", by_alias=True, exclude_unset=True
        )
        if result.body_schema:
            _check_response(result.body_schema, data)
        content = dumps(data)
    elif result.kind == "text":
        content = str(result.content).encode("utf-8")
    elif result.kind == "binary":
        return _encode_binary(result)
    elif result.kind in ("events", "lines"):
        headers = {**_STREAM_HEADERS, **result.header_values()}
        dump = _item_dump(result.body_type)
        stream = encode_stream(result.content, result.kind, dump)
        status = result.status_code
        return Encoded(status, result.media_type, headers, b"", stream)
    else:
        content = b""
    return Encoded(
        result.status_code, result.media_type, result.header_values(), content
    )


def _encode_binary(result: ResponseVariant) -> Encoded:
    """Bytes with their Content-Length, or a stream sent as it is read (with the length
    of a seekable file), in the declared media type or the handler's `content_type`."""
    try:
        given = getattr(result, "content_type", None)
        media_type = _binary.response_media_type(result.media_type, given)
    except ValueError as exc:  # the handler's bug, never sent
        raise HTTPProblem(500, "Internal Server Error", str(exc)) from None
    body, headers = result.content, result.header_values()
    if isinstance(body, bytes | bytearray | memoryview):
        return Encoded(result.status_code, media_type, headers, bytes(body))
    size = _binary.length(body)
    if size is not None:
        headers["Content-Length"] = str(size)
    stream = _binary.chunks(body)
    return Encoded(result.status_code, media_type, headers, b"", stream)


# Streams go out as they are made: no caching, no proxy buffering (nginx).
_STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _item_dump(item_type: Any) -> Callable[[Any], str]:
    """How one item of a stream is spelled: text as itself, anything else as JSON."""
    if item_type is str:
        return str
    dump = adapter(item_type).dump_python

    def spell(item: Any) -> str:
        data = dump(item, mode="json", by_alias=True, exclude_unset=True)
        return dumps(data).decode("utf-8")

    return spell


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
    try:
        found = list(_schema_validator(section, key).iter_errors(data))
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
    nullable, a readOnly property sent)."""
    details = _schema_errors("bodies", key, data, "body")
    if details:
        raise HTTPProblem(
            400, "Bad Request", "request body does not match the schema", details
        )


def _check_response(key: str, data: Any) -> None:
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


def _base(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


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
    JSON, against the spec's schema `schema` when the server validates schemas). A
    Content-Type the operation does not declare (`media_types`) is a 415."""
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
    if kind == "json" and not schema and not _NEEDS_JSON_MODULE.search(raw):
        return _strict_json(raw, body_type)
    if kind == "json":
        try:
            data = json.loads(raw, parse_constant=_reject_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise HTTPProblem(400, "Bad Request", f"malformed JSON: {exc}") from None
        except RecursionError:
            raise _too_deep() from None
        if schema:
            check_schema(schema, data)
        try:
            return adapter(body_type).validate_python(data)
        except RecursionError:
            raise _too_deep() from None
        except ValidationError as exc:
            raise HTTPProblem(
                400, "Bad Request", "request body is invalid", body_errors(exc)
            ) from None
    if kind == "text":
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPProblem(
                400, "Bad Request", "request body is not UTF-8 text"
            ) from None
    return raw


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
        return adapter(body_type).validate_json(raw, strict=True)
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


@dataclass(frozen=True)
class CredentialSource:
    """Where credentials are looked up: the request's headers, query and cookies."""

    header: Callable[[str], str | None]
    query: Callable[[str], str | None]
    cookie: Callable[[str], str | None]


def credential(source: CredentialSource, kind: str, name: str) -> str | None:
    if kind in ("bearer", "basic"):
        scheme, _, value = (source.header("authorization") or "").partition(" ")
        if scheme.lower() != kind or not value.strip():
            return None
        if kind == "basic":
            try:
                return base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
        return value.strip()
    if kind == "header":
        return source.header(name)
    if kind == "query":
        return source.query(name)
    if kind == "cookie":
        return source.cookie(name)
    return None


async def authorize(
    source: CredentialSource,
    handlers: BaseHandlers,
    schemes: Mapping[str, tuple[str, str]],
    requirements: Iterable[tuple[str, ...]],
) -> Auth:
    """Match the request's credentials against the operation's security alternatives.

    A credential that is presented and rejected is a 401 even when anonymous access is
    allowed: a caller with a wrong key must learn that its key is wrong.
    """
    requirements = tuple(requirements)
    if not requirements:
        return Auth()
    anonymous = False
    for requirement in requirements:
        if not requirement:
            anonymous = True
            continue
        found = {key: credential(source, *schemes[key]) for key in requirement}
        if any(value is None for value in found.values()):
            continue
        credentials = {key: value for key, value in found.items() if value is not None}
        for key, value in credentials.items():
            if not await handlers.authenticate(key, value):
                raise _unauthorized("invalid credentials", schemes)
        return Auth(credentials)
    if anonymous:
        return Auth()
    raise _unauthorized("missing credentials", schemes)


def _unauthorized(detail: str, schemes: Mapping[str, tuple[str, str]]) -> HTTPProblem:
    exc = HTTPProblem(401, "Unauthorized", detail)
    kinds = {kind for kind, _ in schemes.values()}
    if "bearer" in kinds:
        exc.headers["WWW-Authenticate"] = "Bearer"
    elif "basic" in kinds:
        exc.headers["WWW-Authenticate"] = "Basic"
    return exc
