"""Scale tests: the complete Braintrust API through the real CLI. They run in the default
`pytest` command; `-m "not scale"` leaves them out, `-s` shows their timings."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "scale: the full Braintrust API spec end to end (tens of seconds)"
    )
