"""The compiled-template cache: a warm run renders byte for byte what a cold one does, an
edited template, another template folder or other environment options recompile, and a
damaged entry is a miss said as a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import jinja
from generator.cache.jinja import TemplateCache
from generator.config import ApiConfig
from generator.pipeline import Options, render_api
from generator.render import env as env_module
from generator.render.env import make_environment

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"


def _render(folder: Path, cache: Path | None, name: str = "t.jinja") -> str:
    return make_environment([folder], cache).get_template(name).render(x=7)


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.jinja-cache"))


def test_warm_output_is_cold_output(tmp_path: Path) -> None:
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    assert not (tmp_path / ".specgen-cache").exists()
    first = render_api(config, Options()).files
    assert _entries(tmp_path / ".specgen-cache" / "jinja")
    assert cold == first == render_api(config, Options()).files


def test_every_key_part_recompiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two, cache = tmp_path / "one", tmp_path / "two", tmp_path / "cache"
    one.mkdir()
    two.mkdir()
    (one / "t.jinja").write_text("a {{ x }}")
    (two / "t.jinja").write_text("b {{ x }}")
    assert _render(one, cache) == "a 7"
    assert _render(one, cache) == "a 7"  # from the cache
    assert len(_entries(cache)) == 1
    assert _render(two, cache) == "b 7"  # another file: its own entry
    assert len(_entries(cache)) == 2
    (one / "t.jinja").write_text("c {{ x }}")  # edited: recompiled (same entry, rewritten)
    assert _render(one, cache) == "c 7"
    assert len(_entries(cache)) == 2
    monkeypatch.setattr(env_module, "_SALT", "other options")
    assert _render(one, cache) == "c 7"
    assert len(_entries(cache)) == 3  # other environment options: another key


def test_damaged_entries_are_misses(tmp_path: Path) -> None:
    folder, cache = tmp_path / "t", tmp_path / "cache"
    folder.mkdir()
    (folder / "t.jinja").write_text("a {{ x }}")
    _render(folder, cache)
    (entry,) = _entries(cache)
    good = entry.read_bytes()
    for damaged in (b"garbage", good[:-5], good[:-5] + b"\xff" * 5):
        heard: list[str] = []
        entry.write_bytes(damaged)
        env = make_environment([folder])
        env.bytecode_cache = TemplateCache(cache, env_module._SALT, heard.append)
        assert env.get_template("t.jinja").render(x=7) == "a 7"
        assert len(heard) == 1 and str(entry) in heard[0]
        assert entry.read_bytes() == good  # rewritten


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "t.jinja").write_text("a {{ x }}")
    assert _render(folder, None) == "a 7"
    assert make_environment([folder]).bytecode_cache is None


def test_the_oldest_entries_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja, "_KEPT", 2)
    folder, cache = tmp_path / "t", tmp_path / "cache"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.jinja").write_text(f"{name} {{{{ x }}}}")
        assert _render(folder, cache, f"{name}.jinja") == f"{name} 7"
    assert len(_entries(cache)) == 2
