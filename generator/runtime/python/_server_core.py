"""The framework-free part of the generated servers: credentials, security alternatives,
error bodies and response encoding (request bodies are `_server_bodies.py`). Each
framework's runtime adapts its request and response types to these functions."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import AsyncGenerator, Callable, Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from pydantic import PydanticUserError, ValidationError

from . import _binary
from ._handlers_runtime import Auth, BaseHandlers, RequestError, ResponseVariant
from ._problems import PROBLEM_JSON, HTTPProblem, Problem, fit
from ._server_bodies import adapter, check_response
from ._server_json import written_at_once
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


def route_prefix(base_path: str) -> str:
    """`base_path` as a route prefix: "/v2" (no trailing slash), "" for the root."""
    path = base_path.strip().strip("/")
    return f"/{path}" if path else ""


def path_precedence(path: str) -> tuple[tuple[tuple[int, int], ...], str]:
    """The order routes are tried in, as OpenAPI matches paths: segment by segment, a
    literal one before a templated one (more literal text first), a greedy one
    (`{p:path}`, `<path:p>`) last; the path itself breaks ties. Starlette or Werkzeug
    syntax."""
    key: list[tuple[int, int]] = []
    for segment in path.split("/"):
        literal = len(re.sub(r"\{[^}]*\}|<[^>]*>", "", segment))
        if literal == len(segment):
            key.append((0, 0))
        else:
            greedy = ":path}" in segment or "<path:" in segment
            key.append((2 if greedy else 1, -literal))
    return tuple(key), path


class Encoded(NamedTuple):
    """A response ready for any framework: status, media type, headers, and bytes or,
    for a streamed body, the chunks to send as they come (no Content-Length)."""

    status: int
    media_type: str | None
    headers: dict[str, str]
    content: bytes
    stream: AsyncGenerator[bytes, None] | None = None


# allow_nan=False: NaN and Infinity are not JSON; sending them would break the contract.
# One encoder for every response (`json.dumps` with options makes one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(data: Any) -> bytes:
    return _ENCODER.encode(data).encode()


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
        content = None if result.body_schema else written_at_once(result)
        if content is None:
            data = adapter(result.body_type).dump_python(
                result.content, mode="json", by_alias=True, exclude_unset=True
            )
            if result.body_schema:
                check_response(result.body_schema, data)
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


class CredentialSource(NamedTuple):
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
    anonymous = False
    unsecured = True  # no requirement at all
    for requirement in requirements:
        unsecured = False
        if not requirement:
            anonymous = True
            continue
        credentials: dict[str, str] = {}
        for key in requirement:
            value = credential(source, *schemes[key])
            if value is None:
                break
            credentials[key] = value
        else:
            for key, value in credentials.items():
                if not await handlers.authenticate(key, value):
                    raise _unauthorized("invalid credentials", schemes)
            return Auth(credentials)
    if anonymous or unsecured:
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
