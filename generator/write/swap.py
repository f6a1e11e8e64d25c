"""Replace an output folder as a whole, so a crash leaves the old or the new one, never a mix.

The new folder is built as a sibling `.<name>.specgen-new-<token>`; the commit renames the old
folder to `.<name>.specgen-old-<token>` (same token), the new one into place, then deletes the
old one. A crash can leave leftovers, which `recover` resolves at the start of the next run:

  name missing, old-T present           -> crashed between the two renames: put old-T back
  name present, old-T present, no new-T -> crashed after the swap: delete old-T
  any new-T not consumed above          -> unfinished (or uncommitted) build: delete it
  name present, old-T and new-T present -> someone recreated the folder mid-swap: refuse

All of this happens under an exclusive lock on the parent folder, so one run never mistakes
another live run's staging folder for a leftover.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.diagnostics import Location, SpecError, error

_TOKEN = re.compile(r"[0-9a-f]{12}")


def sibling(out_dir: Path, kind: str, token: str) -> Path:
    """The staging ("new") or retired ("old") folder next to `out_dir` for one run."""
    return out_dir.parent / f".{out_dir.name}.specgen-{kind}-{token}"


@contextmanager
def locked(parent: Path) -> Iterator[None]:
    """Hold an exclusive flock on `parent` (a lock on the folder itself leaves no lock file)."""
    fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def leftovers(out_dir: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """Staging ("new") and retired ("old") folders of `out_dir`, by token."""
    found: dict[str, dict[str, Path]] = {"new": {}, "old": {}}
    prefix = f".{out_dir.name}.specgen-"
    with os.scandir(out_dir.parent) as entries:
        for entry in entries:
            rest = entry.name.removeprefix(prefix)
            kind, _, token = rest.partition("-")
            # The exact token shape keeps a sibling named "<name>.specgen-new-x" from matching.
            if rest != entry.name and kind in found and _TOKEN.fullmatch(token):
                found[kind][token] = Path(entry.path)
    return found["new"], found["old"]


def recover(out_dir: Path) -> None:
    """Bring `out_dir` back to a complete state after an interrupted run (see module doc)."""
    news, olds = leftovers(out_dir)
    if not os.path.lexists(out_dir):
        if len(olds) > 1:
            raise _sg606(out_dir, f"several retired copies exist: {_names(olds)}")
        for old in olds.values():
            os.rename(old, out_dir)
            fsync_dir(out_dir.parent)
    else:
        unfinished = sorted(token for token in olds if token in news)
        if unfinished:
            found = _names({t: olds[t] for t in unfinished} | {t: news[t] for t in unfinished})
            raise _sg606(out_dir, f"{out_dir.name} exists next to {found}")
        for old in olds.values():
            remove_tree(old)
    for new in news.values():
        remove_tree(new)


def commit(out_dir: Path, staging: Path, token: str) -> None:
    """Swap the complete `staging` folder in as `out_dir`."""
    if os.path.lexists(out_dir):
        old = sibling(out_dir, "old", token)
        os.rename(out_dir, old)
        try:
            os.rename(staging, out_dir)
        except BaseException:
            os.rename(old, out_dir)
            raise
        fsync_dir(out_dir.parent)
        try:
            remove_tree(old)
        except OSError:
            pass  # the new output is in place; the next run's recover() deletes the rest
    else:
        os.rename(staging, out_dir)
        fsync_dir(out_dir.parent)


def remove_tree(path: Path) -> None:
    """Delete `path` without following symlinks, even if it holds read-only folders."""
    if not os.path.isdir(path) or os.path.islink(path):
        os.unlink(path)
        return
    try:
        shutil.rmtree(path)
    except PermissionError:
        for root, dirs, _ in os.walk(path):
            for name in dirs:
                full = os.path.join(root, name)
                if not os.path.islink(full):
                    os.chmod(full, stat.S_IMODE(os.lstat(full).st_mode) | stat.S_IRWXU)
        os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) | stat.S_IRWXU)
        shutil.rmtree(path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _names(paths: dict[str, Path]) -> str:
    return ", ".join(sorted(path.name for path in paths.values()))


def _sg606(out_dir: Path, detail: str) -> SpecError:
    message = f"cannot tell which copy of {out_dir.name} is complete after an interrupted run: "
    diagnostic = error(
        "SG606",
        message + detail,
        hint="keep the folder you want under its normal name, delete the .specgen-old-/-new- "
        "copies next to it, then rerun",
        location=Location(str(out_dir)),
    )
    return SpecError([diagnostic])
