"""The models memo: a hit is byte for byte what datamodel-code-generator would write, any
input it reads changes the key, and an unreadable or foreign entry is a miss."""

from __future__ import annotations

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
    assert len(list((tmp_path / ".specgen-cache" / "models").glob("*.json"))) == 1

    calls: list[object] = []
    real = models._generate
    monkeypatch.setattr(models, "_generate", lambda *a, **k: calls.append(a) or real(*a, **k))
    second = render_api(config, Options()).files
    assert calls == []  # answered from the memo
    assert cold == first == second

    monkeypatch.setattr(models, "_generator_fingerprint", lambda: ("another", "version"))
    render_api(config, Options())
    assert len(calls) == 1  # another datamodel-code-generator: generated anew
