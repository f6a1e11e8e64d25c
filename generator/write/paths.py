"""Relative output paths: the only shape of path the write stage accepts.

Callers build these paths themselves, but a path that escapes the output folder would let a
spec name overwrite anything the user can write, so every entry point checks them again.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from generator.diagnostics import Diagnostic, SpecError, error

MANIFEST_NAME = ".specgen-manifest.json"


def path_problem(path: str) -> str:
    """Why `path` is not a safe, normalised, relative posix path ("" when it is one)."""
    if not path:
        return "is empty"
    if "\x00" in path or "\\" in path:
        return "contains a NUL byte or a backslash"
    if path.startswith("/"):
        return "is absolute"
    parts = path.split("/")
    if ".." in parts:
        return "contains '..'"
    if posixpath.normpath(path) != path or "." in parts:
        return "is not normalised (empty, '.' or trailing components)"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8"
    return ""


def check_paths(paths: Iterable[str], *, what: str = "generated file") -> None:
    """Raise SG603 for every unsafe path, and for paths that collide with each other.

    Two collisions are rejected even though a Linux file system would accept one of them:
    a path that is both a file and a folder ("a" and "a/b"), and paths that differ only by
    case, which would overwrite each other on macOS and Windows checkouts.
    """
    problems: list[Diagnostic] = []
    valid: list[str] = []
    for path in paths:
        problem = path_problem(path)
        if problem:
            problems.append(_sg603(f"{what} path {path!r} {problem}"))
        elif path == MANIFEST_NAME:
            problems.append(_sg603(f"{what} path {path!r} is reserved for specgen's manifest"))
        else:
            valid.append(path)
    by_fold: dict[str, str] = {}
    for path in sorted(valid):
        other = by_fold.setdefault(path.casefold(), path)
        if other != path:
            problems.append(_sg603(f"{what} paths {other!r} and {path!r} differ only by case"))
    files = set(valid)
    for path in sorted(valid):
        for parent in parents(path):
            if parent in files:
                problems.append(_sg603(f"{what} path {parent!r} is also a folder of {path!r}"))
                break
    if problems:
        raise SpecError(problems)


def parents(path: str) -> list[str]:
    """The folders above `path`, outermost first: "a/b/c.py" -> ["a", "a/b"]."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _sg603(message: str) -> Diagnostic:
    return error(
        "SG603",
        message,
        hint="this is a specgen bug: output paths must be relative, normalised and inside the "
        "output folder; please report it with the spec that triggered it",
    )
