"""An app that answers 201 to any POST /imports, whatever its body: the fuzzer must still
find the bodies it should have refused (proof that `generator.fuzz_hooks` drops only the
failures whose body is valid as sent)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def _create(request: Request) -> JSONResponse:
    await request.body()
    return JSONResponse({"id": "i1"}, status_code=201)


def app() -> Starlette:
    return Starlette(routes=[Route("/imports", _create, methods=["POST"])])
