"""Streamed responses, typed item by item: Server-Sent Events (`text/event-stream`, each
event's `data` one item) and JSON lines (`application/jsonl`, `application/x-ndjson`,
`application/json-seq`). `Event` carries an item with its SSE fields; servers encode a
handler's async iterable here (and read a resuming client's `Last-Event-ID`), clients
parse in `_client_streams`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

T = TypeVar("T")

# Seconds without an event after which a server sends an SSE comment, so that proxies
# and clients with read timeouts keep the connection.
KEEP_ALIVE = 15.0
# What OpenAI-style streams send as the last event's data; not an item.
DONE = "[DONE]"


@dataclass(frozen=True)
class Event(Generic[T]):
    """One item of a stream with its Server-Sent Event fields: `event` (the type;
    clients see "message" for an unnamed one), `id` (sent back as `Last-Event-ID` on
    reconnect) and `retry` (milliseconds to wait before reconnecting)."""

    data: T
    event: str | None = None
    id: str | None = None
    retry: int | None = None


class Headers(Protocol):
    """Request headers, looked up case-insensitively (Starlette's, Werkzeug's)."""

    def get(self, key: str, /) -> str | None: ...


def last_event_id(headers: Headers) -> str | None:
    """The `Last-Event-ID` a client resuming an SSE stream sent: the id of the last
    event it got (None when absent or empty), for a handler to go on after it."""
    return headers.get("last-event-id") or None


def _line(value: str) -> str:
    # A field value cannot hold a line break: it would end the field.
    return value.replace("\r", " ").replace("\n", " ")


def sse_frame(data: str, event: Event[Any] | None = None) -> bytes:
    """One event on the wire: its fields, one `data:` line per line of `data`, a blank
    line."""
    lines = []
    if event is not None and event.event is not None:
        lines.append(f"event: {_line(event.event)}")
    if event is not None and event.id is not None:
        lines.append(f"id: {_line(event.id)}")
    if event is not None and event.retry is not None:
        lines.append(f"retry: {int(event.retry)}")
    lines.extend(f"data: {part}" for part in data.replace("\r\n", "\n").split("\n"))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


async def encode_stream(
    items: AsyncIterable[Any],
    kind: str,
    dump: Callable[[Any], str],
    keep_alive: float | None = None,
) -> AsyncGenerator[bytes, None]:
    """The bytes of a streamed body, one chunk per item (`dump` spells an item's data),
    with SSE keep-alive comments while the handler is silent. The handler's iterator is
    closed when the stream ends or the client goes away (the framework closes this
    one)."""
    iterator = aiter(items)
    pending: asyncio.Future[Any] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            quiet = KEEP_ALIVE if keep_alive is None else keep_alive
            timeout = quiet if kind == "events" else None
            done, _ = await asyncio.wait({pending}, timeout=timeout)
            if not done:
                yield b": keep-alive\n\n"
                continue
            step, pending = pending, None
            try:
                item = step.result()
            except StopAsyncIteration:
                return
            event = item if isinstance(item, Event) else None
            data = dump(item.data if event is not None else item)
            if kind == "events":
                yield sse_frame(data, event)
            else:
                yield (data + "\n").encode("utf-8")
    finally:
        if pending is not None:
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        close = getattr(iterator, "aclose", None)
        if close is not None:
            await close()
