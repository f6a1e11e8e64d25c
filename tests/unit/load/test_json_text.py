"""A JSON spec read by the json module (generator/load/json_text.py) gives what the YAML
parser gives: the same data (values, types, key order) and the same position for every
pointer, in any layout (indented, compact, tabs, CRLF, escaped or raw non-ASCII); what the
YAML reading could take otherwise is left to it, so its errors are the same; a surrogate
pair escape, which the YAML parser refuses, is read as its character."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import SpecError
from generator.load import load_spec
from generator.load.json_text import parse_json
from generator.load.yaml_loader import DEFAULT_MAX_NODES, Parsed, parse_outlined

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "specs"
BRAINTRUST = SHARED / "braintrust-full" / "spec-2026-07-01.yaml"
TGI = SHARED / "realworld" / "text-generation-inference.json"


def _same(a: Any, b: Any) -> bool:
    """Equal, of the same types (True is not 1), dicts in the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _fast(text: str, line_offset: int = 0) -> Parsed | None:
    return parse_json(text, line_offset=line_offset, max_nodes=DEFAULT_MAX_NODES)


def _assert_as_yaml(text: str, line_offset: int = 0) -> int:
    """The fast reading of `text` equals the YAML one; the pointers compared."""
    fast = _fast(text, line_offset)
    assert fast is not None
    slow = parse_outlined(text, "spec.json", line_offset=line_offset)
    assert _same(fast.data, slow.data)
    assert fast.positions.root == slow.positions.root
    for pointer, position in slow.positions.items():
        assert fast.positions.get(pointer) == position, pointer
    for missing in ("/nope", "/paths/nope/get", "/openapi/x", "/0", "nope", "/info/~2"):
        assert fast.positions.get(missing) == slow.positions.get(missing)
    assert list(fast.positions.items()) == list(slow.positions.items())  # in document order
    return len(slow.positions)


def _layouts(data: Any) -> dict[str, str]:
    return {
        "indented": json.dumps(data, indent=2),
        "compact": json.dumps(data, separators=(",", ":"), ensure_ascii=False),
        "tabs": json.dumps(data, indent="\t", ensure_ascii=False),
        "spaced": json.dumps(data, indent=1, separators=(" , ", " : ")),
        "crlf": json.dumps(data, indent=4, ensure_ascii=False).replace("\n", "\r\n"),
        "surrounded": "\n\n  " + json.dumps(data, indent=2) + "\n  \n",
    }


@pytest.mark.parametrize("layout", list(_layouts({})))
def test_a_large_spec_in_every_layout(layout: str) -> None:
    data = yaml.safe_load(BRAINTRUST.read_text("utf-8"))
    text = _layouts(data)[layout]
    assert _assert_as_yaml(text) > 20_000


def test_a_published_json_spec_and_a_line_offset() -> None:
    text = TGI.read_text("utf-8")
    _assert_as_yaml(text)
    _assert_as_yaml(text, line_offset=12)  # a block of a Markdown page


_TEXT = st.text(
    st.sampled_from(["a", "Z", " ", "é", "😀", "\t", "\n", "\\", '"', "/", "~", "{", ":", ","])
    | st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=8,
)
_SCALARS = (
    _TEXT
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.dictionaries(_TEXT, _VALUES, min_size=1, max_size=5),
    layout=st.sampled_from(list(_layouts({}))),
    ascii_only=st.booleans(),
)
def test_random_documents_read_as_yaml_reads_them(
    data: dict[str, Any], layout: str, ascii_only: bool
) -> None:
    text = _layouts(data)[layout]
    if ascii_only:  # non-ASCII as escapes: the non-BMP characters as surrogate pairs
        text = json.dumps(data, indent=2)
    try:
        slow: Parsed | None = parse_outlined(text, "spec.json")
    except SpecError:
        slow = None
    fast = _fast(text)
    if slow is None:
        # Only a surrogate pair escape is read here and refused there (a gain).
        assert fast is None or "\\ud" in text.lower()
        if fast is not None:
            assert _same(fast.data, data)
        return
    if fast is None:  # left to the YAML parser: nothing to compare
        return
    assert _same(fast.data, slow.data)
    assert fast.positions.root == slow.positions.root
    for pointer, position in slow.positions.items():
        assert fast.positions.get(pointer) == position, pointer


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # a duplicate key: the YAML parser names it (SG102)
        '{"a": NaN}',
        '{"a": "x\\ud800"}',  # a lone surrogate
        '{"a": "\\udc00"}',
        '{"a": "x\u2028y"}',  # folded to a space inside a YAML string
        '{"a": "x\x85y"}',
        '{"a":\r1}',  # a lone CR ends a line for the YAML parser
        '["a"]',  # not a mapping
        '{"a": 1} {"b": 2}',
        '{"a": 1,}',  # YAML reads it, JSON does not
        "a: 1",
        "",
        '{"a": "\x01"}',
    ],
)
def test_what_the_yaml_reading_could_take_otherwise_is_left_to_it(text: str) -> None:
    assert _fast(text) is None


def test_a_node_count_past_the_limit_is_left_to_the_yaml_parser() -> None:
    text = json.dumps({"a": list(range(50))})
    assert parse_json(text, line_offset=0, max_nodes=1000) is not None
    assert parse_json(text, line_offset=0, max_nodes=10) is None


def test_errors_are_the_yaml_parsers(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "a", "title": "b"}}', "utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec([spec])
    assert [(d.code, d.location and d.location.line) for d in caught.value.diagnostics] == [
        ("SG102", 1)
    ]


def test_a_surrogate_pair_escape_is_read_as_its_character(tmp_path: Path) -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Smile \U0001f600", "version": "1"},
        "paths": {},
    }
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document, indent=2), "utf-8")  # ASCII: "\ud83d\ude00"
    with pytest.raises(SpecError):
        parse_outlined(spec.read_text("utf-8"), "spec.json")
    loaded, _ = load_spec([spec])
    assert loaded.document["info"]["title"] == "Smile \U0001f600"
    assert loaded.locate("/info/title").line == 4
