"""The cache's entries and folder check on real files: round trip, strict reading, atomic
replacement, pruning, and what makes a package folder no longer the one its entry recorded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cache import Entry, PackageEntry, package_fingerprint
from generator.cache.entry import KEPT, CacheProblem, read_entry, write_entry
from generator.cache.outputs import MANIFEST_NAME, swap_prefix
from generator.diagnostics import Location, warning
from generator.write import write_package
from generator.write.paths import MANIFEST_NAME as WRITE_MANIFEST_NAME
from generator.write.swap import sibling

FILES = {"__init__.py": "", "models.py": "x = 1\n", "routes/items.py": "y = 2\n"}


def entry(inputs: str = "a" * 64) -> Entry:
    diagnostic = warning("SG314", "twice", "once is enough", Location("s.yaml", 3, 4, "/x"))
    package = PackageEntry("/p/pets", "b" * 64, "pets: ...", {"name": "pets", "n": [1]}, "ok")
    return Entry(inputs, "c" * 64, {"/p/spec.yaml": "d" * 64}, (package,), (diagnostic,))


def test_the_copied_names_match_the_write_stage() -> None:
    assert MANIFEST_NAME == WRITE_MANIFEST_NAME
    out = Path("/x/generated/pets")
    assert sibling(out, "new", "t").name.startswith(swap_prefix(out))


def test_an_entry_round_trips_and_is_replaced_whole(tmp_path: Path) -> None:
    write_entry(tmp_path, entry())
    assert read_entry(tmp_path, "a" * 64) == entry()
    assert read_entry(tmp_path, "e" * 64) is None
    write_entry(tmp_path, entry())
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore", f"{'a' * 64}.json"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"specgen_cache": 1, "inputs"', "not valid JSON"),
        (b'{"specgen_cache": 2}', "not a format 1"),
        (b'{"specgen_cache": 1, "inputs": "x"}', "malformed"),
    ],
)
def test_an_unusable_entry_says_why(tmp_path: Path, content: bytes, why: str) -> None:
    (tmp_path / f"{'a' * 64}.json").write_bytes(content)
    with pytest.raises(CacheProblem, match=why):
        read_entry(tmp_path, "a" * 64)


def test_an_entry_under_another_name_is_refused(tmp_path: Path) -> None:
    write_entry(tmp_path, entry())
    os.rename(tmp_path / f"{'a' * 64}.json", tmp_path / f"{'f' * 64}.json")
    with pytest.raises(CacheProblem, match="other inputs"):
        read_entry(tmp_path, "f" * 64)


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for n in range(KEPT + 4):
        write_entry(tmp_path, entry(f"{n:064d}"))
    assert len(list(tmp_path.glob("*.json"))) == KEPT


def test_a_package_is_what_its_manifest_says_until_anything_changes(tmp_path: Path) -> None:
    out = tmp_path / "pets"
    write_package(out, FILES)
    fingerprint = package_fingerprint(out)
    assert fingerprint is not None
    (out / "notes.txt").write_text("mine")  # files the user adds are theirs
    assert package_fingerprint(out) == fingerprint

    (out / "models.py").write_text("x = 2\n")
    assert package_fingerprint(out) is None
    (out / "models.py").write_text("x = 1\n")
    assert package_fingerprint(out) == fingerprint

    (out / "models.py").unlink()
    (out / "models.py").symlink_to(out / "notes.txt")
    assert package_fingerprint(out) is None


def test_a_symlinked_folder_or_swap_leftovers_are_no_match(tmp_path: Path) -> None:
    out = tmp_path / "pets"
    write_package(out, FILES)
    fingerprint = package_fingerprint(out)
    leftover = sibling(out, "old", "abc")
    leftover.mkdir()
    assert package_fingerprint(out) is None
    leftover.rmdir()

    os.rename(out / "routes", tmp_path / "routes")
    (out / "routes").symlink_to(tmp_path / "routes")
    assert package_fingerprint(out) is None
    (out / "routes").unlink()
    os.rename(tmp_path / "routes", out / "routes")
    assert package_fingerprint(out) == fingerprint
    assert package_fingerprint(tmp_path / "missing") is None
