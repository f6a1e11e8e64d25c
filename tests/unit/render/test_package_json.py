"""The package's JSON files: `render.package._json` writes what json.dumps(indent=2) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.package import _json

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
_KEYS = st.text() | st.integers() | st.floats() | st.booleans() | st.none()
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner) | st.dictionaries(_KEYS, inner) | st.tuples(inner, inner),
    max_leaves=40,
)


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=500, deadline=None)
@given(_DATA)
def test_json_text_is_json_dumps_with_indent_2(data: Any) -> None:
    assert _json(data) == _dumps(data)


def test_json_text_of_a_contract_like_document() -> None:
    data = {
        "openapi": "3.1.0",
        "paths": {"/a": {"get": {"responses": {"200": {}}, "tags": []}}},
        "x": [1, 2.5, -0.0, 1e300, float("inf"), None, True, 'é\u2028"\\'],
    }
    assert _json(data) == _dumps(data)


@pytest.mark.parametrize("bad", [{(1, 2): 1}, [object()], {"a": [{1j}]}])
def test_json_text_refuses_what_json_refuses(bad: Any) -> None:
    with pytest.raises(TypeError) as expected:
        json.dumps(bad, indent=2)
    with pytest.raises(TypeError) as found:
        _json(bad)
    assert str(found.value) == str(expected.value)


def test_json_text_refuses_a_cycle() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference detected"):
        _json(cycle)


def test_json_text_takes_orjson_for_plain_data_and_json_for_its_own_spellings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """orjson writes what json writes for plain data; for the values it spells or refuses
    otherwise, the loop writes json's text."""
    import generator.render.package as package

    slow: list[object] = []
    real = package._slow_json

    def counted(data: object) -> str:
        slow.append(data)
        return real(data)

    monkeypatch.setattr(package, "_slow_json", counted)
    plain = {"a": [1, 2.5, None, True, 'é\u2028\x00"\\'], "b": {}, "c": [], "d": [{}]}
    assert _json(plain) == _dumps(plain)
    assert slow == []
    for spelled in (1e16, 1e-7, 1.2345678901234568e17):  # orjson may spell these its way
        data = {"x": [spelled]}
        assert _json(data) == _dumps(data)
    slow.clear()
    for refused in (float("nan"), float("-inf"), 2**64, {1: 2}, "\ud800"):
        data = {"x": [refused]}
        assert _json(data) == _dumps(data)
    assert len(slow) == 5
