"""format_python: pinned ruff, one batch, immune to the user's configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.write import format_python, formatting

MESSY = """\
import sys
import os
from pkg.b import x
import httpx
def f( a,b ):
    return os.path.join(a,b,x,httpx.URL('u'))
"""

TIDY = """\
import os

import httpx

from pkg.b import x


def f(a, b):
    return os.path.join(a, b, x, httpx.URL("u"))
"""


def test_sorts_imports_drops_unused_and_formats() -> None:
    result = format_python({"pkg/a.py": MESSY, "pkg/b.py": "x=1\n"})
    assert result == {"pkg/a.py": TIDY, "pkg/b.py": "x = 1\n"}


def test_non_python_files_pass_through_untouched() -> None:
    files = {"README.md": "keep   this \r\n", "py.typed": "", "a.pyi": "x:int"}
    assert format_python(files) == files


def test_formatting_is_deterministic_and_idempotent() -> None:
    files = {"pkg/a.py": MESSY, "pkg/b.py": "x=1\n", "pkg/__init__.py": "from .b import x\n"}
    once = format_python(files)
    assert format_python(dict(reversed(files.items()))) == once
    assert format_python(once) == once


def test_reexports_in_init_are_kept() -> None:
    # F401's fix for __init__.py is unsafe and so never applied: re-exports survive.
    source = "from .b import x\nfrom .a import f\n"
    result = format_python({"pkg/__init__.py": source, "pkg/a.py": "", "pkg/b.py": ""})
    assert result["pkg/__init__.py"] == "from .a import f\nfrom .b import x\n"


def test_first_party_names_sort_after_third_party() -> None:
    source = "from braintrust.models import M\nimport httpx\nprint(M, httpx)\n"
    plain = format_python({"server.py": source})["server.py"]
    assert plain == "import httpx\nfrom braintrust.models import M\n\nprint(M, httpx)\n"
    ours = format_python({"server.py": source}, first_party=["braintrust"])["server.py"]
    assert ours == "import httpx\n\nfrom braintrust.models import M\n\nprint(M, httpx)\n"


def test_files_in_folders_ruff_would_exclude_are_still_formatted() -> None:
    files = {"build/a.py": "x=1\n", ".hidden/b.py": "y=2\n", "venv/c.py": "z=3\n"}
    assert format_python(files) == {
        "build/a.py": "x = 1\n",
        ".hidden/b.py": "y = 2\n",
        "venv/c.py": "z = 3\n",
    }


def test_user_configuration_and_environment_are_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ruff.toml").write_text(
        "line-length = 20\n[format]\nquote-style = 'single'\nline-ending = 'cr-lf'\n"
    )
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 20\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RUFF_OUTPUT_FILE", str(tmp_path / "hijacked.txt"))
    monkeypatch.setenv("RUFF_CACHE_DIR", str(tmp_path / "cache"))
    source = 'value = {"first": 1, "second": 2, "third": 3}\n'
    assert format_python({"m.py": source}) == {"m.py": source}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml", "ruff.toml"]


def test_syntax_error_is_a_generator_bug_naming_file_and_line() -> None:
    files = {"ok.py": "x = 1\n", "api/bad.py": "x = 1\ndef f(:\n    pass\n"}
    with pytest.raises(SpecError) as caught:
        format_python(files)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "SG590"
    assert diagnostic.location is not None
    assert (diagnostic.location.file, diagnostic.location.line) == ("api/bad.py", 2)
    assert "api/bad.py is not valid Python" in diagnostic.message
    assert "Expected" in diagnostic.message
    assert "specgen bug" in diagnostic.hint


def test_every_broken_file_is_reported() -> None:
    with pytest.raises(SpecError) as caught:
        format_python({"a.py": "class\n", "b.py": "def (\n", "c.py": "ok = 1\n"})
    assert [d.location.file for d in caught.value.diagnostics if d.location] == ["a.py", "b.py"]


@pytest.mark.parametrize("path", ["../x.py", "/etc/x.py", "a/../../x.py"])
def test_paths_outside_the_temporary_folder_are_refused(path: str) -> None:
    with pytest.raises(SpecError) as caught:
        format_python({path: "x = 1\n"})
    assert [d.code for d in caught.value.diagnostics] == ["SG603"]


@pytest.mark.parametrize(
    "text",
    [
        MESSY,
        TIDY,
        "import os,sys\nx=os.sep\n",
        "__all__ = ['b', 'a']\nfrom os import sep as a, sep as b\n",
    ],
    ids=["messy", "tidy", "unused", "unsorted-all"],
)
def test_one_file_formatted_beside_its_check_is_what_the_passes_in_turn_write(
    tmp_path: Path, text: str
) -> None:
    """A file formatted alone has its format pass started beside its check pass, on the
    text as handed over; where the check fixes something, that answer is dropped. Either
    way the file is what the two passes in turn write (as for several files at once)."""
    settings = formatting._settings(())
    texts = {"pkg/a.py": text, "pkg/b.py": "x = 1\n"}
    alone, together = tmp_path / "alone", tmp_path / "together"
    for root in (alone, together):
        formatting._write_sources(root, texts, sorted(texts))
    single = formatting._run_ruff(alone, ["pkg/a.py"], settings)
    assert single == {
        "pkg/a.py": formatting._run_ruff(together, sorted(texts), settings)["pkg/a.py"]
    }


def test_a_syntax_error_in_one_file_stops_its_format_pass_too(tmp_path: Path) -> None:
    formatting._write_sources(tmp_path, {"a.py": "def (:\n"}, ["a.py"])
    with pytest.raises(SpecError) as caught:
        formatting._run_ruff(tmp_path, ["a.py"], formatting._settings(()))
    assert [d.code for d in caught.value.diagnostics] == ["SG590"]
