"""The models memo: a hit is byte for byte what datamodel-code-generator would write, any
input it reads changes the key, and an unreadable or foreign entry is a miss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cache.memo import Memo, memo_key
from generator.config import ApiConfig
from generator.pipeline import Options, render_api
from generator.render.python import models

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"


def test_keys_change_with_every_part() -> None:
    base = memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", True)
    assert base == memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", True)
    for changed in (
        memo_key("models", ("0.90", "abc"), {"a": 1}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abd"), {"a": 1}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 2}, "header", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "other", "pydantic", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "msgspec", True),
        memo_key("models", ("0.89", "abc"), {"a": 1}, "header", "pydantic", False),
    ):
        assert changed != base


def test_unusable_entries_are_misses(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "models")
    memo.put("k", "text")
    assert memo.get("k") == "text"
    assert memo.get("other") is None
    (tmp_path / "models" / "k.json").write_text("{not json")
    assert memo.get("k") is None
    (tmp_path / "models" / "k.json").write_text('{"key": "j", "text": "foreign"}')
    assert memo.get("k") is None
    memo.put("k", "again")  # rewritten whole
    assert memo.get("k") == "again"


def test_a_hit_is_what_a_cold_run_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_JOBS", "1")  # models.py generated here, where calls are seen
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", styles=("models",), root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    assert not (tmp_path / ".specgen-cache").exists()  # memo=False: nothing kept

    first = render_api(config, Options()).files
    # What datamodel-code-generator wrote, and the module finished from it.
    assert len(list((tmp_path / ".specgen-cache" / "models").glob("*.json"))) == 2

    calls: list[object] = []
    real = models._generate
    monkeypatch.setattr(models, "_generate", lambda *a, **k: calls.append(a) or real(*a, **k))
    second = render_api(config, Options()).files
    assert calls == []  # answered from the memo
    assert cold == first == second

    monkeypatch.setattr(models, "_generator_fingerprint", lambda: ("another", "version"))
    render_api(config, Options())
    assert len(calls) == 1  # another datamodel-code-generator: generated anew


def test_a_finished_module_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run whose schemas did not change reads the finished models.py (no parsing, no
    dropping of unused classes); without that entry, it finishes the generator's text again;
    a corrupt one is ignored with a warning."""
    monkeypatch.setenv("SPECGEN_JOBS", "1")
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", styles=("models",), root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    render_api(config, Options())
    finishing: list[object] = []
    real = models.drop_unused
    monkeypatch.setattr(models, "drop_unused", lambda *a: finishing.append(a) or real(*a))
    assert render_api(config, Options()).files == cold
    assert finishing == []

    folder = tmp_path / ".specgen-cache" / "models"
    entries = {p: json.loads(p.read_text("utf-8")) for p in folder.glob("*.json")}
    (finished,) = [p for p, e in entries.items() if "value" in e]
    finished.write_text(json.dumps({"key": entries[finished]["key"], "value": {}}))
    assert render_api(config, Options()).files == cold
    assert "not a finished models.py" in capsys.readouterr().err
    assert len(finishing) == 1  # the generator's text, finished again
    finished.unlink()
    assert render_api(config, Options()).files == cold
    assert len(finishing) == 2
