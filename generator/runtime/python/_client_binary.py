"""Binary bodies for the generated clients: what an upload may be (`Upload`,
`AsyncUpload`: bytes, a binary file object or an iterator of chunks, streamed by httpx)
and streamed downloads (`ByteStream`, `AsyncByteStream`), read as the bytes arrive and
never buffered. A client's `stream_<operation>` method returns one; its plain method
reads the bytes whole."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Self

import httpx

from ._binary import AsyncUpload, Upload
from ._client_request import Call
from ._client_runtime import AsyncTransport, Declared, Transport, _declared_for, parse

__all__ = ["AsyncByteStream", "AsyncUpload", "ByteStream", "Upload"]


class _ByteStream:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response's headers (Content-Disposition, Content-Length, ...)."""
        return self.response.headers

    @property
    def content_type(self) -> str | None:
        """The media type the server sent (the concrete one, for a wildcard)."""
        found: str | None = self.response.headers.get("content-type")
        return found


class ByteStream(_ByteStream):
    """A binary response, read as it arrives: `iter_bytes()` yields the chunks. Use it
    as a context manager (or read it to the end) to release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.response.close()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        try:
            yield from self.response.iter_bytes(chunk_size)
        finally:
            self.close()


class AsyncByteStream(_ByteStream):
    """A binary response for the async client: `aiter_bytes()`, `async with`."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.response.aclose()

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        finally:
            await self.aclose()


def _success(response: httpx.Response, declared: Sequence[Declared]) -> bool:
    entry = _declared_for(response, declared)
    return entry is not None and entry.error is None


def open_download(
    transport: Transport, call: Call, declared: Sequence[Declared]
) -> ByteStream:
    """Send `call`: a success response as a `ByteStream`, unread; an error response read
    and raised as its declared error."""
    response = transport.send(call, stream=True)
    if _success(response, declared):
        return ByteStream(response)
    try:
        response.read()
    finally:
        response.close()
    parse(response, declared)  # raises: an error status
    raise AssertionError("unreachable")


async def aopen_download(
    transport: AsyncTransport, call: Call, declared: Sequence[Declared]
) -> AsyncByteStream:
    """`open_download` for the async client."""
    response = await transport.send(call, stream=True)
    if _success(response, declared):
        return AsyncByteStream(response)
    try:
        await response.aread()
    finally:
        await response.aclose()
    parse(response, declared)
    raise AssertionError("unreachable")
