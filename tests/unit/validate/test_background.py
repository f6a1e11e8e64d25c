"""openapi-spec-validator in a child process: the same findings as in this one, and a
package rendered speculatively (before its findings arrive) byte-identical to one rendered
after them, including when the findings repair the document or are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import pipeline
from generator.cache.memo import Memo
from generator.config import ApiConfig
from generator.diagnostics import SpecError
from generator.load import load_spec
from generator.pipeline import Options, render_api, render_apis
from generator.validate import prepare, spec_validator
from generator.validate.background import Structural

ROOT = Path(__file__).resolve().parents[3]
DEFECTS = ROOT / "tests" / "corpus" / "lenient_published_defects.yaml"
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"


def _render(spec: Path, tmp: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("SPECGEN_JOBS", jobs)
    config = ApiConfig("api", (spec,), tmp / "out", root=tmp)
    try:
        rendered = render_api(config, Options(memo=False))
    except SpecError as exc:
        return ("failed", exc.diagnostics)
    return ("rendered", rendered.files, rendered.diagnostics)


def test_the_child_finds_what_this_process_finds() -> None:
    spec, _ = load_spec([DEFECTS])
    before = prepare(spec)
    here = spec_validator(before)
    assert here  # the corpus spec has findings to carry across
    assert Structural(before, fork=True).result() == here
    assert Structural(before, fork=False).result() == here


def test_a_memo_answer_is_looked_up_here_without_a_child(tmp_path: Path) -> None:
    memo = Memo(tmp_path / "validation")
    text = SPEC.read_text("utf-8")

    def structural(edited: str) -> Structural:
        path = tmp_path / "spec.yaml"
        path.write_text(edited, "utf-8")
        return Structural(prepare(load_spec([path])[0]), fork=True, memo=memo)

    first = structural(text)  # no memo yet: the child looks it up and validates
    assert first.forked and first.result() == [] and memo.folder.is_dir()
    reworded = structural(text.replace("summary: ", "summary: Reworded ", 1))
    assert not reworded.forked and reworded.result() == []
    broken = structural(text.replace("version: 1.0.0", "version: [1]", 1))
    assert broken.forked and any(d.code == "SG310" for d in broken.result())


@pytest.mark.parametrize("spec", [SPEC, DEFECTS], ids=["clean", "repaired"])
def test_speculative_rendering_is_byte_identical(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_core = _render(spec, tmp_path, "1", monkeypatch)
    both = _render(spec, tmp_path, "2", monkeypatch)
    assert isinstance(both, tuple) and both[0] == "rendered"
    assert one_core == both


def test_a_repair_renders_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = pipeline._render_document
    monkeypatch.setattr(pipeline, "_render_document", lambda *a: calls.append(a) or real(*a))
    _render(DEFECTS, tmp_path, "2", monkeypatch)
    assert len(calls) == 2  # the speculative document lacked the repairs
    calls.clear()
    _render(SPEC, tmp_path, "2", monkeypatch)
    assert len(calls) == 1  # nothing found: the speculative package stands


def test_validator_errors_win_over_a_speculative_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.yaml"
    # A version that is not a string: only openapi-spec-validator sees it.
    broken.write_text(SPEC.read_text("utf-8").replace("version: 1.0.0", "version: [1]", 1))
    one_core = _render(broken, tmp_path, "1", monkeypatch)
    both = _render(broken, tmp_path, "2", monkeypatch)
    assert isinstance(both, tuple) and both[0] == "failed"
    assert any(d.code == "SG310" for d in both[1])
    assert one_core == both


def test_several_apis_in_a_pool_render_what_one_core_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = (SPEC, DEFECTS, SPEC)
    configs = [
        ApiConfig(f"api{i}", (spec,), tmp_path / f"out{i}", root=tmp_path)
        for i, spec in enumerate(specs)
    ]

    def run(jobs: str) -> list[object]:
        monkeypatch.setenv("SPECGEN_JOBS", jobs)
        return [(r.files, r.diagnostics) for r in render_apis(configs, Options(memo=False))]

    assert run("1") == run("2")
