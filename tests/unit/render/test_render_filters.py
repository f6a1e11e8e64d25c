"""The escaping filters and the environment's refusal to print raw spec text."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render.code import Code
from generator.render.env import make_environment
from generator.render.filters import (
    UnsafeTemplateValue,
    _escape_docstring_text,
    _escape_each,
    comment,
    docstring,
    finalize,
    literal,
)
from generator.render.python.names import PyClass, PyName

HOSTILE = [
    'a "quoted" word',
    'x"""y',
    "x'''y",
    'ends with "',
    '"starts with',
    'back\\slash \\"""',
    "nul\x00 and \u2028 sep \u2029",
    '""""""',
    "{{ jinja }} {% block %}",
    "tab\tand\r\nwindows",
    "emoji 😀 and ünïcode",
    "\\N{BULLET} \\x00",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(literal(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_is_one_string_with_the_same_text(text: str) -> None:
    source = f"def f():\n    {docstring(text)}\n"
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    assert len(func.body) == 1  # nothing escaped the docstring
    expected = text.replace("\r\n", "\n").strip()
    assert ast.get_docstring(func, clean=False).replace("\n    ", "\n").rstrip() == expected


def test_literal_of_json_structures() -> None:
    value = {"a": [1, 2.5, None, True, "x'y"], "b": {"c": False}}
    assert ast.literal_eval(literal(value)) == value


def test_comment_is_one_line() -> None:
    text = comment("line one\nline two\x00\u2028end")
    assert "\n" not in text and "\x00" not in text and "\u2028" not in text


def test_finalize_rejects_plain_strings_and_accepts_safe_values() -> None:
    with pytest.raises(UnsafeTemplateValue):
        finalize("raw spec text")
    with pytest.raises(UnsafeTemplateValue):
        finalize(True)
    assert finalize(Code("x")) == "x"
    assert finalize(PyName("class")) == "class_"
    assert finalize(PyClass("my-model")) == "MyModel"
    assert finalize(3) == 3


def test_template_printing_raw_text_fails_and_spec_text_is_never_a_template() -> None:
    env = make_environment()
    with pytest.raises(UnsafeTemplateValue):
        env.from_string("x = {{ value }}").render(value="1; import os")
    rendered = env.from_string("x = {{ value | literal }}").render(value="{{ 7 * 7 }}")
    assert rendered == "x = '{{ 7 * 7 }}'"


def test_macro_output_may_be_printed() -> None:
    env = make_environment()
    template = env.from_string(
        "{% macro m(v) %}[{{ v | literal }}]{% endmacro %}value = {{ m(text) }}"
    )
    assert template.render(text="a'b") == 'value = ["a\'b"]'


@given(st.text(alphabet=st.sampled_from('ab "\\\n\t\r\x0b\x0c\x00\u2028\u00e9\U0001f600')))
def test_the_fast_path_escapes_what_the_loop_escapes(text: str) -> None:
    """Text with nothing to escape skips the per-character loop: same result either way."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    assert _escape_docstring_text(text) == _escape_each(flat)
