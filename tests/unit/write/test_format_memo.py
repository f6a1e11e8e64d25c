"""The ruff memo (`.specgen-cache/format/`): a hit is byte for byte what ruff writes, only
changed files go to ruff, every input ruff reads changes what is reused, and a corrupt or
foreign entry is ignored with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache.memo import Memo
from generator.config import ApiConfig
from generator.diagnostics import SpecError
from generator.pipeline import Options, render_api
from generator.write import formatting
from generator.write.formatting import format_python

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "martian" / "feedback.yaml"
FILES = {
    "pkg/__init__.py": "from pkg.a import x\nimport os,sys\n__all__=['x']\n",
    "pkg/a.py": "import json\nx=json.dumps( {'a':1} )\n",
    "README.md": "not python\n",
}


@pytest.fixture
def ruff_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The files each ruff run was given (early or final)."""
    calls: list[list[str]] = []
    real = formatting._run_ruff

    def spy(root: Path, todo: list[str], settings: list[str]) -> dict[str, str]:
        calls.append(list(todo))
        return real(root, todo, settings)

    monkeypatch.setattr(formatting, "_run_ruff", spy)
    return calls


def test_a_hit_is_what_ruff_writes(tmp_path: Path, ruff_calls: list[list[str]]) -> None:
    cold = format_python(FILES)
    memo = Memo(tmp_path / "format")
    assert format_python(FILES, memo=memo) == cold
    assert format_python(FILES, memo=memo) == cold
    assert ruff_calls == [["pkg/__init__.py", "pkg/a.py"]] * 2  # the third run: no ruff


def test_only_changed_files_go_to_ruff(tmp_path: Path, ruff_calls: list[list[str]]) -> None:
    memo = Memo(tmp_path / "format")
    format_python(FILES, memo=memo)
    changed = {**FILES, "pkg/a.py": "import json\ny=json.dumps( {'b':2} )\n"}
    assert format_python(changed, memo=memo) == format_python(changed)
    assert ruff_calls[1] == ["pkg/a.py"]


def test_surroundings_ruff_reads_change_the_key(
    tmp_path: Path, ruff_calls: list[list[str]]
) -> None:
    memo = Memo(tmp_path / "format")
    format_python(FILES, memo=memo)
    # Another top-level module beside them can make an import first-party: all anew.
    beside = {**FILES, "other.py": "import pkg\n"}
    assert format_python(beside, memo=memo) == format_python(beside)
    assert sorted(ruff_calls[1]) == ["other.py", "pkg/__init__.py", "pkg/a.py"]
    # So can the first-party names, and another ruff.
    assert format_python(FILES, memo=memo, first_party=("json",)) == format_python(
        FILES, first_party=("json",)
    )
    assert len(ruff_calls[3]) == 2


def test_another_ruff_is_a_miss(
    tmp_path: Path, ruff_calls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = Memo(tmp_path / "format")
    format_python(FILES, memo=memo)
    monkeypatch.setattr(formatting, "_ruff_version", lambda: ("9.9.9", "code"))
    format_python(FILES, memo=memo)
    assert len(ruff_calls) == 2


def test_corrupt_or_foreign_entries_are_ignored_with_a_warning(
    tmp_path: Path, ruff_calls: list[list[str]]
) -> None:
    warnings: list[str] = []
    memo = Memo(tmp_path / "format", warn=warnings.append)
    cold = format_python(FILES, memo=memo)
    (entry,) = (tmp_path / "format").glob("*.json")
    for broken in ("{truncated", '{"key": "another", "text": "{}"}', '{"key": "K", "text": "[1]"}'):
        entry.write_text(broken.replace("K", entry.stem))
        assert format_python(FILES, memo=memo) == cold
    assert len(warnings) == 3 and all(str(entry) in w for w in warnings)
    assert len(ruff_calls) == 4  # every unusable entry: ruff again
    assert format_python(FILES, memo=memo) == cold and len(ruff_calls) == 4  # rewritten


def test_a_project_run_reuses_and_matches_a_cold_run(tmp_path: Path) -> None:
    config = ApiConfig("martian", (SPEC,), tmp_path / "out", root=tmp_path)
    cold = render_api(config, Options(memo=False)).files
    assert not (tmp_path / ".specgen-cache").exists()
    first = render_api(config, Options()).files
    second = render_api(config, Options()).files
    assert len(list((tmp_path / ".specgen-cache" / "format").glob("*.json"))) == 1
    assert cold == first == second


# What a package's templates render while models.py is still being generated elsewhere.
READY = {
    "handlers.py": "from . import models\nimport json,os\nx=json.dumps( models.A )\n",
    "README.md": "not python\n",
}
PACKAGE = {**READY, "models.py": "import os\nA=1\n"}


def early_format(files: dict[str, str], memo: Memo | None = None) -> formatting.EarlyFormat:
    """An early pass on a package with the files of PACKAGE, handed `files`."""
    early = formatting.EarlyFormat(PACKAGE, (), memo)
    early.add_all(files)
    return early


def test_early_formatting_is_what_one_pass_writes(
    tmp_path: Path, ruff_calls: list[list[str]]
) -> None:
    """ruff ran on the ready files (with models.py present, empty) before models.py came;
    the final pass formats models.py only, and writes what one pass writes."""
    one_pass = format_python(PACKAGE)
    memo = Memo(tmp_path / "format")
    assert format_python(PACKAGE, memo=memo, early=early_format(READY, memo)) == one_pass
    assert ruff_calls[1:] == [["handlers.py"], ["models.py"]]
    assert format_python(PACKAGE, memo=memo) == one_pass  # what early formatted is kept
    assert len(ruff_calls) == 3
    assert format_python(PACKAGE, early=early_format(READY)) == one_pass  # without a memo too


def test_each_handing_over_is_a_ruff_run_and_memo_hits_are_not_formatted(
    tmp_path: Path, ruff_calls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files handed over one by one are formatted one by one (a large file does not
    hold up the next); one handed over twice is formatted for its first text, and the final
    pass formats the second; what the memo holds goes to no ruff at all."""
    monkeypatch.setattr(formatting, "_ON_ITS_OWN", 0)  # every file counts as large
    package = {**PACKAGE, "client.py": "import os\nB=os.sep\n"}
    one_pass = format_python(package)
    memo = Memo(tmp_path / "format")
    early = formatting.EarlyFormat(package, (), memo)
    early.add("handlers.py", package["handlers.py"])
    early.add("client.py", "import os\nC=os.sep\n")
    early.add("client.py", package["client.py"])
    early.add_all({"models.py": package["models.py"], "README.md": "not python\n"})
    assert format_python(package, memo=memo, early=early) == one_pass
    assert sorted(ruff_calls[1:]) == [["client.py"], ["client.py"], ["handlers.py"], ["models.py"]]
    early = formatting.EarlyFormat(package, (), memo)
    early.add_all(package)
    assert format_python(package, memo=memo, early=early) == one_pass
    assert len(ruff_calls) == 5


def test_small_files_are_left_to_the_final_pass(ruff_calls: list[list[str]]) -> None:
    """A ruff run costs about what 100 KB of code does: small files handed over one by one
    are formatted together, by the final pass."""
    package = {**PACKAGE, "client.py": "import os\nB=os.sep\n"}
    early = formatting.EarlyFormat(package, ())
    for path, text in package.items():
        early.add(path, text)
    assert format_python(package, early=early) == format_python(package)
    assert ruff_calls == [["client.py", "handlers.py", "models.py"]] * 2


def test_early_formatting_among_other_modules_is_not_used(ruff_calls: list[list[str]]) -> None:
    """Import sorting reads which top-level modules exist: a package that came with another
    module than the early pass was told of is formatted again, whole."""
    early = early_format(READY)
    package = {**PACKAGE, "json.py": "x = 1\n"}  # now a first-party module named json
    assert format_python(package, early=early) == format_python(package)
    early.wait()
    assert ruff_calls.count(["handlers.py", "json.py", "models.py"]) == 2


def test_a_failure_in_the_early_pass_is_reported_by_the_final_one() -> None:
    broken = {**READY, "handlers.py": "def (:\n"}
    early = early_format(broken)
    with pytest.raises(SpecError) as caught:
        format_python({**broken, "models.py": "A = 1\n"}, early=early)
    assert [d.code for d in caught.value.diagnostics] == ["SG590"]


@pytest.mark.parametrize(
    "spec", [SPEC, ROOT / "tests" / "corpus" / "webhooks.yaml"], ids=["martian", "webhooks"]
)
def test_the_early_pass_leaves_only_models_py(
    spec: Path, tmp_path: Path, ruff_calls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a spare process for models.py, ruff formats the other files while models.py is
    awaited, among the modules the package ends with (a webhook sender's runtime module
    too): the final pass formats models.py alone. Without one, models.py comes first, each
    template's file (a large one: here all are made to count as large) is formatted on its
    own as soon as it is rendered, and the final pass formats the rest (the runtime
    modules, which a warm run's memo holds). The package is what one pass makes."""
    final: list[list[str]] = []
    real = formatting._format

    def spy(files: object, sources: object, todo: list[str], settings: list[str]) -> object:
        final.append(list(todo))
        return real(files, sources, todo, settings)  # type: ignore[arg-type]

    monkeypatch.setattr(formatting, "_format", spy)
    monkeypatch.setenv("SPECGEN_JOBS", "2")
    config = ApiConfig("api", (spec,), tmp_path / "out", styles=("fastapi", "httpx"), root=tmp_path)
    package = render_api(config, Options(memo=False)).files
    assert final == [["models.py"]]
    assert any({"handlers.py", "client.py"} <= set(call) for call in ruff_calls)
    del ruff_calls[:]
    monkeypatch.setenv("SPECGEN_JOBS", "1")
    monkeypatch.setattr(formatting, "_ON_ITS_OWN", 0)  # every file counts as large
    assert render_api(config, Options(memo=False)).files == package
    assert ["handlers.py"] in ruff_calls and ["client.py"] in ruff_calls
    assert ["models.py"] in ruff_calls
    assert len(final) == 2 and not {"handlers.py", "client.py", "models.py"} & set(final[1])
    assert format_python(package) == package
