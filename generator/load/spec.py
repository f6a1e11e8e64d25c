"""Loaded documents: the data, where every node came from, and the merged view of one API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Location


@dataclass(frozen=True)
class SourceFile:
    """One file as read from disk.

    `positions` maps a JSON pointer ("" for the root, "/paths/~1v1~1x/post") to the 1-based
    (line, column) of that node in `path`. For a Markdown page the positions are those of the
    page itself, not of the extracted block, so diagnostics point into the file the user has.
    """

    path: Path
    display: str  # path as shown in diagnostics (relative to the working directory when possible)
    sha256: str  # hash of the raw bytes
    data: Any
    positions: Mapping[str, tuple[int, int]]
    # What reading it found and took (a character only JSON allows): warnings.
    notes: tuple[Diagnostic, ...] = ()

    def locate(self, pointer: str) -> Location:
        """The location of `pointer`, or of its nearest ancestor that has one."""
        probe = pointer
        while True:
            pos = self.positions.get(probe)
            if pos is not None:
                return Location(self.display, pos[0], pos[1], pointer)
            if not probe:
                return Location(self.display, 1, 1, pointer)
            probe = probe.rsplit("/", 1)[0]


@dataclass(frozen=True)
class Origin:
    """A subtree of the merged document and where it came from."""

    source: SourceFile
    pointer: str  # pointer of the subtree inside `source`


@dataclass(frozen=True)
class Spec:
    """One API: the merged document of one or more files, with every `$ref` local (`#/...`).

    `origins` maps a pointer prefix of `document` to the file and pointer it came from; the
    longest matching prefix wins. The root "" maps to the first file.
    """

    document: dict[str, Any]
    sources: tuple[SourceFile, ...]  # the files named (the roots) first, then those they `$ref`
    origins: Mapping[str, Origin] = field(default_factory=dict)
    root_count: int = 1  # how many of `sources` are roots

    @property
    def roots(self) -> tuple[SourceFile, ...]:
        return self.sources[: self.root_count]

    def locate(self, pointer: str) -> Location:
        probe = pointer
        while True:
            origin = self.origins.get(probe)
            if origin is not None:
                inner = origin.pointer + pointer[len(probe) :]
                loc = origin.source.locate(inner)
                return Location(loc.file, loc.line, loc.column, pointer)
            if not probe:
                return Location(self.sources[0].display, 1, 1, pointer)
            probe = probe.rsplit("/", 1)[0]


def source_paths(spec: Spec) -> tuple[Path, ...]:
    return tuple(s.path for s in spec.sources)


__all__ = [
    "Origin",
    "SourceFile",
    "Spec",
    "source_paths",
]
