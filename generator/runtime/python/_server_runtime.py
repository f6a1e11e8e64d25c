"""FastAPI/Starlette adapters over the framework-free server core."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from . import _server_core as core
from ._handlers_runtime import Auth, BaseHandlers, ResponseVariant
from ._server_core import HTTPProblem

__all__ = ["HTTPProblem", "authorize", "error_response", "read_body", "render"]


def _response(encoded: core.Encoded) -> Response:
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
    handlers: BaseHandlers, request: Request, exc: HTTPProblem
) -> Response:
    """The declared response for a server-side error, or a JSON problem body."""
    operation_id = getattr(request.scope.get("route"), "operation_id", None)
    return _response(await core.encode_error(handlers, operation_id, exc))


async def read_body(
    request: Request, kind: str, body_type: Any, required: bool, schema: str = ""
) -> Any:
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    return core.decode_body(raw, content_type, kind, body_type, required, schema)


async def authorize(
    request: Request,
    handlers: BaseHandlers,
    schemes: Mapping[str, tuple[str, str]],
    requirements: Iterable[tuple[str, ...]],
) -> Auth:
    source = core.CredentialSource(
        header=request.headers.get,
        query=request.query_params.get,
        cookie=request.cookies.get,
    )
    return await core.authorize(source, handlers, schemes, requirements)
