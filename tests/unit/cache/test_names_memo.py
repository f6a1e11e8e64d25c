"""The memo of the names the templates bind (`fixed_names`' probe): a hit is what the probe
finds, each part of what it reads changes the key, and a damaged entry is a miss said as a
warning."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.cache.memo import Memo
from generator.render.env import make_environment
from generator.render.python import render
from generator.render.python.names import Fixed
from generator.render.python.render import fixed_names
from generator.render.styles import Style, resolve_styles

STYLES = resolve_styles(("fastapi", "httpx"), "pydantic")


@pytest.fixture
def probes(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = render._probe

    def counted(*args: object) -> Fixed:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "_probe", counted)
    return calls


def _names(
    memo: Memo | None, dirs: tuple[Path, ...] = (), styles: tuple[Style, ...] = STYLES
) -> Fixed:
    return fixed_names(make_environment(dirs), styles, memo, dirs)


def test_a_hit_is_what_the_probe_finds(tmp_path: Path, probes: list[object]) -> None:
    memo = Memo(tmp_path / "names")
    cold = _names(None)
    assert not (tmp_path / "names").exists()
    assert _names(memo) == cold and len(probes) == 2
    assert _names(memo) == cold and len(probes) == 2  # answered from the memo
    assert cold.by_role  # the probe finds names: the comparison says something


def test_every_key_part_probes_again(
    tmp_path: Path, probes: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = Memo(tmp_path / "names")
    _names(memo)
    user = tmp_path / "templates"
    user.mkdir()
    (user / "extra.jinja").write_text("x")
    _names(memo, (user,))  # a template folder's content
    (user / "extra.jinja").write_text("y")
    _names(memo, (user,))
    _names(memo, styles=(replace(STYLES[0], runtime_modules=()), *STYLES[1:]))  # a style
    _names(memo, styles=STYLES[:1])
    monkeypatch.setattr(render, "code_hash", lambda: "another specgen")
    _names(memo)
    assert len(probes) == 6
    assert len(list((tmp_path / "names").glob("*.json"))) == 6


@pytest.mark.parametrize(
    "text", ["{not json", '{"key": "other", "value": {}}', "KEY", "KEY_ROLE", "KEY_SHAPE"]
)
def test_damaged_entries_are_misses(tmp_path: Path, probes: list[object], text: str) -> None:
    heard: list[str] = []
    memo = Memo(tmp_path / "names", heard.append)
    cold = _names(memo)
    (entry,) = (tmp_path / "names").glob("*.json")
    key = entry.stem
    text = {
        "KEY": f'{{"key": "{key}", "value": 1}}',
        "KEY_ROLE": f'{{"key": "{key}", "value": {{"no role": []}}}}',
        "KEY_SHAPE": f'{{"key": "{key}", "value": {{"method": 3}}}}',
    }.get(text, text)
    entry.write_text(text)
    assert _names(memo) == cold and len(probes) == 2
    assert len(heard) == 1 and key in heard[0]
    assert _names(memo) == cold and len(probes) == 2  # rewritten
