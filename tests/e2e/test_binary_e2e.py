"""Binary bodies end to end, over real sockets on 127.0.0.1: the generated httpx clients
(sync and async) against the generated FastAPI server (uvicorn) and Flask server
(Werkzeug's threaded server) of tests/corpus/binary.yaml.

Uploads go as bytes, a file object or an iterator of chunks, with the declared media type
or the one the caller names for `image/*` (the handler learns it); downloads come whole or
streamed: the server sends each chunk of the handler's async iterable as it is made (the
handler waits on the test between two chunks, and the client has the first already), with
no Content-Length, and the handler's iterator is closed; bytes and seekable files are sent
with their Content-Length, a wildcard response in the type the handler names, and a
declared Content-Disposition header travels.
"""

from __future__ import annotations

import asyncio
import importlib
import io
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from generator.fuzz import serve_in_thread
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "binary.yaml"
NAME = "binary_e2e"
FRAMEWORKS = ("fastapi", "flask")
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64  # not UTF-8: bytes must stay bytes
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("binary")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


class Probe:
    """What the test and the handlers tell each other across threads."""

    def __init__(self) -> None:
        self.gate = threading.Event()  # the test lets the blob's handler go on
        self.closed = threading.Event()  # the blob's chunks were closed
        self.images: dict[str, tuple[bytes, str | None]] = {}


def _handlers(pkg: dict[str, ModuleType], probe: Probe) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    class Binary(h.Handlers):  # type: ignore[misc, name-defined]
        async def upload_document(self, request: Any) -> Any:
            stored = models.Stored(
                id="doc", size=len(request.body), content_type=request.content_type
            )
            return h.UploadDocument201JsonResponse(body=stored)

        async def put_image(self, request: Any) -> Any:
            probe.images[request.name] = (request.body, request.content_type)
            stored = models.Stored(
                id=request.name, size=len(request.body), content_type=request.content_type
            )
            return h.PutImage200JsonResponse(body=stored)

        async def get_image(self, request: Any) -> Any:
            if request.name not in probe.images:
                return h.GetImage404Response()
            data, content_type = probe.images[request.name]
            return h.GetImage200BinaryResponse(body=data, content_type=content_type)

        async def download_blob(self, request: Any) -> Any:
            async def chunks() -> AsyncIterator[bytes]:
                try:
                    for n in range(request.chunks):
                        yield f"chunk {n};".encode()
                        if n == 0:  # the first chunk is out before the second is made
                            await asyncio.to_thread(probe.gate.wait, 10)
                finally:
                    probe.closed.set()

            return h.DownloadBlob200BinaryResponse(body=chunks())

        async def get_report(self, request: Any) -> Any:
            headers = h.GetReport200Headers(
                content_disposition=f'attachment; filename="{request.report_id}.pdf"'
            )
            return h.GetReport200BinaryResponse(body=io.BytesIO(PDF), headers=headers)

    return Binary()


@pytest.fixture(params=FRAMEWORKS)
def served(request: pytest.FixtureRequest, pkg: dict[str, ModuleType]) -> Iterator[Any]:
    probe = Probe()
    handlers = _handlers(pkg, probe)
    if request.param == "fastapi":
        with serve_in_thread(pkg["server"].create_app(handlers)) as url:
            yield url, probe
        return
    server = make_server("127.0.0.1", 0, pkg["flask_server"].create_app(handlers), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", probe
    finally:
        server.shutdown()


def test_uploads_as_bytes_files_and_iterators(pkg: dict[str, ModuleType], served: Any) -> None:
    url, _ = served
    with pkg["client"].Client(url) as client:
        stored = client.upload_document(PDF)
        assert (stored.size, stored.content_type) == (len(PDF), "application/pdf")
        assert client.upload_document(io.BytesIO(PDF)).size == len(PDF)
        octets = client.upload_document(b"x", content_type="application/octet-stream")
        assert octets.content_type == "application/octet-stream"  # one of the declared two
        parts = (PDF[i : i + 1000] for i in range(0, len(PDF), 1000))
        assert client.upload_document(parts).size == len(PDF)  # sent chunked
    wrong = httpx.post(f"{url}/documents", content=b"x", headers={"Content-Type": "image/png"})
    assert wrong.status_code == 415


def test_a_wildcard_takes_the_type_the_caller_names(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    client_module = pkg["client"]
    with client_module.Client(url) as client:
        stored = client.put_image("logo", PNG, content_type="image/png")
        assert stored.content_type == "image/png"
        assert probe.images["logo"] == (PNG, "image/png")
        assert client.get_image("logo") == PNG
        with client.stream_get_image("logo") as stream:
            assert stream.content_type == "image/png"  # not image/*
            assert b"".join(stream.iter_bytes()) == PNG
        with pytest.raises(client_module.ApiError) as raised:
            client.stream_get_image("nothing")
        assert raised.value.status_code == 404
    response = httpx.get(f"{url}/images/logo")
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-length"] == str(len(PNG))
    text = httpx.put(f"{url}/images/x", content=b"x", headers={"Content-Type": "text/plain"})
    assert text.status_code == 415


def test_a_download_streams_as_it_is_made(pkg: dict[str, ModuleType], served: Any) -> None:
    url, probe = served
    with pkg["client"].Client(url) as client, client.stream_download_blob("b1") as stream:
        assert "content-length" not in stream.headers
        assert stream.content_type == "application/octet-stream"
        chunks = stream.iter_bytes()
        started = time.monotonic()
        first = next(chunks)  # the handler is waiting on the gate: nothing was buffered
        assert time.monotonic() - started < 5 and not probe.gate.is_set()
        assert first == b"chunk 0;"
        probe.gate.set()
        rest = b"".join(chunks)
    assert first + rest == b"chunk 0;chunk 1;chunk 2;"
    assert probe.closed.wait(10)


def test_the_handler_stream_is_closed_when_the_client_goes_away(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, probe = served
    with pkg["client"].Client(url) as client:
        stream = client.stream_download_blob("b1", chunks=10)
        assert next(stream.iter_bytes()) == b"chunk 0;"
        stream.close()
    probe.gate.set()  # the handler goes on, finds nobody listening, and is closed
    assert probe.closed.wait(10), "the handler's iterator was never closed"


def test_a_file_with_a_declared_content_disposition(
    pkg: dict[str, ModuleType], served: Any
) -> None:
    url, _ = served
    with pkg["client"].Client(url) as client:
        assert client.get_report("q3") == PDF
        with client.stream_get_report("q3") as stream:
            assert stream.headers["content-disposition"] == 'attachment; filename="q3.pdf"'
            assert stream.headers["content-length"] == str(len(PDF))  # a seekable file
            assert stream.content_type == "application/pdf"
            assert b"".join(stream.iter_bytes(4096)) == PDF


def test_the_async_client(pkg: dict[str, ModuleType], served: Any) -> None:
    url, probe = served
    probe.gate.set()

    async def parts() -> AsyncIterator[bytes]:
        for i in range(0, len(PNG), 100):
            yield PNG[i : i + 100]

    async def run() -> tuple[Any, Any, bytes, list[bytes], bytes]:
        async with pkg["client"].AsyncClient(url) as client:
            from_file = await client.upload_document(io.BytesIO(PDF))
            image = await client.put_image("a1", parts(), content_type="image/gif")
            whole = await client.get_image("a1")
            async with await client.stream_download_blob("b", chunks=4) as stream:
                chunks = [chunk async for chunk in stream.aiter_bytes()]
            report = await client.get_report("r")
        return from_file, image, whole, chunks, report

    from_file, image, whole, chunks, report = asyncio.run(run())
    assert from_file.size == len(PDF)
    assert (image.size, image.content_type) == (len(PNG), "image/gif")
    assert whole == PNG and report == PDF
    assert b"".join(chunks) == b"chunk 0;chunk 1;chunk 2;chunk 3;"
