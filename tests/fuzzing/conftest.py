"""Fuzzing the reference servers: generated/ and the repo root importable."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT / "generated", ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
