"""generator/runtime/python/_streams.py as code: the SSE wire format, JSON lines, keep-alive
comments, closing the handler's iterator, and the `Last-Event-ID` a handler reads."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.datastructures import Headers
from werkzeug.datastructures import Headers as WerkzeugHeaders

from generator.runtime.python._streams import Event, encode_stream, last_event_id, sse_frame


def collect(stream: AsyncIterator[bytes]) -> bytes:
    async def run() -> bytes:
        return b"".join([chunk async for chunk in stream])

    return asyncio.run(run())


async def items(*values: Any, pause: float = 0.0) -> AsyncIterator[Any]:
    for value in values:
        await asyncio.sleep(pause)
        yield value


def test_an_event_with_every_field_and_lines_in_its_data() -> None:
    frame = sse_frame("one\r\ntwo", Event(data="x", event="up\ndate", id="7", retry=1500))
    assert frame == b"event: up date\nid: 7\nretry: 1500\ndata: one\ndata: two\n\n"
    assert sse_frame("{}") == b"data: {}\n\n"


def test_events_and_plain_items_are_framed() -> None:
    stream = encode_stream(items({"a": 1}, Event({"b": 2}, event="e")), "events", json.dumps)
    assert collect(stream) == b'data: {"a": 1}\n\nevent: e\ndata: {"b": 2}\n\n'


def test_json_lines_are_one_item_per_line() -> None:
    stream = encode_stream(items({"a": 1}, {"b": 2}), "lines", json.dumps)
    assert collect(stream) == b'{"a": 1}\n{"b": 2}\n'


def test_a_silent_handler_gets_keep_alive_comments() -> None:
    stream = encode_stream(items("x", "y", pause=0.2), "events", str, keep_alive=0.05)
    text = collect(stream).decode()
    assert text.count(": keep-alive\n\n") >= 2
    assert text.replace(": keep-alive\n\n", "") == "data: x\n\ndata: y\n\n"


def test_closing_the_stream_closes_the_handler_iterator() -> None:
    closed: list[bool] = []

    async def endless() -> AsyncIterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
                await asyncio.sleep(0.01)
        finally:
            closed.append(True)

    async def run() -> bytes:
        stream = encode_stream(endless(), "lines", str)
        first = await anext(stream)
        await stream.aclose()
        return first

    assert asyncio.run(run()) == b"0\n"
    assert closed == [True]


def test_the_last_event_id_a_resuming_client_sent() -> None:
    assert last_event_id(Headers({"last-event-id": "41"})) == "41"
    assert last_event_id(WerkzeugHeaders({"Last-Event-ID": "41"})) == "41"
    assert last_event_id(Headers({"Last-Event-ID": ""})) is None  # an empty one: none
    assert last_event_id(WerkzeugHeaders()) is None
