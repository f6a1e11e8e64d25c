"""The proxy's own address: a port already in use is a located diagnostic, not a traceback."""

from __future__ import annotations

import pytest

from generator.diagnostics import SpecError
from generator.proxy.serve import listen


def test_a_port_in_use_is_sg624() -> None:
    taken = listen("127.0.0.1", 0)
    taken.listen()
    try:
        with pytest.raises(SpecError) as raised:
            listen("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()
    assert raised.value.diagnostics[0].code == "SG624"
