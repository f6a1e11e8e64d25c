"""Fixtures of the diff tests (helpers live in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.diff.helpers import Diff, differ


@pytest.fixture
def diff(tmp_path: Path) -> Diff:
    return differ(tmp_path)
