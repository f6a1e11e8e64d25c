"""Absent, null and a value are three things, end to end.

tests/corpus/models_absent_and_null.yaml has a note with optional properties that are
nullable (`comment`) or not (`title`, `tags`), a required nullable one (`parent`) and a
default (`priority`). With the default `absent = "missing"`, an absent property is pydantic's
`MISSING`: the client cannot put a null where the spec allows none (the model refuses it, and
mypy does), sends nothing for what was left out, and a handler of either generated server
tells an absent property from an explicit null by its value. With `absent = "none"` the
models read as before (None for absent) and `model_fields_set` tells the two apart.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import MISSING, ValidationError

from tests.e2e.conftest import Serve
from tests.functional.conftest import run_specgen

SPEC = Path(__file__).resolve().parents[1] / "corpus" / "models_absent_and_null.yaml"
STYLES = ("--style", "fastapi", "--style", "flask", "--style", "httpx")


def _generate(
    tmp_path_factory: pytest.TempPathFactory, name: str, *extra: str
) -> Iterator[dict[str, ModuleType]]:
    out = tmp_path_factory.mktemp(name)
    result = run_specgen("generate", SPEC, "--name", name, "--out", out, *STYLES, *extra)
    assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        yield {
            m: importlib.import_module(f"{name}.{m}")
            for m in ("models", "handlers", "client", "server", "flask_server")
        }
    finally:
        sys.path.remove(str(out))
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    yield from _generate(tmp_path_factory, "absent_missing")


def _describe(note: Any) -> str:
    """Each property as the handler sees it: absent, null or its value."""

    def show(value: Any) -> str:
        return "absent" if value is MISSING else "null" if value is None else repr(value)

    names = ("id", "parent", "title", "comment", "priority", "tags")
    return " ".join(f"{n}={show(getattr(note, n))}" for n in names)


def _implementation(h: ModuleType, models: ModuleType) -> Any:
    class Impl(h.Handlers):  # type: ignore[misc, name-defined]
        async def echo_note(self, request: Any) -> Any:
            seen = models.Seen(fields=_describe(request.body), note=request.body)
            return h.EchoNote200JsonResponse(body=seen)

    return Impl()


def test_an_optional_property_that_is_not_nullable_takes_no_null(
    package: dict[str, ModuleType],
) -> None:
    models = package["models"]
    note = models.Note(id="n1", parent=None)
    assert note.title is MISSING and note.comment is MISSING and note.priority == 3
    assert note.model_dump(mode="json") == {"id": "n1", "parent": None, "priority": 3}
    with pytest.raises(ValidationError):
        models.Note(id="n1", parent=None, title=None)
    with pytest.raises(ValidationError):
        models.Note(id="n1", parent=None, tags=None)
    assert models.Note(id="n1", parent="p", comment=None).comment is None  # nullable: fine


def test_mypy_refuses_a_null_where_the_spec_allows_none(
    package: dict[str, ModuleType], tmp_path: Path
) -> None:
    models = package["models"]
    out = Path(models.__file__).parents[1]
    user = tmp_path / "user.py"
    user.write_text(
        "from absent_missing.models import Note\n"
        "Note(id='n', parent=None, comment=None)\n"
        "Note(id='n', parent=None, title=None)\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(out), "PATH": ""},
        check=False,
    )
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "user.py:3:" in errors[0] and '"title"' in errors[0], errors


CASES = (
    # (what the client builds, what the handler sees)
    (
        {"id": "a", "parent": None},
        "id='a' parent=null title=absent comment=absent priority=3 tags=absent",
    ),
    (
        {"id": "b", "parent": "a", "title": "T", "comment": None, "tags": []},
        "id='b' parent='a' title='T' comment=null priority=3 tags=[]",
    ),
    (
        {"id": "c", "parent": "a", "comment": "hi", "priority": 1},
        "id='c' parent='a' title=absent comment='hi' priority=1 tags=absent",
    ),
)


def _round_trips(client: Any, models: ModuleType) -> None:
    for given, seen in CASES:
        note = models.Note(**given)
        result = client.echo_note(note)
        assert result.fields == seen
        # What came back parses the same three ways: absent stays absent.
        assert result.note == note
        assert _describe(result.note) == seen


def _null_where_not_nullable_is_refused(http: httpx.Client) -> None:
    for body in ({"id": "x", "parent": None, "title": None}, {"id": "x"}):
        response = http.post("/notes", json=body)
        assert response.status_code in (400, 422), (body, response.text)
    assert http.post("/notes", json={"id": "x", "parent": None, "comment": None}).status_code == 200


def test_fastapi_handlers_tell_absent_from_null(
    package: dict[str, ModuleType], serve: Serve
) -> None:
    models, h, c = package["models"], package["handlers"], package["client"]
    base_url = serve(package["server"].create_app(_implementation(h, models)))
    with c.Client(base_url) as client:
        _round_trips(client, models)
    with httpx.Client(base_url=base_url) as http:
        _null_where_not_nullable_is_refused(http)


def test_flask_handlers_tell_absent_from_null(package: dict[str, ModuleType]) -> None:
    models, h, c = package["models"], package["handlers"], package["client"]
    transport = httpx.WSGITransport(
        app=package["flask_server"].create_app(_implementation(h, models))
    )
    with c.Client("http://test", transport=transport) as client:
        _round_trips(client, models)
    with httpx.Client(base_url="http://test", transport=transport) as http:
        _null_where_not_nullable_is_refused(http)


@pytest.fixture(scope="module")
def none_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    yield from _generate(tmp_path_factory, "absent_none", "--absent", "none")


def test_absent_none_reads_absent_as_none_and_fields_set_tells(
    none_package: dict[str, ModuleType],
) -> None:
    models = none_package["models"]
    source = Path(models.__file__).read_text("utf-8")
    assert "MISSING" not in source
    absent = models.Note.model_validate({"id": "a", "parent": None})
    null = models.Note.model_validate({"id": "a", "parent": None, "comment": None})
    assert absent.comment is None and null.comment is None
    assert "comment" not in absent.model_fields_set and "comment" in null.model_fields_set
