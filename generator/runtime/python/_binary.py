"""Binary bodies (`application/octet-stream`, `application/pdf`, `image/*`, ...) on
both sides, as bytes or as streams: what a handler may return (`BinaryBody`) and how
servers send it without buffering, the media type a wildcard declaration is answered
with, and what the clients may upload (`Upload`, `AsyncUpload`). The clients' streamed
downloads are in `_client_binary`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterable, Iterable
from typing import IO

from ._media import base as _base

OCTET_STREAM = "application/octet-stream"
CHUNK = 65536  # bytes read from a file object at a time

# A binary response body: bytes (sent with a Content-Length), a binary file object
# (read in chunks off the event loop) or an async iterable of byte chunks (sent as each
# comes). The server owns a stream once returned: it closes it when done or when the
# client goes away.
BinaryBody = bytes | IO[bytes] | AsyncIterable[bytes]
# What the clients send as a binary request body; httpx streams all but bytes.
Upload = bytes | IO[bytes] | Iterable[bytes]
AsyncUpload = bytes | IO[bytes] | AsyncIterable[bytes]


def is_range(media_type: str) -> bool:
    """A wildcard (`image/*`, `*/*`): not a Content-Type a body can be sent with."""
    return _base(media_type).endswith("*")


def within(declared: str, sent: str) -> bool:
    """Whether media type `sent` is `declared` or in its range."""
    want, base = _base(declared), _base(sent)
    if want in (base, "*", "*/*"):
        return True
    return want.endswith("/*") and base.startswith(want[:-1])


def response_media_type(declared: str | None, given: str | None) -> str:
    """The Content-Type of a binary response: the handler's `content_type` (within the
    declared one), else the declared type; a wildcard declaration needs one."""
    if not given:
        if declared is None or is_range(declared):
            raise ValueError(f"a {declared} response needs its concrete content_type")
        return declared
    if is_range(given) or (declared is not None and not within(declared, given)):
        raise ValueError(f"content_type {given} is not within the declared {declared}")
    return given


def length(body: IO[bytes] | AsyncIterable[bytes]) -> int | None:
    """The bytes left in a seekable file object (its Content-Length), else None."""
    if isinstance(body, AsyncIterable) or not body.seekable():
        return None
    try:
        here = body.tell()
        end = body.seek(0, 2)
        body.seek(here)
    except OSError:
        return None
    return end - here


async def chunks(body: IO[bytes] | AsyncIterable[bytes]) -> AsyncGenerator[bytes, None]:
    """The chunks of a streamed binary body as they come, closing the body at the end
    (the framework closes this generator when the client goes away)."""
    try:
        if isinstance(body, AsyncIterable):
            async for chunk in body:
                if chunk:
                    yield bytes(chunk)
            return
        while chunk := await asyncio.to_thread(body.read, CHUNK):
            yield chunk
    finally:
        if isinstance(body, AsyncIterable):
            close = getattr(body, "aclose", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    await close()
        else:
            body.close()


def is_replayable(body: object) -> bool:
    """Whether a binary request body can be sent again for a retry: bytes can, a
    stream is read once."""
    return body is None or isinstance(body, bytes | bytearray | memoryview)


async def _read_off_loop(body: IO[bytes]) -> AsyncGenerator[bytes, None]:
    while chunk := await asyncio.to_thread(body.read, CHUNK):
        yield chunk


def upload_content(
    body: bytes | IO[bytes] | Iterable[bytes] | AsyncIterable[bytes], asynchronous: bool
) -> bytes | Iterable[bytes] | AsyncIterable[bytes]:
    """A binary request body as httpx's `content`: bytes as they are, streams as they
    come (httpx reads a file object in chunks; for the async client, off the loop)."""
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body)
    if asynchronous and hasattr(body, "read") and not isinstance(body, AsyncIterable):
        return _read_off_loop(body)  # type: ignore[arg-type]  # a binary file object
    return body
