"""[tool.specgen] is validated: unknown keys are located errors with the closest known key;
strict and ignore per project and per API."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.diagnostics import SpecError
from generator.render.styles import resolve_absent

BASE = """\
[tool.specgen]
output = "out"
{top}

[[tool.specgen.api]]
name = "pets"
specs = ["pets.yaml"]
{api}
"""


def _config(tmp_path: Path, top: str = "", api: str = "") -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(BASE.format(top=top, api=api), "utf-8")
    return path


def test_unknown_keys_are_located_with_a_suggestion(tmp_path: Path) -> None:
    path = _config(tmp_path, top='stlyes = ["fastapi"]', api="layuot = 'tags'")
    with pytest.raises(SpecError) as caught:
        load_config(path)
    top, api = caught.value.diagnostics
    assert top.code == api.code == "SG618"
    assert "unknown key `stlyes`" in top.message and top.hint == "did you mean `styles`?"
    assert top.location is not None and top.location.line == 3
    assert "[[tool.specgen.api]]" in api.message and api.hint == "did you mean `layout`?"
    assert api.location is not None and api.location.line == 8


def test_style_tables_are_checked_too(tmp_path: Path) -> None:
    path = _config(tmp_path, top='[tool.specgen.style.mine]\nextend = "fastapi"')
    with pytest.raises(SpecError) as caught:
        load_config(path)
    (problem,) = caught.value.diagnostics
    assert "[tool.specgen.style.mine]" in problem.message and "`extends`" in problem.hint


def test_strict_and_ignore(tmp_path: Path) -> None:
    path = _config(tmp_path, top='strict = true\nignore = ["SG410"]', api='ignore = ["SG301"]')
    (api,) = load_config(path).apis
    assert api.strict and api.ignore == frozenset({"SG410", "SG301"})
    with pytest.raises(SpecError):
        load_config(_config(tmp_path, top='ignore = ["nope"]'))
    with pytest.raises(SpecError):
        load_config(_config(tmp_path, top="strict = 1"))


def test_absent_follows_the_model_flavour(tmp_path: Path) -> None:
    (api,) = load_config(_config(tmp_path)).apis
    assert api.absent is None and resolve_absent(api.absent, api.model_type) == "missing"
    (api,) = load_config(_config(tmp_path, top='absent = "none"')).apis
    assert api.absent == "none"
    path = _config(tmp_path, top='model_type = "dataclasses"\nstyles = ["models"]')
    (api,) = load_config(path).apis
    assert resolve_absent(api.absent, api.model_type) == "none"  # no MISSING there
    for top, hint in (
        (
            'model_type = "dataclasses"\nstyles = ["models"]\nabsent = "missing"',
            "choose one of: none",
        ),
        ('absent = "unset"', "choose one of: missing, none"),
    ):
        with pytest.raises(SpecError) as caught:
            load_config(_config(tmp_path, top=top))
        (problem,) = caught.value.diagnostics
        assert problem.code == "SG619" and problem.hint == hint, problem
