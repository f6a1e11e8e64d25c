"""write_package on real folders: ownership, refusals, symlinks, modes, no-op runs."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from generator.diagnostics import SpecError
from generator.write import MANIFEST_NAME, WriteReport, write_package

FILES = {"__init__.py": "", "models.py": "x = 1\n", "routes/items.py": "y = 2\n"}


def tree(root: Path) -> dict[str, str]:
    """Every file below `root` and its text (symlinks as '-> target')."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = "-> " + os.readlink(path)
        elif path.is_file():
            found[rel] = path.read_text()
    return found


def stamps(root: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of the folder and everything in it."""
    items = [root, *root.rglob("*")]
    return {str(p): (p.lstat().st_ino, p.lstat().st_mtime_ns) for p in items}


def codes(caught: pytest.ExceptionInfo[SpecError]) -> list[str]:
    return [d.code for d in caught.value.diagnostics]


def test_first_write_creates_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "generated" / "api"
    report = write_package(out, FILES)
    assert report == WriteReport(written=tuple(sorted(FILES)), unchanged=(), deleted=())
    manifest = (out / MANIFEST_NAME).read_text()
    assert manifest.endswith("}\n")
    assert sorted(json.loads(manifest)["files"]) == sorted(FILES)
    assert {k: v for k, v in tree(out).items() if k != MANIFEST_NAME} == FILES
    assert os.listdir(tmp_path / "generated") == ["api"]  # no staging leftovers


def test_the_report_names_the_manifest_the_folder_has(tmp_path: Path) -> None:
    """Whether the write changed the folder or found nothing to do: the digest of the
    manifest on disk (the no-op cache records it)."""
    out = tmp_path / "api"
    for files, record in ((FILES, {"a": 1}), (FILES, {"a": 1}), ({"x.py": ""}, {"a": 2})):
        report = write_package(out, files, generation=record)
        digest = hashlib.sha256((out / MANIFEST_NAME).read_bytes()).hexdigest()
        assert report.manifest == digest


def test_manifest_is_deterministic(tmp_path: Path) -> None:
    write_package(tmp_path / "a", FILES)
    write_package(tmp_path / "b", dict(reversed(FILES.items())))
    assert (tmp_path / "a" / MANIFEST_NAME).read_bytes() == (
        tmp_path / "b" / MANIFEST_NAME
    ).read_bytes()


def test_text_is_written_exactly_as_given(tmp_path: Path) -> None:
    files = {"a.txt": "crlf\r\nstays\r\n", "b.py": "s = 'héllo ✓'\n", "c.py": "no newline"}
    write_package(tmp_path / "out", files)
    for path, text in files.items():
        assert (tmp_path / "out" / path).read_bytes() == text.encode("utf-8")


def test_second_identical_write_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "notes.txt").write_text("mine")
    before, siblings = stamps(out), os.listdir(tmp_path)
    report = write_package(out, FILES)
    assert report.written == report.deleted == ()
    assert report.unchanged == tuple(sorted(FILES))
    assert not report.changed
    assert stamps(out) == before
    assert os.listdir(tmp_path) == siblings


def test_changed_file_is_rewritten_and_unchanged_ones_keep_their_inode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    before = stamps(out)
    report = write_package(out, {**FILES, "models.py": "x = 2\n"})
    assert report.written == ("models.py",)
    assert report.unchanged == ("__init__.py", "routes/items.py")
    assert (out / "models.py").read_text() == "x = 2\n"
    after = stamps(out)
    for name in ("__init__.py", "routes/items.py"):
        assert after[str(out / name)] == before[str(out / name)]
    assert after[str(out / "models.py")] != before[str(out / "models.py")]


def test_files_no_longer_produced_are_deleted_only_if_owned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "routes" / "custom.py").write_text("mine")
    (out / "old").mkdir()
    (out / "empty_user_dir").mkdir()
    report = write_package(out, {"__init__.py": "", "models.py": "x = 1\n", "old/new.py": "z\n"})
    assert report.deleted == ("routes/items.py",)
    on_disk = {k: v for k, v in tree(out).items() if k != MANIFEST_NAME}
    assert on_disk == {
        "__init__.py": "",
        "models.py": "x = 1\n",
        "old/new.py": "z\n",
        "routes/custom.py": "mine",
    }
    assert (out / "empty_user_dir").is_dir()
    assert not (out / "routes" / "items.py").exists()


def test_folder_emptied_by_deletions_goes_away(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    write_package(out, {"models.py": "x = 1\n"})
    assert sorted(os.listdir(out)) == [MANIFEST_NAME, "models.py"]


def test_owned_file_can_become_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, {"models": "old file\n"})
    report = write_package(out, {"models/__init__.py": "new\n"})
    assert report.deleted == ("models",)
    assert (out / "models" / "__init__.py").read_text() == "new\n"


def test_foreign_files_keep_content_mode_inode_and_mtime(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    script = out / "run.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o751)
    os.utime(script, ns=(1_000_000_000, 1_000_000_000))
    before = script.stat()
    write_package(out, {**FILES, "models.py": "changed\n"})
    after = script.stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (
        before.st_ino,
        1_000_000_000,
        0o751,
    )


def test_folder_and_replaced_file_modes_are_preserved(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    out.chmod(0o750)
    (out / "routes").chmod(0o700)
    (out / "models.py").chmod(0o600)
    write_package(out, {k: v + "# v2\n" for k, v in FILES.items()})
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert stat.S_IMODE((out / "routes").stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "models.py").stat().st_mode) == 0o600


def test_non_empty_folder_without_manifest_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for i in range(7):
        (out / f"user{i}.txt").write_text(str(i))
    before = stamps(out)
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES)
    assert codes(caught) == ["SG601"]
    message = caught.value.diagnostics[0].message
    assert "user0.txt, user1.txt, user2.txt, user3.txt, user4.txt and 2 more" in message
    assert stamps(out) == before


def test_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    assert write_package(tmp_path / "out", FILES).written == tuple(sorted(FILES))


def test_foreign_file_at_a_produced_path_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "extra.py").write_text("mine")
    with pytest.raises(SpecError) as caught:
        write_package(out, {**FILES, "extra.py": "generated"})
    assert codes(caught) == ["SG601"]
    assert "extra.py" in caught.value.diagnostics[0].message
    assert (out / "extra.py").read_text() == "mine"


def test_force_overwrites_produced_paths_but_deletes_nothing_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "models.py").write_text("user version")
    (out / "models.py").chmod(0o640)
    (out / "keep.txt").write_text("keep")
    report = write_package(out, FILES, force=True)
    assert report.written == tuple(sorted(FILES))
    assert (out / "models.py").read_text() == "x = 1\n"
    assert stat.S_IMODE((out / "models.py").stat().st_mode) == 0o640
    assert (out / "keep.txt").read_text() == "keep"
    owned = json.loads((out / MANIFEST_NAME).read_text())["files"]
    assert sorted(owned) == sorted(FILES)
    # keep.txt never became ours: a later run without it still leaves it alone.
    write_package(out, {"models.py": "x = 1\n"})
    assert (out / "keep.txt").read_text() == "keep"


def test_broken_manifest_is_refused_and_force_treats_everything_as_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / MANIFEST_NAME).write_text('{"files": {"../../etc/passwd": "x"}}')
    with pytest.raises(SpecError) as caught:
        write_package(out, {"models.py": "x = 1\n"})
    assert codes(caught) == ["SG604"]
    write_package(out, {"models.py": "x = 1\n"}, force=True)
    assert (out / "routes" / "items.py").exists()  # not known to be ours, so kept


def test_out_dir_symlink_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    write_package(real, FILES)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    before = stamps(real)
    with pytest.raises(SpecError) as caught:
        write_package(link, {"models.py": "changed\n"}, force=True)
    assert codes(caught) == ["SG602"]
    assert stamps(real) == before


def test_target_file_symlink_to_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("precious")
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "models.py").unlink()
    (out / "models.py").symlink_to(outside)
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES, force=True)
    assert codes(caught) == ["SG602"]
    assert outside.read_text() == "precious"


def test_writing_through_a_symlinked_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    write_package(out, {"models.py": "x = 1\n"})
    (out / "routes").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES, force=True)
    assert codes(caught) == ["SG602"]
    assert list(elsewhere.iterdir()) == []


def test_foreign_symlinks_not_written_through_are_kept_as_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_package(out, FILES)
    (out / "docs").symlink_to(tmp_path, target_is_directory=True)
    write_package(out, {**FILES, "models.py": "changed\n"})
    assert os.readlink(out / "docs") == str(tmp_path)


def test_manifest_symlink_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "m.json").write_text("{}")
    (out / MANIFEST_NAME).symlink_to(tmp_path / "m.json")
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES, force=True)
    assert codes(caught) == ["SG602"]


@pytest.mark.parametrize(
    "path",
    ["../x.py", "/etc/x", "a/../b.py", "a//b.py", "./a.py", "a/", "", "a\\b.py", MANIFEST_NAME],
)
def test_unsafe_paths_are_refused_before_anything_is_written(tmp_path: Path, path: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(SpecError) as caught:
        write_package(out, {"ok.py": "", path: "x"})
    assert codes(caught) == ["SG603"]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("paths", [("a", "a/b.py"), ("Models.py", "models.py")])
def test_colliding_paths_are_refused(tmp_path: Path, paths: tuple[str, str]) -> None:
    with pytest.raises(SpecError) as caught:
        write_package(tmp_path / "out", dict.fromkeys(paths, ""))
    assert codes(caught) == ["SG603"]


def test_file_where_a_folder_is_needed_is_refused_even_with_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "routes").write_text("user file")
    with pytest.raises(SpecError) as caught:
        write_package(out, FILES, force=True)
    assert codes(caught) == ["SG605"]
    assert (out / "routes").read_text() == "user file"


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        write_package(tmp_path / "out", {"a.py": "bad \udc80"})
    assert codes(caught) == ["SG592"]


def test_file_system_errors_become_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(SpecError) as caught:
        write_package(tmp_path / "file" / "out", FILES)
    assert codes(caught) == ["SG607"]
    assert "file" in caught.value.diagnostics[0].message


def test_generation_record_lands_with_the_files(tmp_path: Path) -> None:
    """The record is part of the manifest the swap puts in place: the same record and files
    touch nothing; a new record alone swaps in a new manifest and keeps every file's inode."""
    out = tmp_path / "api"
    write_package(out, FILES, generation={"specs": {"a.yaml": "1"}})
    assert json.loads((out / MANIFEST_NAME).read_text())["generation"] == {"specs": {"a.yaml": "1"}}
    before = stamps(out)
    report = write_package(out, FILES, generation={"specs": {"a.yaml": "1"}})
    assert not report.changed and stamps(out) == before

    report = write_package(out, FILES, generation={"specs": {"a.yaml": "2"}})
    assert not report.changed  # no file changed, only the record
    assert json.loads((out / MANIFEST_NAME).read_text())["generation"] == {"specs": {"a.yaml": "2"}}
    for path in FILES:
        assert (out / path).lstat().st_ino == before[str(out / path)][0]
