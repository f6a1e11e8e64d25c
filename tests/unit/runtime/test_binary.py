"""generator/runtime/python/_binary.py and _client_binary.py as code: binary responses
encoded as bytes or streams (media types, lengths, closing), uploads as httpx content, no
retry after a streamed upload, and streamed downloads over a mock transport."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import httpx
import pytest

from generator.runtime.python import _binary as b
from generator.runtime.python import _client_binary as rb
from generator.runtime.python import _client_runtime as rt
from generator.runtime.python import _server_core as core
from generator.runtime.python._handlers_runtime import ResponseVariant


class Image(ResponseVariant):
    status: ClassVar[int | None] = 200
    media_type: ClassVar[str | None] = "image/*"
    kind: ClassVar[str] = "binary"
    body_type: ClassVar[Any] = bytes
    _fields = ("body", "content_type")


class Blob(Image):
    media_type: ClassVar[str | None] = "application/octet-stream"
    content_type = None  # the default of a concrete declaration


def collect(stream: Any) -> bytes:
    async def run() -> bytes:
        return b"".join([chunk async for chunk in stream])

    return asyncio.run(run())


def test_media_types_of_binary_responses() -> None:
    assert b.response_media_type("application/pdf", None) == "application/pdf"
    assert b.response_media_type("image/*", "image/png") == "image/png"
    assert b.response_media_type("image/*", "image/svg+xml; charset=utf-8").startswith("image/")
    with pytest.raises(ValueError, match="concrete"):
        b.response_media_type("image/*", None)  # `image/*` is no Content-Type
    with pytest.raises(ValueError, match="not within"):
        b.response_media_type("image/*", "text/html")
    with pytest.raises(ValueError, match="not within"):
        b.response_media_type("image/*", "image/*")
    assert b.is_range("*/*") and not b.is_range("application/pdf")


def test_bytes_go_whole_and_a_wrong_type_is_the_servers_error() -> None:
    encoded = core.encode(Blob(body=b"abc"))
    assert (encoded.content, encoded.stream, encoded.media_type) == (
        b"abc",
        None,
        "application/octet-stream",
    )
    assert core.encode(Image(body=b"x", content_type="image/gif")).media_type == "image/gif"
    with pytest.raises(core.HTTPProblem) as raised:
        core.encode(Image(body=b"x", content_type="text/plain"))
    assert raised.value.status == 500


def test_a_file_is_streamed_with_its_length_and_closed() -> None:
    data = bytes(range(256)) * 600  # more than one chunk
    handle = io.BytesIO(data)
    handle.seek(10)
    encoded = core.encode(Blob(body=handle))
    assert encoded.headers["Content-Length"] == str(len(data) - 10)
    assert encoded.stream is not None and collect(encoded.stream) == data[10:]
    assert handle.closed


def test_an_async_iterable_is_streamed_without_a_length_and_closed() -> None:
    closed: list[bool] = []

    async def chunks() -> AsyncIterator[bytes]:
        try:
            yield b"a"
            yield b""  # nothing to send: skipped
            yield b"b"
        finally:
            closed.append(True)

    encoded = core.encode(Blob(body=chunks()))
    assert "Content-Length" not in encoded.headers and encoded.content == b""
    assert collect(encoded.stream) == b"ab"
    assert closed == [True]


def test_uploads_as_httpx_content() -> None:
    assert b.upload_content(bytearray(b"ab"), False) == b"ab"
    handle = io.BytesIO(b"file")
    assert b.upload_content(handle, False) is handle  # httpx reads it in chunks
    streamed = b.upload_content(io.BytesIO(b"file"), True)  # read off the event loop
    assert collect(streamed) == b"file"
    assert b.is_replayable(b"x") and not b.is_replayable(iter([b"x"]))


def _server(seen: list[bytes], statuses: Iterator[int]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.read())
        status = next(statuses)
        return httpx.Response(status, headers={"Retry-After": "0"}, content=b"chunk" * 3)

    return httpx.MockTransport(answer)


def _call(body: Any) -> rt.Call:
    return rt.Call(
        "PUT", "/blob", body_kind="binary", body=body, media_type="image/png", idempotent=True
    )


DECLARED = (rt.Declared(200, 200, None, (("image/*", "binary", bytes),)),)


def test_a_streamed_upload_is_not_sent_again_but_bytes_are() -> None:
    seen: list[bytes] = []
    http = httpx.Client(base_url="http://x", transport=_server(seen, iter([503, 200, 503])))
    transport = rt.Transport(http, rt.Credentials({}), rt.RetryPolicy(backoff=0))
    assert transport.send(_call(b"png")).status_code == 200  # retried
    assert transport.send(_call(iter([b"p", b"ng"]))).status_code == 503  # read once
    assert seen == [b"png", b"png", b"png"]


def test_a_download_is_a_byte_stream_and_an_error_raises() -> None:
    seen: list[bytes] = []
    http = httpx.Client(base_url="http://x", transport=_server(seen, iter([200, 404])))
    transport = rt.Transport(http, rt.Credentials({}), rt.NO_RETRY)
    with rb.open_download(transport, _call(b""), DECLARED) as stream:
        assert stream.status_code == 200
        assert b"".join(stream.iter_bytes(5)) == b"chunk" * 3
    with pytest.raises(rt.UnexpectedStatus):
        rb.open_download(transport, _call(b""), DECLARED)


def test_the_async_download() -> None:
    seen: list[bytes] = []

    async def run() -> bytes:
        transport_ = _server(seen, iter([200]))
        async with httpx.AsyncClient(base_url="http://x", transport=transport_) as http:
            transport = rt.AsyncTransport(http, rt.Credentials({}), rt.NO_RETRY)
            async with await rb.aopen_download(transport, _call(b"x"), DECLARED) as stream:
                return b"".join([chunk async for chunk in stream.aiter_bytes()])

    assert asyncio.run(run()) == b"chunk" * 3
