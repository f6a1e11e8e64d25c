"""models.py generated in a spare child process while the templates render here, with the
classes and enum members expected: the package is byte-identical to one rendered in order, the
templates render again where models.py defines other classes or enum members they asked
for, and a failure in the child is reported as here."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from generator.build.api import build_api
from generator.diagnostics import SpecError
from generator.forked import Spare
from generator.ir.model import Api
from generator.load import load_spec
from generator.render.package import render_package
from generator.render.python import models, render
from generator.render.styles import resolve_styles
from generator.validate import validate

ROOT = Path(__file__).resolve().parents[3]
STYLES = resolve_styles(("fastapi", "flask", "httpx"), "pydantic")
SPEC = """
openapi: 3.1.0
info: {title: Pets, version: '2'}
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: status, in: query, schema: {$ref: '#/components/schemas/Status'}}
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Pet'}}
components:
  schemas:
    Status: {type: string, enum: [open, in-progress]}
    Pet:
      type: object
      properties:
        name: {type: string, maxLength: 9}
        status: {$ref: '#/components/schemas/Status'}
"""
ENUM_DEFAULT = SPEC.replace("in-progress]}", "in-progress], default: in-progress}")
RENAMED = SPEC.replace("Pet", "Field")  # datamodel-code-generator imports pydantic's Field


def _api(tmp_path: Path, text: str) -> Api:
    path = tmp_path / "spec.yaml"
    path.write_text(dedent(text), "utf-8")
    spec, _ = load_spec([path])
    return build_api("pets", validate(spec).document, spec)


def _renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The APIs the templates render, as they do (the probe's included)."""
    calls: list[str] = []
    real = render._render
    monkeypatch.setattr(
        render, "_render", lambda *a, **k: calls.append(a[1].api.name) or real(*a, **k)
    )
    return calls


@pytest.mark.parametrize(
    ("text", "times"),
    [(SPEC, 1), (ENUM_DEFAULT, 2), (RENAMED, 2)],
    ids=["expected", "enum-default", "renamed-class"],
)
def test_the_package_is_byte_identical(
    text: str, times: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _api(tmp_path, text)
    in_order = render_package(api, styles=STYLES)
    calls = _renders(monkeypatch)
    forked = render_package(api, styles=STYLES, spare=Spare(models.warm_up))
    assert forked == in_order
    assert calls.count("pets") == times  # the guess stood, or the templates rendered again


def test_what_the_guess_missed_reaches_the_templates(tmp_path: Path) -> None:
    handlers = render_package(
        _api(tmp_path, ENUM_DEFAULT), styles=STYLES, spare=Spare(models.warm_up)
    )
    assert "= models.Status.in_progress" in handlers["handlers.py"]
    renamed = render_package(_api(tmp_path, RENAMED), styles=STYLES, spare=Spare(models.warm_up))
    assert "models.FieldModel" in renamed["handlers.py"]


def test_a_failure_in_the_child_is_raised_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _api(tmp_path, SPEC)

    def failing(*_args: object, **_kwargs: object) -> str:
        raise SpecError([])

    monkeypatch.setattr(models, "_generate", failing)
    with pytest.raises(SpecError):
        render_package(api, styles=STYLES, spare=Spare(models.warm_up))
