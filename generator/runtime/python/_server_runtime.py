"""FastAPI/Starlette adapters over the framework-free server core."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.routing import PARAM_REGEX, BaseRoute, Match, Route

from . import _server_bodies as bodies
from . import _server_core as core
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
    "WireText",
    "allowed_methods",
    "authorize",
    "error_response",
    "last_event_id",
    "order_routes",
    "read_body",
    "read_media_body",
    "render",
    "route_prefix",
]


def _response(encoded: core.Encoded) -> Response:
    if encoded.stream is not None:
        # Starlette sends each chunk as it comes and closes the stream when the client
        # goes away.
        return StreamingResponse(
            encoded.stream,
            status_code=encoded.status,
            media_type=encoded.media_type,
            headers=encoded.headers,
        )
    return Response(
        encoded.content,
        status_code=encoded.status,
        media_type=encoded.media_type,
        headers=encoded.headers,
    )


def render(result: ResponseVariant) -> Response:
    """Turn a handler's declared response into an HTTP response."""
    return _response(core.encode(result))


async def error_response(
    handlers: BaseHandlers,
    request: Request,
    exc: HTTPProblem,
    declared: ErrorTable | None = None,
) -> Response:
    """The response to an error the server found itself (see `core.encode_error`)."""
    operation_id = getattr(request.scope.get("route"), "operation_id", None)
    if exc.status == 405:  # the method matched no operation, whichever route said so
        operation_id = None
    return _response(await core.encode_error(handlers, operation_id, exc, declared))


def allowed_methods(request: Request) -> list[str]:
    """Every method the app serves at the path that matched the request: the first
    route's whose path matches (see `order_routes`), each operation being a route of its
    own (Starlette's 405 names only one)."""
    methods: set[str] = set()
    matched: str | None = None
    for route in request.app.router.routes:
        path = getattr(route, "path", None)
        if matched is not None and path != matched:
            continue
        match, _ = route.matches({**request.scope, "method": ""})
        if match is not Match.NONE:
            matched = path
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


class _MethodNotAllowed(Route):
    """The last route of a path: any method its operations lack answers 405."""

    def __init__(self, path: str) -> None:
        super().__init__(path, self._answer, include_in_schema=False)
        self.methods = None  # Starlette's default is GET; this route takes them all

    @staticmethod
    async def _answer(request: Request) -> Response:
        raise HTTPException(405)


def order_routes(app: FastAPI) -> None:
    """Order the app's routes as OpenAPI matches paths (`core.path_precedence`: a
    concrete path before a templated one, whatever order they were added in) and end
    each path with a route of any method that answers 405: a path that matches but
    lacks the method must not fall through to a templated sibling's route."""
    routes = [r for r in app.router.routes if not isinstance(r, _MethodNotAllowed)]
    paths = sorted({r.path for r in routes if isinstance(r, APIRoute)})
    routes.extend(_MethodNotAllowed(path) for path in paths)
    for route in routes:
        if isinstance(route, Route) and "%" in route.path:
            _match_decoded(route)

    def key(route: BaseRoute) -> tuple[Any, ...]:
        path = getattr(route, "path", "")
        return (*core.path_precedence(path), isinstance(route, _MethodNotAllowed))

    app.router.routes[:] = sorted(routes, key=key)


def _match_decoded(route: Route) -> None:
    """Match the route's literal text percent-decoded. A spec path is URL text
    (`/%7Bx%7D` is the segment `{x}`) and Starlette matches the decoded request path
    against the text as written; its syntax has no spelling of a literal brace, so the
    route keeps the path as written and only the regex it matches with is rebuilt (as
    `starlette.routing.compile_path` builds it)."""
    regex, end = "^", 0
    for found in PARAM_REGEX.finditer(route.path):
        name = found.group(1)
        regex += re.escape(unquote(route.path[end : found.start()]))
        regex += f"(?P<{name}>{route.param_convertors[name].regex})"
        end = found.end()
    route.path_regex = re.compile(regex + re.escape(unquote(route.path[end:])) + "$")


async def read_body(
    request: Request,
    kind: str,
    body_type: Any,
    required: bool,
    schema: str = "",
    media_types: Sequence[str] = (),
    fields: Sequence[FormField] = (),
) -> Any:
    content_type = request.headers.get("content-type", "")
    if kind in ("multipart", "form"):
        return await _read_form(
            request, kind, body_type, required, schema, fields, media_types
        )
    raw = await request.body()
    return bodies.decode_body(
        raw, content_type, kind, body_type, required, schema, media_types
    )


async def read_media_body(
    request: Request,
    media: Sequence[bodies.BodyMedia],
    required: bool,
    validate_schemas: bool = True,
) -> Any:
    """A body of several media types, read as the one its Content-Type is (a 415 for
    none of them)."""
    chosen = bodies.choose_media(media, request.headers.get("content-type", ""))
    return await read_body(
        request,
        chosen.kind,
        chosen.body_type,
        required,
        chosen.schema if validate_schemas else "",
        (chosen.media_type,),
        chosen.fields,
    )


async def _read_form(
    request: Request,
    kind: str,
    body_type: Any,
    required: bool,
    schema: str,
    fields: Sequence[FormField],
    media_types: Sequence[str],
) -> Any:
    bodies.check_form_type(kind, request.headers.get("content-type", ""), media_types)
    try:
        # python-multipart streams the body; files past 1 MiB spool to disk.
        form = await request.form()
    except HTTPException as exc:  # a malformed body
        raise HTTPProblem(400, "Bad Request", str(exc.detail)) from None
    items = [
        (
            name,
            File(value.file, value.filename, value.content_type)
            if isinstance(value, UploadFile)
            else value,
        )
        for name, value in form.multi_items()
    ]
    return bodies.decode_form(items, body_type, required, fields, schema)


async def authorize(
    request: Request,
    handlers: BaseHandlers,
    schemes: Mapping[str, tuple[str, str]],
    requirements: Iterable[tuple[str, ...]],
) -> Auth:
    # Query and cookies are parsed on first use only: most schemes read a header.
    source = core.CredentialSource(
        header=request.headers.get,
        query=lambda name: request.query_params.get(name),
        cookie=lambda name: request.cookies.get(name),
    )
    return await core.authorize(source, handlers, schemes, requirements)
