"""A non-editable install must carry the templates and the runtime modules inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("specgen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.jinja")
    )
    assert templates, "no templates in the source tree"
    for template in templates:
        assert f"generator/{template}" in names, f"{template} missing from the wheel"
    assert "generator/cli.py" in names
    runtime = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "generator" / "runtime").rglob("*")
        if p.suffix in (".py", ".ts")
    )
    assert len(runtime) >= 9, runtime
    missing = [path for path in runtime if path not in names]
    assert not missing, f"runtime files missing from the wheel: {missing}"
