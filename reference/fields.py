"""Reading the optional properties of generated models, where absent is pydantic's MISSING."""

from __future__ import annotations

from typing import TypeVar

from pydantic import MISSING

T = TypeVar("T")


def given(value: T | MISSING) -> T | None:
    """The value, or None when the property was absent (the store keeps no difference)."""
    return None if value is MISSING else value
