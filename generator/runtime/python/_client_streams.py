"""Streamed responses for the generated clients: Server-Sent Events and JSON lines, read
as they arrive and typed item by item, and SSE streams resumed after a dropped
connection.

Resuming is the SSE spec's reconnect: when the connection fails before the stream ends,
wait the reconnection time (the last `retry:` the server sent, else
`RetryPolicy.reconnect_delay`), send the request again with `Last-Event-ID` (the last
event id seen) and go on with the new response; a 204 answer ends the stream. Only
idempotent requests are resumed (`EventSource` only ever sends GET): sending a POST
again could start, and bill, the work again, so a POST stream that drops raises the
transport error, as the OpenAI and Anthropic SDKs do. A stream that ended (cleanly or
with `[DONE]`) is never resumed, nor are JSON lines, which have no event ids.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Generic, TypeVar

import httpx
from httpx_sse import EventSource, ServerSentEvent

from ._client_request import Call, adapter
from ._client_runtime import (
    AsyncTransport,
    Declared,
    ResponseParseError,
    RetryPolicy,
    Transport,
    _chosen,
    _declared_for,
    parse,
)
from ._streams import DONE, Event

T = TypeVar("T")


def _stream_of(
    response: httpx.Response, declared: Sequence[Declared]
) -> tuple[str, Any] | None:
    """(kind, item type) when the response is a declared success stream."""
    entry = _declared_for(response, declared)
    if entry is None or entry.error is not None or not entry.contents:
        return None
    _, kind, annotation = _chosen(response, entry)
    return (kind, annotation) if kind in ("events", "lines") else None


def _item(kind: str, annotation: Any, data: str) -> Any:
    if annotation is str:
        return data
    return adapter(annotation).validate_json(data)


def _resent(call: Call, last_event_id: str) -> Call:
    """`call` again, saying which event came last (nothing if the server sent no id)."""
    headers = {k: v for k, v in call.headers.items() if k.lower() != "last-event-id"}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    return dataclasses.replace(call, headers=headers)


class _Stream(Generic[T]):
    """What the sync and async streams share: the response, how items are parsed, and
    the state a reconnect needs (`call` is None when the stream is not resumed)."""

    def __init__(
        self,
        response: httpx.Response,
        kind: str,
        annotation: Any,
        call: Call | None = None,
        declared: Sequence[Declared] = (),
        policy: RetryPolicy | None = None,
    ) -> None:
        self.response = response
        self._kind = kind
        self._annotation = annotation
        self._call = call
        self._declared = declared
        self._policy = policy or RetryPolicy(max_reconnects=0)
        # The SSE spec's last event ID: kept across reconnects, sent back on each.
        self.last_event_id = ""
        self._retry_ms: int | None = None
        self._drops = 0  # connections lost in a row without an event between them
        self._closed = False  # by the user: a read it interrupts is not resumed

    def _parse(self, data: str) -> T:
        try:
            item: T = _item(self._kind, self._annotation, data)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise ResponseParseError(self.response, data) from exc
        return item

    def _event(self, sse: ServerSentEvent, ids_seen: bool) -> Event[T] | None:
        """The event `sse` dispatches, or None for a frame of fields only (an `id:` or
        `retry:` without data, which typed streams cannot parse)."""
        # httpx-sse repeats the connection's last id on each event: an empty one after
        # a non-empty one is the server resetting it with an empty `id:`.
        if sse.id or ids_seen:
            self.last_event_id = sse.id
        if sse.retry is not None and sse.retry >= 0:
            self._retry_ms = sse.retry
        if not sse.data and self._annotation is not str:
            return None
        self._drops = 0
        return Event(self._parse(sse.data), sse.event, sse.id or None, sse.retry)

    def _done(self, sse: ServerSentEvent) -> bool:
        return sse.data == DONE and self._annotation is not str  # OpenAI-style end

    def _resume_wait(self, error: httpx.TransportError) -> float:
        """Seconds to wait before resuming after `error`; raises it when the stream is
        not resumed (not idempotent, closed by the user, too many drops in a row,
        `retry:` too long)."""
        self._drops += 1
        if self._call is None or self._closed:
            raise error
        if self._drops > self._policy.max_reconnects:
            raise error
        wait = (
            self._policy.reconnect_delay
            if self._retry_ms is None
            else self._retry_ms / 1000
        )
        if wait > self._policy.max_retry_after:
            raise error
        return wait

    def _resumed(self, response: httpx.Response) -> bool:
        """Whether `response` goes on with the stream (then it is the one read)."""
        found = _stream_of(response, self._declared)
        if found is None or found[0] != "events":
            return False
        self.response = response
        return True

    def _ended(self, response: httpx.Response, error: httpx.TransportError) -> None:
        """After a read answer that does not go on with the stream: a 204 ends it (the
        SSE spec's "stop reconnecting"), a declared error raises, anything else raises
        the drop."""
        if response.status_code == 204:
            return
        parse(response, self._declared)
        raise error

    def _again(self) -> Call:
        assert self._call is not None  # _resume_wait raised otherwise
        return _resent(self._call, self.last_event_id)


class Stream(_Stream[T]):
    """A streamed response (Server-Sent Events or JSON lines), read as it arrives:
    iterate it for the typed items, or `events()` for each item with its SSE fields.
    Use it as a context manager (or read it to the end) to release the connection.
    An idempotent SSE stream is resumed if the connection drops (see the module)."""

    def __init__(
        self,
        response: httpx.Response,
        kind: str,
        annotation: Any,
        transport: Transport | None = None,
        call: Call | None = None,
        declared: Sequence[Declared] = (),
    ) -> None:
        policy = transport.retry if transport is not None else None
        super().__init__(response, kind, annotation, call, declared, policy)
        self._transport = transport

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        self.response.close()

    def __iter__(self) -> Iterator[T]:
        for event in self.events():
            yield event.data

    def events(self) -> Iterator[Event[T]]:
        try:
            if self._kind != "events":
                for line in self.response.iter_lines():
                    if line.strip():
                        yield Event(self._parse(line))
                return
            while True:
                try:
                    ids_seen = False
                    for sse in EventSource(self.response).iter_sse():
                        if self._done(sse):
                            return
                        event = self._event(sse, ids_seen)
                        ids_seen = ids_seen or bool(sse.id)
                        if event is not None:
                            yield event
                    return
                except httpx.TransportError as error:
                    if not self._reconnect(error):
                        return
        finally:
            self.close()

    def _reconnect(self, error: httpx.TransportError) -> bool:
        wait = self._resume_wait(error)
        self.response.close()
        time.sleep(wait)
        assert self._transport is not None  # only set with `call`
        response = self._transport.send(self._again(), stream=True)
        if self._resumed(response):
            return True
        response.read()
        response.close()
        self._ended(response, error)
        return False


class AsyncStream(_Stream[T]):
    """A streamed response for the async client: `async for` / `events()`, `async
    with`. An idempotent SSE stream is resumed if the connection drops."""

    def __init__(
        self,
        response: httpx.Response,
        kind: str,
        annotation: Any,
        transport: AsyncTransport | None = None,
        call: Call | None = None,
        declared: Sequence[Declared] = (),
    ) -> None:
        policy = transport.retry if transport is not None else None
        super().__init__(response, kind, annotation, call, declared, policy)
        self._transport = transport

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        await self.response.aclose()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for event in self.events():
            yield event.data

    async def events(self) -> AsyncIterator[Event[T]]:
        try:
            if self._kind != "events":
                async for line in self.response.aiter_lines():
                    if line.strip():
                        yield Event(self._parse(line))
                return
            while True:
                try:
                    ids_seen = False
                    async for sse in EventSource(self.response).aiter_sse():
                        if self._done(sse):
                            return
                        event = self._event(sse, ids_seen)
                        ids_seen = ids_seen or bool(sse.id)
                        if event is not None:
                            yield event
                    return
                except httpx.TransportError as error:
                    if not await self._reconnect(error):
                        return
        finally:
            await self.aclose()

    async def _reconnect(self, error: httpx.TransportError) -> bool:
        wait = self._resume_wait(error)
        await self.response.aclose()
        await asyncio.sleep(wait)
        assert self._transport is not None  # only set with `call`
        response = await self._transport.send(self._again(), stream=True)
        if self._resumed(response):
            return True
        await response.aread()
        await response.aclose()
        self._ended(response, error)
        return False


def _resumable(kind: str, call: Call) -> Call | None:
    return call if kind == "events" and call.idempotent else None


def open_stream(transport: Transport, call: Call, declared: Sequence[Declared]) -> Any:
    """Send `call`: a declared success stream as a `Stream`; any other response read
    and parsed (an error response raises its declared error)."""
    response = transport.send(call, stream=True)
    found = _stream_of(response, declared)
    if found is not None:
        kind, annotation = found
        return Stream(
            response, kind, annotation, transport, _resumable(kind, call), declared
        )
    response.read()
    response.close()
    return parse(response, declared)


async def aopen_stream(
    transport: AsyncTransport, call: Call, declared: Sequence[Declared]
) -> Any:
    """`open_stream` for the async client."""
    response = await transport.send(call, stream=True)
    found = _stream_of(response, declared)
    if found is not None:
        kind, annotation = found
        return AsyncStream(
            response, kind, annotation, transport, _resumable(kind, call), declared
        )
    await response.aread()
    await response.aclose()
    return parse(response, declared)
