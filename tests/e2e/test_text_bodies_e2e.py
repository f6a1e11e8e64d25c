"""Text request bodies checked against their schema, end to end on both generated servers.

tests/corpus/media_text_bodies.yaml: `POST /notes` takes text/plain alone (1 to 10
characters, no digits), `PUT /colours` JSON or text/plain (a colour name, an enum),
`POST /days` any `text/*` that is a date, and `POST /free` text/plain of `type: string`
alone, which servers take unchecked. A text body its schema refuses answers 400 with the
declared problem body, the error located at `body`; a body that is no text in the charset
its Content-Type names (UTF-8 if none) 400 too, and a charset no codec reads 415. The
requests are made by hand through httpx's ASGI transport (FastAPI) and WSGI transport
(Flask); the generated mock answers the same way.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.e2e.test_media_types_e2e import send
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "media_text_bodies.yaml"
NAME = "text_e2e"
FRAMEWORKS = ("fastapi", "flask")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp("text")
    styles = ("--style", "fastapi", "--style", "flask", "--style", "mock")
    result = run_specgen("generate", SPEC, "--name", NAME, "--out", out, *styles)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{NAME}.{m}")
            for m in ("models", "handlers", "server", "flask_server", "mock")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == NAME or m.startswith(f"{NAME}.")]:
            del sys.modules[module]


def _app(pkg: dict[str, ModuleType], framework: str) -> Any:
    h, models = pkg["handlers"], pkg["models"]

    def seen(request: Any) -> Any:
        body = request.body
        kind = "text" if isinstance(body, str) else type(body).__name__
        detail = body if isinstance(body, str) else repr(body)
        content_type = getattr(request, "content_type", None) or ""
        return models.Seen(kind=kind, content_type=content_type, detail=detail)

    class Text(h.Handlers):  # type: ignore[misc, name-defined]
        async def add_note(self, request: Any) -> Any:
            return h.AddNote200JsonResponse(body=seen(request))

        async def put_colour(self, request: Any) -> Any:
            return h.PutColour200JsonResponse(body=seen(request))

        async def add_day(self, request: Any) -> Any:
            return h.AddDay200JsonResponse(body=seen(request))

        async def add_free(self, request: Any) -> Any:
            return h.AddFree200JsonResponse(body=seen(request))

    module = pkg["server"] if framework == "fastapi" else pkg["flask_server"]
    return module.create_app(Text())


def _send(app: Any, framework: str, path: str, content: bytes, content_type: str) -> Any:
    method = "PUT" if path == "/colours" else "POST"
    headers = {"Content-Type": content_type}
    return send(app, framework, method, path, content=content, headers=headers)


# (path, Content-Type, body, the keyword of the schema that refuses it)
REFUSED = [
    ("/notes", "text/plain", b"far too long a note", "maxLength"),
    ("/notes", "text/plain", b"note 42", "pattern"),
    ("/notes", "text/plain", b"", "minLength"),  # empty text is text, and too short
    ("/notes", "text/plain; charset=utf-8", b"12", "pattern"),
    ("/colours", "text/plain", b"mauve", "enum"),  # beside JSON
    ("/days", "text/csv", b"yesterday", "format"),  # within `text/*`
    ("/days", "text/plain", b"2026-02-30", "format"),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("path", "content_type", "content", "keyword"), REFUSED)
def test_a_text_body_its_schema_refuses_is_400_with_the_declared_problem(
    pkg: dict[str, ModuleType],
    framework: str,
    path: str,
    content_type: str,
    content: bytes,
    keyword: str,
) -> None:
    response = _send(_app(pkg, framework), framework, path, content, content_type)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert {tuple(e["loc"]) for e in problem["errors"]} == {("body",)}
    assert keyword in [e["type"] for e in problem["errors"]]


# (path, Content-Type, body, the text the handler gets)
ACCEPTED = [
    ("/notes", "text/plain", "a short ✓".encode(), "a short ✓"),
    ("/notes", "text/plain; charset=ISO-8859-1", b"caf\xe9", "café"),  # then checked
    ("/colours", "text/plain", b"red", "red"),
    ("/days", "text/csv; charset=utf-16", "2026-02-28".encode("utf-16"), "2026-02-28"),
]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(("path", "content_type", "content", "text"), ACCEPTED)
def test_a_text_body_its_schema_takes_reaches_the_handler_decoded_in_its_charset(
    pkg: dict[str, ModuleType],
    framework: str,
    path: str,
    content_type: str,
    content: bytes,
    text: str,
) -> None:
    response = _send(_app(pkg, framework), framework, path, content, content_type)
    assert response.status_code == 200, response.text
    assert (response.json()["kind"], response.json()["detail"]) == ("text", text)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize(
    ("content_type", "content", "status"),
    [
        ("text/plain", b"caf\xe9", 400),  # Latin-1, sent as UTF-8 (the default)
        ("text/plain; charset=utf-16", b"\x00", 400),  # half a UTF-16 code unit
        ("text/plain; charset=klingon", b"note", 415),  # no codec reads it
    ],
)
def test_a_text_body_that_is_no_text_in_its_charset_is_refused_with_the_declared_problem(
    pkg: dict[str, ModuleType], framework: str, content_type: str, content: bytes, status: int
) -> None:
    for path in ("/notes", "/free"):  # checked or not, text must be text
        response = _send(_app(pkg, framework), framework, path, content, content_type)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == status


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_plain_string_body_is_handed_over_unchecked(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    """`type: string` says nothing a `str` does not: no check, whatever the text."""
    module = pkg["server"] if framework == "fastapi" else pkg["flask_server"]
    source = Path(module.__file__ or "").read_text("utf-8")
    assert 'schema="addNote"' in source and 'schema="addFree"' not in source
    response = _send(_app(pkg, framework), framework, "/free", b"", "text/plain")
    assert response.status_code == 200, response.text
    assert response.json()["detail"] == ""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_mock_answers_text_bodies_and_refuses_what_their_schema_refuses(
    pkg: dict[str, ModuleType], framework: str
) -> None:
    mock = pkg["mock"]
    app = mock.create_app() if framework == "fastapi" else mock.create_flask_app()
    for path, content_type, content, _ in ACCEPTED:
        response = _send(app, framework, path, content, content_type)
        assert response.status_code == 200, (path, response.text)
        assert set(response.json()) >= {"kind", "content_type", "detail"}
    for path, content_type, content, keyword in REFUSED:
        response = _send(app, framework, path, content, content_type)
        assert response.status_code == 400, (path, content, response.text)
        assert keyword in [e["type"] for e in response.json()["errors"]]
