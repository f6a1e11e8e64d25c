"""Form and binary bodies end to end, over real sockets on 127.0.0.1: the generated httpx
clients (sync and async) against the generated FastAPI server (uvicorn) and Flask server
(Werkzeug's threaded server) of tests/corpus/uploads.yaml.

Multipart parts arrive typed (files with their filename and content type, a list of files,
a JSON part, numbers, booleans, enums, repeated text), urlencoded forms with repeated keys
and comma-joined arrays, and bad parts answer 400 with the field named, other content
types 415. The wire format is checked with hand-made requests (a boundary, one part per
item), so that both sides are not merely agreeing with each other.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from generator.fuzz import serve_in_thread
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "uploads.yaml"
NAME = "uploads_e2e"
FRAMEWORKS = ("fastapi", "flask")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4  # not UTF-8: bytes must stay bytes


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("uploads")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    assert "SG410" not in result.stderr  # every body here is typed
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server", "_forms")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


def _handlers(pkg: dict[str, ModuleType]) -> Any:
    h, models = pkg["handlers"], pkg["models"]
    documents: dict[str, bytes] = {}

    class Uploads(h.Handlers):  # type: ignore[misc, name-defined]
        async def upload_avatar(self, request: Any) -> Any:
            body = request.body
            meta = body.meta if body.meta is not models.MISSING else None
            avatar = models.Avatar(
                filename=body.avatar.filename or "",
                content_type=body.avatar.content_type or "",
                size=len(body.avatar.read()),
                width=body.width,
                tags=[t.root for t in body.tags] if body.tags is not models.MISSING else [],
                attachments=[len(a.read()) for a in body.attachments]
                if body.attachments is not models.MISSING
                else [],
            )
            for name in ("public", "kind", "caption"):
                if getattr(body, name) is not models.MISSING:
                    setattr(avatar, name, getattr(body, name))
            if meta is not None:
                avatar.source = meta.source
            return h.UploadAvatar201JsonResponse(body=avatar)

        async def save_profile(self, request: Any) -> Any:
            return h.SaveProfile200JsonResponse(body=request.body)

        async def add_note(self, request: Any) -> Any:
            return h.AddNote201JsonResponse(body=request.body)

        async def store_document(self, request: Any) -> Any:
            key = f"d{len(documents)}"
            documents[key] = request.body
            stored = models.Stored(id=key, size=len(request.body), content_type="application/pdf")
            return h.StoreDocument201JsonResponse(body=stored)

        async def get_document(self, request: Any) -> Any:
            if request.document_id not in documents:
                return h.GetDocument404Response()
            return h.GetDocument200BinaryResponse(body=documents[request.document_id])

        async def put_image(self, request: Any) -> Any:
            stored = models.Stored(id="image", size=len(request.body), content_type="image")
            return h.PutImage200JsonResponse(body=stored)

    return Uploads()


@pytest.fixture(params=FRAMEWORKS, scope="module")
def url(request: pytest.FixtureRequest, pkg: dict[str, ModuleType]) -> Iterator[str]:
    handlers = _handlers(pkg)
    if request.param == "fastapi":
        with serve_in_thread(pkg["server"].create_app(handlers)) as base:
            yield base
        return
    server = make_server("127.0.0.1", 0, pkg["flask_server"].create_app(handlers), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def _upload(pkg: dict[str, ModuleType]) -> Any:
    models, File = pkg["models"], pkg["_forms"].File
    return models.AvatarUpload(
        avatar=File(PNG, filename="me.png", content_type="image/png"),
        width=640,
        public=False,
        kind=models.Kind.drawing,
        caption="née à Zürich",
        tags=[models.Tag("A"), models.Tag("B,c")],
        meta=models.Meta(source="camera", rating=4),
        attachments=[File(b"one"), File(b"\x00two", filename="2.bin")],
    )


def test_multipart_parts_arrive_typed(pkg: dict[str, ModuleType], url: str) -> None:
    models = pkg["models"]
    with pkg["client"].Client(url) as client:
        got = client.upload_avatar(body=_upload(pkg))
    assert got == models.Avatar(
        filename="me.png",
        content_type="image/png",
        size=len(PNG),
        width=640,
        public=False,
        kind=models.Kind.drawing,
        caption="née à Zürich",
        tags=["A", "B,c"],
        source="camera",
        attachments=[3, 4],
    )


def test_the_async_client_uploads_a_stream(pkg: dict[str, ModuleType], url: str) -> None:
    models, File = pkg["models"], pkg["_forms"].File
    spooled = Path(__file__)  # any real file object: read by httpx as it sends
    with spooled.open("rb") as handle:
        body = models.AvatarUpload(
            avatar=File(handle, filename="x.jpg", content_type="image/jpeg"), width=1
        )

        async def send() -> Any:
            async with pkg["client"].AsyncClient(url) as client:
                return await client.upload_avatar(body=body)

        got = asyncio.run(send())
    assert (got.filename, got.content_type, got.size) == (
        "x.jpg",
        "image/jpeg",
        spooled.stat().st_size,
    )
    assert (got.tags, got.attachments, got.public) == ([], [], models.MISSING)


def test_bad_parts_answer_400_naming_the_field(pkg: dict[str, ModuleType], url: str) -> None:
    png = ("a.png", PNG, "image/png")
    cases = [
        ({"width": "wide"}, {"avatar": png}, "width"),  # not an integer
        ({"width": "0"}, {"avatar": png}, "width"),  # below the minimum
        ({"width": "5", "kind": "sculpture"}, {"avatar": png}, "kind"),  # not in the enum
        ({"width": "5"}, {}, "avatar"),  # a required file missing
        ({"width": "5"}, {"avatar": ("a.gif", b"GIF89a", "image/gif")}, "avatar"),  # encoding
        ({"width": "5", "meta": "{not json"}, {"avatar": png}, "meta"),
        ({"width": ["5", "6"]}, {"avatar": png}, "width"),  # one value, sent twice
    ]
    for data, files, field in cases:
        response = httpx.post(f"{url}/avatars", data=data, files=files or {"x": ("x", b"")})
        assert response.status_code == 400, (field, response.text)
        assert field in response.text, (field, response.text)


def test_other_content_types_answer_415(pkg: dict[str, ModuleType], url: str) -> None:
    response = httpx.post(f"{url}/avatars", json={"width": 5})
    assert response.status_code == 415
    response = httpx.post(f"{url}/profiles", files={"name": (None, b"x")})
    assert response.status_code == 415  # multipart where only urlencoded is declared
    response = httpx.post(
        f"{url}/avatars", content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"}
    )
    assert response.status_code == 400 and "boundary" in response.text


def test_the_multipart_wire_format(pkg: dict[str, ModuleType], url: str) -> None:
    """What the client sends, read back by a plain parser of our own making."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return httpx.Response(500)

    client = pkg["client"].Client("http://test", transport=httpx.MockTransport(record))
    with pytest.raises(pkg["client"].ApiError):
        client.upload_avatar(body=_upload(pkg))
    content_type = seen[0].headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    parts = seen[0].content.split(b"--" + boundary)[1:-1]
    heads = [p.split(b"\r\n\r\n", 1)[0].decode() for p in parts]
    names = [h.split('name="', 1)[1].split('"', 1)[0] for h in heads]
    assert names == [
        "avatar", "width", "public", "kind", "caption", "tags", "tags", "meta",
        "attachments", "attachments",
    ]  # fmt: skip
    values = {n: p.split(b"\r\n\r\n", 1)[1][:-2] for n, p in zip(names, parts, strict=True)}
    assert values["avatar"] == PNG and 'filename="me.png"' in heads[0]
    assert "Content-Type: image/png" in heads[0]
    assert (values["width"], values["public"], values["kind"]) == (b"640", b"false", b"drawing")
    assert values["caption"] == "née à Zürich".encode()
    assert "Content-Type: application/json" in heads[7]
    assert values["meta"] == b'{"source": "camera", "rating": 4}'
    assert 'filename="attachments"' in heads[8]  # no filename given: the field's name


def test_urlencoded_forms(pkg: dict[str, ModuleType], url: str) -> None:
    models = pkg["models"]
    profile = models.Profile(
        name="Ada & co",
        age=36,
        subscribed=True,
        colours=[models.ProfileColoursItem.red, models.ProfileColoursItem.blue],
        sizes=[models.Size(3), models.Size(4)],
    )
    with pkg["client"].Client(url) as client:
        assert client.save_profile(body=profile) == profile
        assert client.add_note(body=models.Note(title="t", body="b=1&c")) == models.Note(
            title="t", body="b=1&c"
        )
    # The wire: repeated keys, and `sizes` comma-joined (`explode: false`).
    sent = "name=Ada&colours=red&colours=green&sizes=1,2&subscribed=false"
    response = httpx.post(
        f"{url}/profiles",
        content=sent,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "name": "Ada",
        "colours": ["red", "green"],
        "sizes": [1, 2],
        "subscribed": False,
    }
    # A form that declares both encodings takes either.
    response = httpx.post(f"{url}/notes", files={"title": (None, b"multi")})
    assert response.status_code == 201 and response.json() == {"title": "multi"}
    bad = httpx.post(f"{url}/profiles", data={"name": "x", "age": "-1"})
    assert bad.status_code == 400 and "age" in bad.text
    missing = httpx.post(f"{url}/profiles", data={"age": "3"})
    assert missing.status_code == 400 and "name" in missing.text


def test_binary_bodies_in_and_out(pkg: dict[str, ModuleType], url: str) -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256))
    with pkg["client"].Client(url) as client:
        stored = client.store_document(body=pdf)
        assert (stored.size, stored.content_type) == (len(pdf), "application/pdf")
        assert client.get_document(document_id=stored.id) == pdf
    response = httpx.get(f"{url}/documents/{stored.id}")
    assert response.headers["content-type"] == "application/pdf"
    wrong = httpx.post(f"{url}/documents", content=b"x", headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415
    image = httpx.put(f"{url}/images", content=PNG, headers={"Content-Type": "image/png"})
    assert image.status_code == 200 and image.json()["size"] == len(PNG)
