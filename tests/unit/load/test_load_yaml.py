"""YAML/JSON text to data and positions: types, keys, errors, depth and alias limits."""

from __future__ import annotations

import math
from typing import Any

import pytest

from generator.diagnostics import Diagnostic, SpecError
from generator.load import yaml_loader
from generator.load.yaml_loader import MAX_DEPTH, parse_yaml


def parse(text: str, **kwargs: Any) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    return parse_yaml(text, "spec.yaml", **kwargs)


def failure(text: str, **kwargs: Any) -> Diagnostic:
    with pytest.raises(SpecError) as caught:
        parse(text, **kwargs)
    assert len(caught.value.diagnostics) == 1, caught.value
    return caught.value.diagnostics[0]


def where(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    assert loc is not None
    return diagnostic.code, loc.line, loc.column, loc.pointer


def test_keys_are_always_the_raw_text() -> None:
    data, _ = parse("200: a\non: b\nnull: c\n1.5: d\ntrue: e\n~: f\n")
    assert list(data) == ["200", "on", "null", "1.5", "true", "~"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-7", -7),
        ("0x1f", 31),
        ("0o17", 15),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("yes", "yes"),
        ("off", "off"),
        ("2024-01-01", "2024-01-01"),
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
        ("'1'", "1"),
        ('"true"', "true"),
        ("1_000", "1_000"),
        ("!!str 12", "12"),
        ("!!float 1", 1.0),
        ("!!int '12'", 12),
    ],
)
def test_scalars_follow_the_yaml_core_schema(text: str, value: Any) -> None:
    data, _ = parse(f"v: {text}\n")
    assert data["v"] == value
    assert type(data["v"]) is type(value)


def test_infinity_and_nan() -> None:
    data, _ = parse("a: .inf\nb: -.Inf\nc: .nan\n")
    assert data["a"] == math.inf and data["b"] == -math.inf and math.isnan(data["c"])


def test_positions_use_the_key_for_mapping_values() -> None:
    text = "openapi: 3.1.0\npaths:\n  /v1/x:\n    post:\n      tags: [a, b]\n"
    data, positions = parse(text)
    assert data["paths"]["/v1/x"]["post"]["tags"] == ["a", "b"]
    assert positions[""] == (1, 1)
    assert positions["/paths"] == (2, 1)
    assert positions["/paths/~1v1~1x"] == (3, 3)
    assert positions["/paths/~1v1~1x/post"] == (4, 5)
    assert positions["/paths/~1v1~1x/post/tags"] == (5, 7)
    assert positions["/paths/~1v1~1x/post/tags/1"] == (5, 17)


def test_line_offset_shifts_lines_only() -> None:
    _, positions = parse("a:\n  b: 1\n", line_offset=10)
    assert positions["/a/b"] == (12, 3)


def test_json_is_accepted_with_tabs_and_escapes() -> None:
    data, positions = parse('{\n\t"openapi": "3.1.0",\n\t"x": "a\\/b\\u00e9", "n": [1,2.5]\n}\n')
    assert data == {"openapi": "3.1.0", "x": "a/b\u00e9", "n": [1, 2.5]}
    assert positions["/x"] == (3, 2)


def test_duplicate_keys_are_all_reported_at_the_second_occurrence() -> None:
    with pytest.raises(SpecError) as caught:
        parse("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    found = sorted(where(d) for d in caught.value.diagnostics)
    assert found == [("SG102", 4, 3, "/b/c"), ("SG102", 5, 1, "/a")]
    messages = sorted(d.message for d in caught.value.diagnostics)
    assert messages == [
        "duplicate key 'a' (first defined at line 1)",
        "duplicate key 'c' (first defined at line 3)",
    ]


def test_duplicate_keys_in_json() -> None:
    diagnostic = failure('{"a": 1,\n "a": 2}\n')
    assert where(diagnostic) == ("SG102", 2, 2, "/a")


def test_syntax_error_has_the_mark_and_the_pointer() -> None:
    diagnostic = failure("a:\n  b: [1, 2\nc: 3\n")
    code, line, _, pointer = where(diagnostic)
    assert code == "SG101"
    assert (line, pointer) == (3, "/a/b/2")
    assert "',' or ']'" in diagnostic.message


def test_tab_indentation_gets_its_own_message() -> None:
    diagnostic = failure("a:\n\tb: 1\n")
    assert where(diagnostic)[:3] == ("SG101", 2, 1)
    assert "tab" in diagnostic.message and "spaces" in diagnostic.message


def test_nul_character_is_a_clean_error() -> None:
    diagnostic = failure("a: 1\nb: x\x00y\n")
    assert where(diagnostic)[:3] == ("SG101", 2, 5)
    assert "U+0000" in diagnostic.message


@pytest.mark.parametrize(
    "text",
    ["[" * 10_000 + "]" * 10_000, "a: " + "[" * 10_000 + "]" * 10_000,
     # Block nesting needs one more space per level: 1,100 levels already take 600 KB.
     "".join(f"{' ' * i}k:\n" for i in range(1_100)) + " " * 1_100 + "v: 1\n",
     "a: " + "{b: " * 10_000 + "1" + "}" * 10_000],
    ids=["flow-sequences", "nested-sequences", "block-mappings", "flow-mappings"],
)  # fmt: skip
def test_ten_thousand_levels_fail_cleanly(text: str) -> None:
    diagnostic = failure(text)
    assert diagnostic.code == "SG101"
    assert f"nesting deeper than {MAX_DEPTH} levels" in diagnostic.message


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 2
    data, _ = parse("a: " + "[" * depth + "1" + "]" * depth)
    node = data["a"]
    for _ in range(depth - 1):
        node = node[0]
    assert node == [1]


def test_aliases_share_the_anchored_value() -> None:
    data, positions = parse("a: &x {k: [1, 2]}\nb: *x\nc: &s text\nd: *s\n")
    assert data["a"] == data["b"] == {"k": [1, 2]}
    assert data["d"] == "text"
    assert positions["/b"] == (2, 1)


def test_merge_keys() -> None:
    data, _ = parse("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n")
    assert data["c"] == {"y": 3, "x": 1}


def test_alias_bomb_fails_before_expanding() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    diagnostic = failure("\n".join(lines) + "\n")
    code, line, _, pointer = where(diagnostic)
    assert code == "SG104"
    assert "more than 5,000,000 nodes" in diagnostic.message
    assert line == 7 and pointer.startswith("/g/")  # g would be 5,380,840 nodes


def test_node_limit_is_a_parameter() -> None:
    diagnostic = failure("a: [1, 2, 3]\n", max_nodes=3)
    assert where(diagnostic)[:2] == ("SG104", 1)


def test_undefined_and_recursive_aliases() -> None:
    assert where(failure("a: *nope\n"))[:3] == ("SG101", 1, 4)
    assert where(failure("a: &r [1, *r]\n"))[:3] == ("SG109", 1, 11)


def test_complex_keys_and_unknown_tags_are_refused() -> None:
    assert where(failure("? [1, 2]\n: x\n"))[0] == "SG109"
    diagnostic = failure("a: !include other.yaml\n")
    assert where(diagnostic) == ("SG109", 1, 4, "/a")
    assert "'!include'" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "found"),
    [("", "an empty file"), ("- a\n", "a sequence"), ("just text\n", "a str"), ("~\n", "a null")],
)
def test_top_level_must_be_a_mapping(text: str, found: str) -> None:
    diagnostic = failure(text)
    assert where(diagnostic)[:3] == ("SG107", 1, 1)
    assert diagnostic.message.endswith(found)


def test_several_documents_are_refused() -> None:
    diagnostic = failure("a: 1\n---\nb: 2\n")
    assert where(diagnostic)[:2] == ("SG108", 2)


def test_crlf_line_endings() -> None:
    data, positions = parse("a: 1\r\nb:\r\n  c: x\r\n")
    assert data == {"a": 1, "b": {"c": "x"}}
    assert positions["/b/c"] == (3, 3)


def test_only_newlines_count_as_line_breaks_in_positions() -> None:
    text = 'a: "x\u2028y\x85z"\nb: 1\nc: "\u2029"\nd: [\u2028 1]\n'
    data, positions = parse(text, line_offset=2)
    assert data["d"] == [1]
    assert positions["/b"] == (4, 1)
    assert positions["/d"] == (6, 1)
    assert positions["/d/0"] == (6, 7)
    diagnostic = failure('a: "\x85"\nb: [\n')
    assert where(diagnostic)[:3] == ("SG101", 3, 1)


def test_pure_python_parser_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: &x {k: [1, yes, '2']}\nb: *x\n200: {c: ~}\n"
    expected = parse(text)
    monkeypatch.setattr(yaml_loader, "_CParser", None)
    assert parse(text) == expected
    assert where(failure("a:\n  b: [1, 2\nc: 3\n"))[:2] == ("SG101", 3)
    deep = failure("[" * 1_100 + "]" * 1_100)
    assert f"nesting deeper than {MAX_DEPTH} levels" in deep.message
