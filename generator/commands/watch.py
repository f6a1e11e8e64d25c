"""`specgen generate --watch`: regenerate whenever a file the generation read changes.

Watched: the project's pyproject.toml, every spec file each API was read from (roots and
the files they `$ref`), and the user template folders. Changes are debounced (an editor's
save is often several events) and the run is repeated; a run that fails prints its
diagnostics and the watch goes on. Ctrl-C ends it (exit 0).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import watchfiles

DEBOUNCE_MS = 250


def _targets(files: Iterable[Path], folders: Iterable[Path]) -> set[Path]:
    """What to hand the watcher: the files (a missing one, renamed away by an editor and not
    yet back, is seen from its folder) and the template folders, watched recursively."""
    targets = {path if path.exists() else path.parent for path in files}
    targets |= {f for f in folders if f.is_dir()}
    return {Path(os.path.abspath(t)) for t in targets if t.exists()}


def changes(files: set[Path], folders: set[Path]) -> Iterator[list[Path]]:
    """Batches of changed paths among `files` and below `folders`, debounced; the first,
    empty, once the watcher runs. The watcher keeps running while the caller works on a
    batch, so nothing is missed meanwhile. KeyboardInterrupt (Ctrl-C) propagates."""
    wanted = {Path(os.path.abspath(f)) for f in files}
    trees = {Path(os.path.abspath(f)) for f in folders}

    def relevant(_change: watchfiles.Change, raw: str) -> bool:
        path = Path(raw)
        return path in wanted or any(path.is_relative_to(f) for f in trees)

    started = False
    for batch in watchfiles.watch(
        *_targets(files, folders),
        watch_filter=relevant,
        debounce=DEBOUNCE_MS,
        rust_timeout=200,
        yield_on_timeout=True,  # an empty batch: the watcher is running
    ):
        if batch or not started:
            started = True
            yield sorted({Path(raw) for _, raw in batch})


Run = Callable[[bool], tuple[set[Path], set[Path], str]]


def watch(run: Run, announce: Callable[[str], None]) -> None:
    """Call `run` (one generation, reported in full when its argument is True; it returns
    the files and folders it read and a one-line summary) again after every change, one line
    each, until Ctrl-C. The watcher is set up again only when what the run read changes."""
    files, folders, _ = run(True)
    announced = False
    try:
        while True:
            for changed in changes(files, folders):
                if not changed:  # the watcher is up: from here on no change is missed
                    if not announced:
                        announce("watching for changes (Ctrl-C to stop)")
                        announced = True
                    continue
                names = ", ".join(_shown(p) for p in changed[:3])
                more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
                started = time.perf_counter()
                new_files, new_folders, summary = run(False)
                seconds = time.perf_counter() - started
                stamp = time.strftime("%H:%M:%S")
                announce(f"{stamp} {names}{more} changed: {summary} ({seconds:.1f} s)")
                if (new_files, new_folders) != (files, folders):
                    files, folders = new_files, new_folders
                    break  # watch the new set
    except KeyboardInterrupt:
        announce("stopped watching")


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
