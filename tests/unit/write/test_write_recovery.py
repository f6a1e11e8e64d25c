"""Leftovers of interrupted runs: recovered by the next write, or refused when unclear."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.write import write_package

FILES = {"models.py": "x = 1\n"}
TOKEN = "0123456789ab"


def test_stale_staging_folder_is_removed_even_when_nothing_changes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    stale = tmp_path / f".out.specgen-new-{TOKEN}"
    (stale / "half").mkdir(parents=True)
    assert not write_package(out, FILES).changed
    assert os.listdir(tmp_path) == ["out"]


def test_retired_copy_is_put_back_when_the_folder_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "user.txt").write_text("mine")
    out.rename(tmp_path / f".out.specgen-old-{TOKEN}")
    (tmp_path / f".out.specgen-new-{TOKEN}").mkdir()
    assert not write_package(out, FILES).changed
    assert (out / "user.txt").read_text() == "mine"
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_retired_copy_is_deleted_after_a_completed_swap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (tmp_path / f".out.specgen-old-{TOKEN}" / "pkg").mkdir(parents=True)
    write_package(out, FILES)
    assert os.listdir(tmp_path) == ["out"]


def test_folder_recreated_mid_swap_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    for kind in ("old", "new"):
        (tmp_path / f".out.specgen-{kind}-{TOKEN}").mkdir()
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES)
    assert [d.code for d in caught.value.diagnostics] == ["SG606"]
    assert len(os.listdir(tmp_path)) == 3  # nothing deleted while it is unclear


def test_lookalike_names_of_other_folders_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    others = [".out.specgen-new-notatoken", ".out.specgen-old-", ".outer.specgen-new-" + TOKEN]
    for name in others:
        (tmp_path / name).mkdir()
    write_package(out, FILES)
    write_package(out, {"models.py": "changed\n"})
    assert sorted(os.listdir(tmp_path)) == sorted([*others, "out"])


def test_sibling_api_folders_are_not_touched(tmp_path: Path) -> None:
    write_package(tmp_path / "a", FILES)
    write_package(tmp_path / "b", FILES)
    write_package(tmp_path / "a", {"models.py": "changed\n"})
    assert (tmp_path / "b" / "models.py").read_text() == "x = 1\n"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]
