"""Reading one spec file from disk: .yaml, .yml, .json, or a Markdown page (.md)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from generator.cache.memo import Memo
from generator.diagnostics import Diagnostic, Location, SpecError, error, warning
from generator.load.incremental import parse_file
from generator.load.json_text import parse_json
from generator.load.markdown import extract_openapi_block
from generator.load.spec import SourceFile
from generator.load.yaml_loader import DEFAULT_MAX_NODES

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is under it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def project_path(path: Path, root: Path) -> str:
    """`path` relative to the project root `root` (`..` where it lies outside), posix style:
    what generated headers and manifests record, so that they do not depend on the working
    directory a command runs in."""
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive (Windows): no relative path exists
        return Path(absolute).as_posix()


def decode_bytes(raw: bytes, display: str) -> str:
    """UTF-8 text without a BOM, or SG103 naming where the first bad byte is."""
    skip = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skip
        line_start = raw.rfind(b"\n", 0, offset) + 1
        line = raw.count(b"\n", 0, offset) + 1
        column = len(raw[max(line_start, skip) : offset].decode("utf-8")) + 1
        message = f"not valid UTF-8: byte 0x{raw[offset]:02x} at offset {offset}"
        hint = "save the file as UTF-8 (specs are UTF-8 by definition, JSON and YAML alike)"
        raise SpecError([error("SG103", message, hint, Location(display, line, column))]) from None


def _too_big(display: str, size: int, max_bytes: int) -> SpecError:
    message = f"file is {size:,} bytes, over the {max_bytes:,}-byte limit"
    hint = "--max-spec-size raises the limit (it protects against runaway inputs)"
    return SpecError([error("SG106", message, hint, Location(display))])


def read_bytes(path: Path, display: str, max_bytes: int) -> bytes:
    """The raw bytes, refusing a file over `max_bytes` before reading all of it."""
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_bytes:
                raise _too_big(display, size, max_bytes)
            raw = stream.read(max_bytes + 1)  # st_size lies for pipes and /proc files
    except FileNotFoundError:
        hint = "check the path (relative to the working directory or the config file)"
        raise SpecError([error("SG100", "file not found", hint, Location(display))]) from None
    except IsADirectoryError:
        message = "is a directory, not a spec file"
        hint = "name the spec file inside it"
        raise SpecError([error("SG100", message, hint, Location(display))]) from None
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        hint = "check the file's permissions"
        raise SpecError([error("SG100", message, hint, Location(display))]) from None
    if len(raw) > max_bytes:
        raise _too_big(display, len(raw), max_bytes)
    return raw


def load_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, memo: Memo | None = None
) -> SourceFile:
    """Read, decode and parse one file; raises SpecError (SG1xx) with its location. `memo`
    keeps the parse of a large file, to parse only what an edit changed next time
    (load/incremental.py)."""
    display = display_path(path)
    raw = read_bytes(path, display, max_bytes)
    text = decode_bytes(raw, display)
    line_offset = 0
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        text, first_line = extract_openapi_block(text, display)
        line_offset = first_line - 1
    absolute = Path(os.path.abspath(path))
    # Plain JSON by the json module (load/json_text.py), else YAML, whose parse of a large
    # file is kept to parse only what changed next time.
    parsed = parse_json(text, line_offset=line_offset, max_nodes=DEFAULT_MAX_NODES)
    if parsed is None:
        parsed = parse_file(
            text,
            display,
            absolute,
            line_offset=line_offset,
            max_nodes=DEFAULT_MAX_NODES,
            memo=memo,
        )
    notes: tuple[Diagnostic, ...] = ()
    if parsed.json_only is not None:
        line, column, char = parsed.json_only
        message = (
            f"character U+{ord(char):04X} in a string, which JSON allows and YAML does not: "
            "read as JSON reads it"
        )
        hint = "escape it (\\u" + f"{ord(char):04x}) so that YAML tools read the file too"
        notes = (warning("SG107", message, hint, Location(display, line, column)),)
    return SourceFile(
        path=absolute,
        display=display,
        sha256=hashlib.sha256(raw).hexdigest(),
        data=parsed.data,
        positions=parsed.positions,
        notes=notes,
    )


class FileSet:
    """Every file loaded for one spec, each read once, in the order first asked for."""

    def __init__(self, max_bytes: int, memo: Memo | None = None) -> None:
        self.max_bytes = max_bytes
        self.memo = memo
        self._files: dict[Path, SourceFile | None] = {}  # by resolved path; None: failed
        self.diagnostics: list[Diagnostic] = []

    def load(self, path: Path) -> SourceFile | None:
        key = path.resolve()
        if key not in self._files:
            try:
                loaded = self._files[key] = load_file(
                    path, max_bytes=self.max_bytes, memo=self.memo
                )
                self.diagnostics.extend(loaded.notes)
            except SpecError as exc:
                self._files[key] = None
                self.diagnostics.extend(exc.diagnostics)
        return self._files[key]

    @property
    def sources(self) -> tuple[SourceFile, ...]:
        return tuple(f for f in self._files.values() if f is not None)
