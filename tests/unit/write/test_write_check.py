"""compare_package: read-only diffs that agree with what write_package would do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.write import MANIFEST_NAME, compare_package, write_package

FILES = {"models.py": "a = 1\nb = 2\n", "routes/items.py": "y = 2\n"}


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.lstat().st_ino, p.lstat().st_mtime_ns) for p in [root, *root.rglob("*")]}


def test_clean_after_write(tmp_path: Path) -> None:
    write_package(tmp_path / "out", FILES)
    result = compare_package(tmp_path / "out", FILES)
    assert result.is_clean
    assert result.files == ()
    assert result.render() == f"{tmp_path / 'out'}: up to date"


def test_changed_added_and_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "user.txt").write_text("not ours, never stale")
    expected = {"models.py": "a = 1\nb = 3\n", "new.py": "z = 0\n"}
    result = compare_package(out, expected)
    assert not result.is_clean
    assert (result.changed, result.added, result.stale) == (
        ("models.py",),
        ("new.py",),
        ("routes/items.py",),
    )
    diffs = {item.path: item.diff for item in result.files}
    assert diffs["models.py"] == (
        "--- a/models.py\n+++ b/models.py\n@@ -1,2 +1,2 @@\n a = 1\n-b = 2\n+b = 3\n"
    )
    assert diffs["new.py"] == "--- a/new.py\n+++ b/new.py\n@@ -0,0 +1 @@\n+z = 0\n"
    assert diffs["routes/items.py"].endswith("@@ -1 +0,0 @@\n-y = 2\n")
    assert result.manifest_outdated


def test_hand_edits_are_noted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "models.py").write_text("edited\n")
    [item] = compare_package(out, FILES).files
    assert (item.status, item.note) == ("changed", "edited since specgen wrote it")
    # A file that is out of date but untouched since generation carries no such note.
    [item] = compare_package(out, {**FILES, "routes/items.py": "y = 3\n"}).files[1:]
    assert item.note == ""


def test_missing_folder_reports_everything_added(tmp_path: Path) -> None:
    result = compare_package(tmp_path / "nowhere", FILES)
    assert result.added == tuple(sorted(FILES))
    assert result.manifest_outdated
    assert not (tmp_path / "nowhere").exists()


def test_matching_files_without_manifest_are_not_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / MANIFEST_NAME).unlink()
    result = compare_package(out, FILES)
    assert result.files == ()
    assert result.manifest_outdated and not result.is_clean
    assert "out of date" in result.render()


def test_clean_exactly_when_a_write_would_change_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    for files in (FILES, {**FILES, "models.py": "x\n"}, {"models.py": FILES["models.py"]}):
        clean = compare_package(out, files).is_clean
        assert clean == (not write_package(out, files).changed)
        assert compare_package(out, files).is_clean


def test_check_never_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    leftover = tmp_path / ".out.specgen-new-0123456789ab"
    leftover.mkdir()
    before, siblings = stamps(out), sorted(os.listdir(tmp_path))
    compare_package(out, {"other.py": "x\n"})
    assert stamps(out) == before
    assert sorted(os.listdir(tmp_path)) == siblings


def test_render_truncates_long_diffs(tmp_path: Path) -> None:
    long = {"big.py": "".join(f"line{i}\n" for i in range(100))}
    text = compare_package(tmp_path / "out", long).render(max_lines=10)
    lines = text.splitlines()
    assert len(lines) == 11
    assert lines[0].endswith("0 changed, 1 added, 0 stale, .specgen-manifest.json out of date")
    assert lines[1] == "added: big.py"
    assert lines[-1].startswith("... diff truncated: ")


def test_missing_final_newline_is_visible(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, {"a.py": "x = 1"})
    [item] = compare_package(out, {"a.py": "x = 1\n"}).files
    assert "\\ No newline at end of file" in item.diff


def test_symlinks_are_reported_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not print me\n")
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "models.py").unlink()
    (out / "models.py").symlink_to(secret)
    [item] = compare_package(out, FILES).files
    assert (item.status, item.note) == ("changed", "a symlink on disk, not a file")
    assert "do not print me" not in item.diff
    link = tmp_path / "link"
    link.symlink_to(out, target_is_directory=True)
    with pytest.raises(SpecError) as caught:
        compare_package(link, FILES)
    assert [d.code for d in caught.value.diagnostics] == ["SG602"]


def test_unsafe_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        compare_package(tmp_path, {"../etc/passwd": ""})
    assert [d.code for d in caught.value.diagnostics] == ["SG603"]
