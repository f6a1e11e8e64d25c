"""Reading one file: bytes, encodings, size limit, display path, Markdown pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostic, SpecError
from generator.load.files import DEFAULT_MAX_BYTES, FileSet, display_path, load_file

SPEC = b"openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\npaths: {}\n"


def failure(path: Path, **kwargs: int) -> Diagnostic:
    with pytest.raises(SpecError) as caught:
        load_file(path, **kwargs)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


def test_yaml_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api").mkdir()
    path = tmp_path / "api" / "spec.yaml"
    path.write_bytes(SPEC)
    source = load_file(Path("api/spec.yaml"))
    assert source.display == "api/spec.yaml"
    assert source.path == path
    assert source.sha256 == hashlib.sha256(SPEC).hexdigest()
    assert source.data["info"] == {"title": "T", "version": "1"}
    assert source.locate("/info/title").line == 3


def test_display_is_absolute_outside_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    assert display_path(Path("../x.yaml")) == (tmp_path / "x.yaml").as_posix()


def test_json_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{\n  "openapi": "3.1.0",\n  "paths": {"/a": {}}\n}\n', "utf-8")
    source = load_file(path)
    assert source.data == {"openapi": "3.1.0", "paths": {"/a": {}}}
    assert source.positions["/paths/~1a"] == (3, 13)


def test_bom_is_stripped_and_hashed_with_the_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    raw = b"\xef\xbb\xbf" + SPEC
    path.write_bytes(raw)
    source = load_file(path)
    assert next(iter(source.data)) == "openapi"
    assert source.positions["/openapi"] == (1, 1)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_crlf(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(SPEC.replace(b"\n", b"\r\n"))
    source = load_file(path)
    assert source.data["info"]["title"] == "T"
    assert source.positions["/paths"] == (5, 1)


def test_non_utf8_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"\xef\xbb\xbfopenapi: 3.1.0\ninfo:\n  title: \xc3\xa9t\xe9\n")
    diagnostic = failure(path)
    assert diagnostic.code == "SG103"
    assert diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.column) == (3, 12)
    assert "byte 0xe9 at offset 36" in diagnostic.message


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(SPEC)
    diagnostic = failure(path, max_bytes=10)
    assert diagnostic.code == "SG106"
    assert "10-byte limit" in diagnostic.message and "--max-spec-size" in diagnostic.hint
    assert load_file(path, max_bytes=len(SPEC)).data["openapi"] == "3.1.0"
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = failure(tmp_path / "nope.yaml")
    assert missing.code == "SG100" and missing.message == "file not found"
    assert missing.location is not None and missing.location.file.endswith("nope.yaml")
    directory = failure(tmp_path)
    assert directory.code == "SG100" and "directory" in directory.message


def test_file_set_loads_each_file_once_and_keeps_failures(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_bytes(SPEC)
    files = FileSet(DEFAULT_MAX_BYTES)
    first = files.load(good)
    assert first is not None and files.load(tmp_path / "." / "good.yaml") is first
    assert files.load(tmp_path / "bad.yaml") is None
    assert files.load(tmp_path / "bad.yaml") is None
    assert [d.code for d in files.diagnostics] == ["SG100"]
    assert files.sources == (first,)


def test_a_character_only_json_allows_is_read_from_json_with_a_warning(tmp_path: Path) -> None:
    """A raw C1 control in a JSON string (SendGrid's spec has U+009F): JSON allows it, YAML
    does not; the JSON file loads, with SG107 where it is. YAML still refuses it (SG101)."""
    text = '{\n  "openapi": "3.1.0",\n  "info": {"title": "T\u009f", "version": "1"}\n}\n'
    path = tmp_path / "spec.json"
    path.write_text(text, "utf-8")
    source = load_file(path)
    assert source.data["info"]["title"] == "T\u009f"
    (note,) = source.notes
    assert note.code == "SG107" and note.severity.value == "warning"
    assert note.location is not None
    assert (note.location.line, note.location.column) == (3, 23)
    files = FileSet(DEFAULT_MAX_BYTES)
    assert files.load(path) is not None and files.diagnostics == [note]
    yaml_path = tmp_path / "spec.yaml"
    yaml_path.write_text(text.replace('"T\u009f"', "T\u009f"), "utf-8")  # not JSON now
    assert failure(yaml_path).code == "SG101"
    assert load_file(tmp_path / "spec.json").notes  # a plain JSON file is still JSON
    plain = tmp_path / "plain.json"
    plain.write_text(text.replace("\u009f", ""), "utf-8")
    assert load_file(plain).notes == ()
