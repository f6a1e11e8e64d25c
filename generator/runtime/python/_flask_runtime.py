"""Flask/Werkzeug adapters over the framework-free server core: parameters, bodies,
credentials and responses. Handlers are the same async contract as for FastAPI; each
request runs its coroutine to completion (Flask is synchronous) on its worker thread's
event loop (`_flask_loop.run`)."""

from __future__ import annotations

import json
from collections.abc import (
    AsyncGenerator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from functools import cache, partial
from typing import Annotated, Any
from urllib.parse import unquote

import flask
from flask import Flask, Request, Response
from pydantic import Field, TypeAdapter, ValidationError
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing import Rule

from . import _server_bodies as bodies
from . import _server_core as core
from ._flask_loop import run
from ._forms import File, FormField
from ._handlers_runtime import Auth, BaseHandlers, ResponseVariant
from ._problems import HTTPProblem
from ._server_bodies import BodyMedia
from ._server_core import ErrorTable, route_prefix
from ._server_params import WireText
from ._streams import last_event_id

__all__ = [
    "BodyMedia",
    "ErrorTable",
    "FormField",
    "HTTPProblem",
    "Params",
    "WireText",
    "authorize",
    "error_response",
    "last_event_id",
    "operation_id",
    "order_rules",
    "read_body",
    "read_media_body",
    "render",
    "route_prefix",
    "run",
    "unproxied",
]


def _response(encoded: core.Encoded) -> Response:
    if encoded.stream is not None:
        return Response(
            _chunks(encoded.stream),
            status=encoded.status,
            headers=encoded.headers,
            content_type=encoded.media_type,
        )
    return Response(
        encoded.content,
        status=encoded.status,
        headers=encoded.headers,
        content_type=encoded.media_type,
    )


def _chunks(stream: AsyncGenerator[bytes, None]) -> Iterator[bytes]:
    """A streamed body for WSGI: each chunk made on this thread's event loop as the
    server asks for it. The WSGI server closes this generator when the client goes
    away, which closes the handler's stream."""

    async def step() -> bytes | None:
        try:
            return await anext(stream)
        except StopAsyncIteration:
            return None

    try:
        while (chunk := run(step())) is not None:
            yield chunk
    finally:
        run(stream.aclose())


def render(result: ResponseVariant) -> Response:
    """Turn a handler's declared response into an HTTP response."""
    return _response(core.encode(result))


def error_response(
    handlers: BaseHandlers,
    request: Request,
    exc: HTTPProblem,
    declared: ErrorTable | None = None,
) -> Response:
    """The response to an error the server found itself (see `core.encode_error`)."""
    found = core.encode_error(handlers, operation_id(request), exc, declared)
    return _response(run(found))


def unproxied(request: Request) -> Request:
    """The request behind Flask's `request` proxy, for a route to read directly (every
    read through the proxy looks the request up again)."""
    resolve = getattr(request, "_get_current_object", None)
    found: Request = request if resolve is None else resolve()
    return found


def operation_id(request: Request) -> str | None:
    """The operationId of the matched route: its endpoint without the blueprint prefix
    and the percent-escaping of `%` and `.` the generated routes apply. None when no
    operation matched."""
    rule = request.url_rule
    if rule is None or isinstance(rule, _MethodNotAllowed) or request.endpoint is None:
        return None
    return unquote(request.endpoint.rpartition(".")[2])


class _MethodNotAllowed(Rule):
    """The last rule of a path, of any method: what its operations lack answers 405."""

    ENDPOINT = "specgen.method_not_allowed"  # a dot: never an operation's endpoint

    def __init__(self, path: str, allowed: Iterable[str]) -> None:
        super().__init__(path, endpoint=self.ENDPOINT)
        self.allowed = sorted(allowed)

    @staticmethod
    def answer(**_path: Any) -> Response:
        rule = flask.request.url_rule
        allowed = rule.allowed if isinstance(rule, _MethodNotAllowed) else None
        raise MethodNotAllowed(valid_methods=allowed)


def order_rules(app: Flask) -> None:
    """End each path with a rule of any method that answers 405 (with Allow). Werkzeug
    tries a path's literal segments before its converters, as OpenAPI does, but a path
    that matches and lacks the method would fall through to a templated sibling."""
    allowed: dict[str, set[str]] = {}
    done: set[str] = set()
    for rule in app.url_map.iter_rules():
        if isinstance(rule, _MethodNotAllowed):
            done.add(rule.rule)
        elif rule.endpoint != "static":
            allowed.setdefault(rule.rule, set()).update(rule.methods or ())
    for path, methods in sorted(allowed.items()):
        if path in done:
            continue
        app.url_map.add(_MethodNotAllowed(path, methods))
    app.view_functions[_MethodNotAllowed.ENDPOINT] = _MethodNotAllowed.answer


def read_body(
    request: Request,
    kind: str,
    body_type: Any,
    required: bool,
    schema: str = "",
    media_types: Sequence[str] = (),
    fields: Sequence[FormField] = (),
) -> Any:
    content_type: str = request.environ.get("CONTENT_TYPE", "")
    if kind in ("multipart", "form"):
        bodies.check_form_type(kind, content_type, media_types)
        # Werkzeug streams the body; files past 500 KiB spool to disk.
        items: list[tuple[str, str | File]] = list(request.form.items(multi=True))
        items.extend(
            (name, File(f.stream, f.filename, f.mimetype or None))
            for name, f in request.files.items(multi=True)
        )
        return bodies.decode_form(items, body_type, required, fields, schema)
    raw = request.get_data(cache=True)
    return bodies.decode_body(
        raw, content_type, kind, body_type, required, schema, media_types
    )


def read_media_body(
    request: Request,
    media: Sequence[bodies.BodyMedia],
    required: bool,
    validate_schemas: bool = True,
) -> Any:
    """A body of several media types, read as the one its Content-Type is (a 415 for
    none of them)."""
    chosen = bodies.choose_media(media, request.headers.get("Content-Type", ""))
    return read_body(
        request,
        chosen.kind,
        chosen.body_type,
        required,
        chosen.schema if validate_schemas else "",
        (chosen.media_type,),
        chosen.fields,
    )


def authorize(
    request: Request,
    handlers: BaseHandlers,
    schemes: Mapping[str, tuple[str, str]],
    requirements: Iterable[tuple[str, ...]],
) -> Coroutine[Any, Any, Auth]:
    """The operation's security alternatives checked against the request (awaited)."""
    # Headers read from the environ, as `request.headers` reads them (without making
    # it); query and cookies are parsed on first use only: most schemes read a header.
    source = core.CredentialSource(
        partial(_header, request.environ),
        lambda name: request.args.get(name),
        lambda name: request.cookies.get(name),
    )
    return core.authorize(source, handlers, schemes, requirements)


def _header(environ: Mapping[str, Any], name: str) -> str | None:
    """A request header by name, from its WSGI environ key (werkzeug's mapping)."""
    key = name.upper().replace("-", "_")
    if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        key = f"HTTP_{key}"
    value: str | None = environ.get(key)
    return value


@cache
def _param_reader(
    annotation: Any, constraints: tuple[tuple[str, Any], ...], delimiter: str | None
) -> Callable[[Any], Any]:
    # As FastAPI's fields are: the text read by the spec's rules, then the constraints;
    # the adapter's validator, called as its `validate_python` calls it.
    adapter = TypeAdapter(
        Annotated[annotation, WireText(delimiter), Field(**dict(constraints))]
    )
    read: Callable[[Any], Any] = adapter.validator.validate_python
    return read


class Params:
    """Parameters of one request, converted and validated like FastAPI does; every
    problem is collected and reported at once (400)."""

    def __init__(self, request: Request, path: Mapping[str, str]) -> None:
        self._request = request
        self._path = path
        self._errors: list[dict[str, Any]] = []

    def _raw(self, location: str, name: str, many: bool) -> Any:
        if location == "path":
            return self._path.get(name)
        if location == "query":
            values = self._request.args.getlist(name)
        elif location == "header":
            values = self._request.headers.getlist(name)
        else:
            cookie = self._request.cookies.get(name)
            values = [] if cookie is None else [cookie]
        if many:
            return values or None
        return values[0] if values else None

    def get(
        self,
        location: str,
        name: str,
        annotation: Any,
        *,
        required: bool,
        default: Any = None,
        many: bool = False,
        delimiter: str | None = None,
        constraints: Mapping[str, Any] | None = None,
    ) -> Any:
        raw = self._raw(location, name, many)
        if raw is None:
            if required:
                self._errors.append({"loc": [location, name], "msg": "Field required"})
            return default
        try:
            fixed = tuple(sorted(constraints.items())) if constraints else ()
            return _param_reader(annotation, fixed, delimiter)(raw)
        except ValidationError as exc:
            for error in json.loads(exc.json(include_url=False, include_input=False)):
                self._errors.append(
                    {"loc": [location, name], "msg": error.get("msg", "")}
                )
            return None

    def check(self) -> None:
        if self._errors:
            raise HTTPProblem(400, "Bad Request", "invalid request", self._errors)
