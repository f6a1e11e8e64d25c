"""A request body of several media types, end to end on both generated servers.

tests/corpus/media_types_bodies.yaml: `POST /pets` takes JSON, a urlencoded form (both the
`Pet` schema), multipart with a file (a schema of its own), XML and text; `PUT /notes` an
optional body whose JSON and form share one schema. Each body reaches the handler typed as
its media type declares (a model, bytes, text) with the Content-Type it came with; a
Content-Type none of them is answers 415, a body its media type's schema refuses 400, both
with the declared problem body. The requests are made by hand (the wire bytes are the
test's), through httpx's ASGI transport (FastAPI) and WSGI transport (Flask); the generated
client still sends JSON. A handler that narrows the union passes `mypy --strict`.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "media_types_bodies.yaml"
NAME = "media_e2e"
FRAMEWORKS = ("fastapi", "flask")
PHOTO = b"\x89PNG\r\n\x1a\n\x00\xff"  # not UTF-8: a file stays bytes
BOUNDARY = "specgen-boundary"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("media")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "httpx", "--style", "mock")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server", "mock")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


def _handlers(pkg: dict[str, ModuleType]) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    def seen(body: Any, content_type: str | None) -> Any:
        if isinstance(body, models.Pet):
            age = body.age if isinstance(body.age, int) else None  # absent: MISSING
            kind, detail = "pet", f"{body.name}:{age}"
        elif isinstance(body, models.AddPetMultipartBody):
            photo = body.photo
            kind, detail = "multipart", f"{body.name}:{photo.filename}:{photo.read().hex()}"
        elif isinstance(body, bytes):
            kind, detail = "bytes", body.decode()
        elif isinstance(body, str):
            kind, detail = "text", body
        else:
            kind, detail = type(body).__name__, ""
        return models.Seen(kind=kind, content_type=content_type or "", detail=detail)

    class Media(h.Handlers):  # type: ignore[misc, name-defined]
        async def add_pet(self, request: Any) -> Any:
            return h.AddPet200JsonResponse(body=seen(request.body, request.content_type))

        async def put_note(self, request: Any) -> Any:
            return h.PutNote200JsonResponse(body=seen(request.body, request.content_type))

    return Media()


def _app(pkg: dict[str, ModuleType], framework: str, handlers: Any = None) -> Any:
    module = pkg["server"] if framework == "fastapi" else pkg["flask_server"]
    return module.create_app(handlers if handlers is not None else _handlers(pkg))


def send(app: Any, framework: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to `app` in process: FastAPI through httpx's ASGI transport, Flask
    through its WSGI transport."""
    if framework == "flask":
        with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://t") as c:
            return c.request(method, path, **kwargs)

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            return await c.request(method, path, **kwargs)

    return asyncio.run(run())


def multipart(parts: list[tuple[str, str | None, str | None, bytes]]) -> tuple[bytes, str]:
    """A multipart body made by hand: (name, filename, content type, bytes) per part."""
    chunks = []
    for name, filename, content_type, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        if content_type is not None:
            head += f"Content-Type: {content_type}\r\n"
        chunks.append(head.encode() + b"\r\n" + data + b"\r\n")
    body = b"".join(chunks) + f"--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def _post(app: Any, framework: str, content: bytes, content_type: str) -> httpx.Response:
    headers = {"Content-Type": content_type}
    return send(app, framework, "POST", "/pets", content=content, headers=headers)


NAME_PART: tuple[str, str | None, str | None, bytes] = ("name", None, None, b"Rex")
PHOTO_BODY, PHOTO_TYPE = multipart([NAME_PART, ("photo", "rex.png", "image/png", PHOTO)])
# (Content-Type, body, what the handler was given: kind and detail)
ACCEPTED = [
    ("application/json", b'{"name": "Rex", "age": 3}', ("pet", "Rex:3")),
    ("application/json; charset=utf-8", b'{"name": "Rex"}', ("pet", "Rex:None")),
    ("application/x-www-form-urlencoded", b"name=Rex&age=4", ("pet", "Rex:4")),
    (PHOTO_TYPE, PHOTO_BODY, ("multipart", f"Rex:rex.png:{PHOTO.hex()}")),
    ("application/xml", b"<pet><name>Rex</name></pet>", ("bytes", "<pet><name>Rex</name></pet>")),
    ("text/plain; charset=utf-8", "Rex ✓".encode(), ("text", "Rex ✓")),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("content_type", "content", "expected"), ACCEPTED)
def test_each_declared_media_type_reaches_the_handler_typed(
    pkg: dict[str, ModuleType],
    framework: str,
    content_type: str,
    content: bytes,
    expected: tuple[str, str],
) -> None:
    response = _post(_app(pkg, framework), framework, content, content_type)
    assert response.status_code == 200, response.text
    seen = response.json()
    assert (seen["kind"], seen["detail"]) == expected
    assert seen["content_type"] == content_type  # the handler can tell JSON from the form


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_json_suffix_is_read_as_json(pkg: dict[str, ModuleType], framework: str) -> None:
    response = _post(
        _app(pkg, framework), framework, b'{"name": "Rex"}', "application/vnd.pet+json"
    )
    assert response.status_code == 200, response.text
    assert response.json()["kind"] == "pet"


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("content_type", ["application/octet-stream", "image/png", "text/csv"])
def test_an_undeclared_content_type_is_415_with_the_declared_problem(
    pkg: dict[str, ModuleType], framework: str, content_type: str
) -> None:
    response = _post(_app(pkg, framework), framework, b"Rex", content_type)
    assert response.status_code == 415, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 415
    for declared in ("application/json", "multipart/form-data", "application/xml", "text/plain"):
        assert declared in problem["detail"]


INVALID = [
    # Each body is checked against its own media type's schema.
    ("application/json", b'{"name": ""}', "name"),
    ("application/json", b'{"name": "Rex", "age": "old"}', "age"),
    ("application/x-www-form-urlencoded", b"age=4", "name"),
    ("application/x-www-form-urlencoded", b"name=Rex&age=-1", "age"),
    # No photo at all (a part without a filename is its bytes: test_request_bodies_e2e).
    (PHOTO_TYPE, multipart([("name", None, None, b"Rex")])[0], "photo"),
    ("text/plain", b"\xff\xfe", None),  # not UTF-8
    ("application/json", b"{not json", None),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("content_type", "content", "field"), INVALID)
def test_a_body_its_media_types_schema_refuses_is_400(
    pkg: dict[str, ModuleType],
    framework: str,
    content_type: str,
    content: bytes,
    field: str | None,
) -> None:
    response = _post(_app(pkg, framework), framework, content, content_type)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        located = [e["loc"] for e in response.json().get("errors", [])]
        assert any(field in loc for loc in located), response.text


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_media_types_sharing_one_schema_give_one_model_or_none(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    app = _app(pkg, framework)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = send(app, framework, "PUT", "/notes", content=b"name=Tip", headers=form)
    assert response.json() == {
        "kind": "pet",
        "content_type": "application/x-www-form-urlencoded",
        "detail": "Tip:None",
    }
    empty = send(app, framework, "PUT", "/notes")  # optional: no body at all
    assert empty.status_code == 200, empty.text
    assert empty.json()["kind"] == "NoneType"
    xml = {"Content-Type": "application/xml"}
    refused = send(app, framework, "PUT", "/notes", content=b"<a/>", headers=xml)
    assert refused.status_code == 415


def test_the_client_sends_json(pkg: dict[str, ModuleType]) -> None:
    """The clients send one media type of several: JSON, what typed code does best."""
    models, client = pkg["models"], pkg["client"]
    app = _app(pkg, "flask")
    with client.Client("http://t", transport=httpx.WSGITransport(app=app)) as c:
        seen = c.add_pet(models.Pet(name="Rex", age=2))
    assert (seen.kind, seen.content_type, seen.detail) == ("pet", "application/json", "Rex:2")

    async def run() -> Any:
        transport = httpx.ASGITransport(app=_app(pkg, "fastapi"))
        async with client.AsyncClient("http://t", transport=transport) as c:
            return await c.add_pet(models.Pet(name="Rex"))

    assert asyncio.run(run()).kind == "pet"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_mock_answers_every_media_type(pkg: dict[str, ModuleType], framework: str) -> None:
    mock = pkg["mock"]
    app = mock.create_app() if framework == "fastapi" else mock.create_flask_app()
    for content_type, content, _ in ACCEPTED:
        response = _post(app, framework, content, content_type)
        assert response.status_code == 200, (content_type, response.text)
        assert set(json.loads(response.text)) >= {"kind", "content_type", "detail"}
    assert _post(app, framework, b"x", "image/png").status_code == 415


def test_a_handler_narrowing_the_union_passes_mypy_strict(
    pkg: dict[str, ModuleType], tmp_path: Path
) -> None:
    out = Path(pkg["models"].__file__).parents[1]
    user = tmp_path / "user.py"
    user.write_text(
        f"""from {NAME} import handlers as h, models


class Media(h.Handlers):
    async def add_pet(self, request: h.AddPetRequest) -> h.AddPetResponse:
        body = request.body
        if isinstance(body, models.Pet):
            detail = body.name
        elif isinstance(body, models.AddPetMultipartBody):
            detail = body.photo.read().hex()
        elif isinstance(body, bytes):
            detail = body.decode()
        else:
            detail = body.upper()  # text
        seen = models.Seen(kind="", content_type=request.content_type or "", detail=detail)
        return h.AddPet200JsonResponse(body=seen)

    async def put_note(self, request: h.PutNoteRequest) -> h.PutNoteResponse:
        name = request.body.name if request.body is not None else ""
        return h.PutNote200JsonResponse(body=models.Seen(kind="", content_type="", detail=name))
""",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": ""},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
