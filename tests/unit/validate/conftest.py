"""Fixtures for the validate tests: Spec objects straight from dicts or YAML text (no
loader involved), and the shared seed pages and full Braintrust spec."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.load.spec import Origin, SourceFile, Spec

# shared/ sits beside the repository, in CI too.
SHARED = (Path(__file__).resolve().parents[3] / ".." / "shared").resolve()
FULL_SPEC = SHARED / "specs" / "braintrust-full" / "spec-2026-07-01.yaml"

MakeSpec = Callable[..., Spec]


def _spec(
    document: str | dict[str, Any],
    display: str = "api.yaml",
    positions: dict[str, tuple[int, int]] | None = None,
) -> Spec:
    data = yaml.safe_load(document) if isinstance(document, str) else document
    source = SourceFile(Path(display), display, "0" * 64, data, positions or {})
    return Spec(document=data, sources=(source,), origins={"": Origin(source, "")})


def _shared(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is absent (shared/ is not beside the repository)")
    return path


@pytest.fixture
def make_spec() -> MakeSpec:
    """make_spec(document or YAML text, display="api.yaml", positions=None) -> Spec"""
    return _spec


@pytest.fixture
def seed_yaml() -> Callable[[str], str]:
    """The OpenAPI YAML inside a seed doc page's ````yaml fence."""

    def read(name: str) -> str:
        text = _shared(SHARED / "seeds" / name).read_text(encoding="utf-8")
        match = re.search(r"````yaml[^\n]*\n(.*?)````", text, re.S)
        assert match is not None
        return match.group(1)

    return read


@pytest.fixture(scope="session")
def full_document() -> dict[str, Any]:
    """The full Braintrust spec (3.0.3, 218 operations); treat as read-only."""
    text = _shared(FULL_SPEC).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(text, Loader=loader)
    return document
