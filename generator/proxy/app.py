"""The ASGI app: forward each request to the upstream with httpx, stream the answer back as
it came, and check both on the way.

The proxy observes and never changes traffic: the request goes out with its method, path,
query and headers (hop-by-hop ones excepted) and its body, the response comes back with its
status, headers and bytes (still compressed, if it was). Only a JSON response body with a
schema is kept, as it streams by, for the check once it has passed; event streams and binary
bodies are never held back.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from typing import Any

import httpx

from generator.proxy.checks import Checker, Problem, Request
from generator.proxy.contract import Contract, Operation
from generator.proxy.match import Router
from generator.proxy.params import header_values
from generator.proxy.report import NO_OPERATION, Reporter, Violation
from generator.proxy.schemas import SchemaChecker

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

# RFC 9110 7.6.1: headers for one connection, never forwarded (nor those `Connection` names).
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Request headers httpx sets itself (from the URL and the body it sends).
SET_BY_CLIENT = frozenset({"host", "content-length"})
# A JSON body larger than this passes unchecked (it still passes).
MAX_CHECKED_BODY = 32 * 1024 * 1024
TIMEOUT = httpx.Timeout(30.0, read=None)  # an event stream may be quiet for long


class ProxyApp:
    def __init__(self, contract: Contract, upstream: str, reporter: Reporter) -> None:
        self.upstream = httpx.URL(upstream)
        self.reporter = reporter
        self.router = Router(contract.operations, contract.base_path)
        self.checker = Checker(SchemaChecker(contract.document), contract.document)
        self.client = httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, trust_env=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            try:
                await self._exchange(scope, receive, send)
            finally:
                self.reporter.finished()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _exchange(self, scope: Scope, receive: Receive, send: Send) -> None:
        method: str = scope["method"]
        raw_path = bytes(scope.get("raw_path") or scope["path"].encode("utf-8"))
        path = raw_path.decode("latin-1")
        query: bytes = scope.get("query_string", b"")
        headers = [(bytes(k), bytes(v)) for k, v in scope["headers"]]
        body = await _read_body(receive)
        exchange = _Exchange(self.reporter, method, path)

        found = self.router.match(method, path)
        if found is None or found.operation is None:
            exchange.no_operation(found.template if found is not None else None)
        else:
            exchange.operation = found.operation
            request = Request(method, found.values, query, header_values(headers), body)
            exchange.report(None, self.checker.request(found.operation, request))

        upstream_request = self._upstream_request(method, raw_path, query, headers, body)
        try:
            response = await self.client.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            self.reporter.upstream_error(method, path, _reason(exc, upstream_request.url))
            await _bad_gateway(send)
            return
        try:
            await _until_disconnected(self._respond(exchange, response, send), receive)
        finally:
            await response.aclose()

    def _upstream_request(
        self,
        method: str,
        raw_path: bytes,
        query: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> httpx.Request:
        target = self.upstream.raw_path.split(b"?", 1)[0].rstrip(b"/") + raw_path
        url = self.upstream.copy_with(raw_path=target + (b"?" + query if query else b""))
        forwarded = [
            (k, v)
            for k, v in _end_to_end(headers)
            if k.lower().decode("latin-1") not in SET_BY_CLIENT
        ]
        request = self.client.build_request(method, url, headers=forwarded, content=body)
        sent = {k.lower() for k, _ in forwarded}
        for name in list(request.headers):  # httpx's defaults the caller did not send
            if name.encode("latin-1") not in sent and name not in SET_BY_CLIENT:
                del request.headers[name]
        return request

    async def _respond(self, exchange: _Exchange, response: httpx.Response, send: Send) -> None:
        headers = list(_end_to_end(response.headers.raw))
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        check = exchange.operation is not None and exchange.method != "HEAD"
        by_name = header_values(headers)
        declared = None
        if exchange.operation is not None:
            problems, declared = self.checker.response_head(
                exchange.operation, response.status_code, by_name
            )
            exchange.report(response.status_code, problems)
        kept: bytearray | None = None
        if check and declared is not None and self.checker.collects_body(declared, by_name):
            kept = bytearray()
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if kept is not None:
                kept += chunk
                if len(kept) > MAX_CHECKED_BODY:
                    kept = None
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if check and declared is not None and exchange.operation is not None:
            body = _decoded(bytes(kept), by_name) if kept is not None else None
            problems = self.checker.response_body(
                declared, response.status_code, by_name, body, size
            )
            exchange.report(response.status_code, problems)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _until_disconnected(respond: Coroutine[Any, Any, None], receive: Receive) -> None:
    """Run `respond`, and stop it when the caller goes away first (an event stream it no
    longer reads, say); the body read, `receive` only ever says `http.disconnect` then."""
    task = asyncio.ensure_future(respond)
    watch = asyncio.ensure_future(receive())
    try:
        await asyncio.wait({task, watch}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    finally:
        watch.cancel()


class _Exchange:
    """One request and its response, as the reporter hears of them."""

    def __init__(self, reporter: Reporter, method: str, path: str) -> None:
        self.reporter = reporter
        self.method = method
        self.path = path
        self.operation: Operation | None = None

    @property
    def case(self) -> str:
        op = self.operation
        return NO_OPERATION if op is None else f"{op.operation_id} ({op.label})"

    def no_operation(self, template: str | None) -> None:
        detail = (
            f"no operation: {self.method} is not declared for {template}"
            if template is not None
            else "no operation: no path of the spec matches"
        )
        self.reporter.violation(
            NO_OPERATION, Violation(self.method, self.path, None, "request", detail, None)
        )

    def report(self, status: int | None, problems: list[Problem]) -> None:
        assert self.operation is not None
        self.reporter.seen(self.case)
        for problem in problems:
            violation = Violation(
                self.method,
                self.path,
                status,
                problem.part,
                problem.detail,
                self.operation.operation_id,
            )
            self.reporter.violation(self.case, violation)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _end_to_end(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    named = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"connection"
        for token in value.split(b",")
    }
    return [
        (name, value)
        for name, value in headers
        if name.lower().decode("latin-1") not in HOP_BY_HOP and name.lower() not in named
    ]


def _decoded(body: bytes, headers: dict[str, list[str]]) -> bytes | None:
    """The body without its Content-Encoding (gzip, deflate); None for another one."""
    encodings = [
        e.strip().lower() for v in headers.get("content-encoding", ()) for e in v.split(",")
    ]
    encodings = [e for e in encodings if e and e != "identity"]
    for encoding in reversed(encodings):
        if encoding not in ("gzip", "x-gzip", "deflate"):
            return None
        try:
            body = zlib.decompress(body, wbits=47)  # gzip or zlib, told by the header
        except zlib.error:
            return None
    return body


def _reason(exc: httpx.HTTPError, url: httpx.URL) -> str:
    text = str(exc) or type(exc).__name__
    return f"cannot reach {url.scheme}://{url.netloc.decode('ascii')}: {text}"


async def _bad_gateway(send: Send) -> None:
    body = b"specgen proxy: the upstream server cannot be reached\n"
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 502, "headers": headers})
    await send({"type": "http.response.body", "body": body})
