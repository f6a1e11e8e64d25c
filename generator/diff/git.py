"""The old side of a comparison from a git revision: `specgen diff --base origin/main`.

The spec files are read with `git show REV:path` into a temporary folder that mirrors the
repository layout, and so are the sibling files their `$ref`s reach (followed transitively),
so that the normal loader bundles them exactly as it would in a checkout of REV.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.diagnostics import Location, SpecError, error
from generator.load.files import load_file

_TIMEOUT = 60


class NotAtRevision(Exception):
    """A spec file that does not exist at the revision (a new API)."""


class _GitFailed(Exception):
    pass


def _git(args: Sequence[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SpecError([error("SG630", f"cannot run git: {exc}")]) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(message[-1] if message else f"git exited with {done.returncode}")
    return done.stdout


def repository_root(start: Path) -> Path:
    try:
        out = _git(["rev-parse", "--show-toplevel"], start)
    except _GitFailed as exc:
        where = Location(str(start))
        raise SpecError([error("SG630", f"not in a git repository: {exc}", "", where)]) from None
    return Path(out.decode("utf-8").strip()).resolve()


def check_revision(rev: str, root: Path) -> None:
    """SG630 for a revision git does not know; NotAtRevision for HEAD before the first commit."""
    if not rev or rev.startswith("-"):
        raise SpecError([error("SG630", f"invalid revision {rev!r}")])
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except _GitFailed:
        if rev == "HEAD":  # a repository without commits (pre-commit on the first commit)
            raise NotAtRevision("the specs") from None
        hint = "fetch it first (in CI: actions/checkout with fetch-depth: 0)"
        raise SpecError([error("SG630", f"unknown git revision {rev!r}", hint)]) from None


def _show(rev: str, relative: str, root: Path) -> bytes | None:
    try:
        return _git(["show", f"{rev}:{relative}"], root)
    except _GitFailed:
        return None


def materialise(rev: str, specs: Sequence[Path], into: Path) -> tuple[list[Path], Path]:
    """Write the files of `specs` (and what their `$ref`s reach) as of `rev` under `into`.

    Returns the paths of the spec files under `into` and the repository root `into` mirrors.
    Raises NotAtRevision when none of `specs` exists at `rev`; SpecError (SG630) for git
    problems.
    """
    root = repository_root(specs[0].resolve().parent)
    check_revision(rev, root)
    roots: list[Path] = []
    pending: list[str] = []
    for spec in specs:
        try:
            relative = spec.resolve().relative_to(root).as_posix()
        except ValueError:
            where = Location(str(spec))
            raise SpecError([error("SG630", "not inside the git repository", "", where)]) from None
        pending.append(relative)
        roots.append(into / relative)
    done: set[str] = set()
    while pending:
        relative = pending.pop()
        if relative in done:
            continue
        done.add(relative)
        data = _show(rev, relative, root)
        if data is None:
            continue  # the loader reports the missing file, located at the $ref
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        pending.extend(_referenced(target, relative))
    present = [p for p in roots if p.is_file()]
    if not present:
        raise NotAtRevision(", ".join(p.relative_to(into).as_posix() for p in roots))
    return present, root


def _referenced(path: Path, relative: str) -> Iterator[str]:
    """Repository-relative paths of the files the `$ref`s of `path` point into."""
    try:
        data = load_file(path).data
    except SpecError:
        return  # the loader reports it
    folder = posixpath.dirname(relative)
    for ref in _refs(data):
        target = ref.split("#", 1)[0]
        if not target or "://" in target or target.startswith("/"):
            continue
        joined = posixpath.normpath(posixpath.join(folder, target))
        if not joined.startswith("../") and joined != "..":
            yield joined


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
