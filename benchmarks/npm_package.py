"""An npm package's archive, fetched with `npm pack` for the scripts that read published
specs from the npm registry (`bench_incremental.py --github`, `sweep_directory.py`)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def pack(package: str, folder: Path) -> Path:
    """The archive of `package` (`name@version`) in `folder`, or exit with a note that the
    caller's run is skipped (no npm, no registry)."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed: skipped")
    done = subprocess.run(
        [npm, "pack", package, "--silent"], cwd=folder, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"npm pack {package} failed: skipped\n{done.stderr}")
    return folder / done.stdout.strip().splitlines()[-1]
