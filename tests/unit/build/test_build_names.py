"""Identifier types: every spec name becomes a valid, non-reserved identifier."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ir.names import ClassName, ConstantName, PythonIdentifier

NAMES = ["class", "from", "list", "type", "None", "1abc", "foo-bar", "x.y z", "😀", "", "a" * 300]


@pytest.mark.parametrize("raw", NAMES)
def test_every_name_is_a_valid_identifier(raw: str) -> None:
    for kind in (PythonIdentifier, ClassName, ConstantName):
        name = kind(raw)
        assert name.isidentifier(), (kind, raw, name)
        assert not keyword.iskeyword(name)


@pytest.mark.parametrize(
    ("raw", "snake", "pascal"),
    [
        ("postExperimentIdFeedback", "post_experiment_id_feedback", "PostExperimentIdFeedback"),
        ("class", "class_", "Class"),
        ("list", "list_", "ListModel"),
        ("Retry-After", "retry_after", "RetryAfter"),
        ("HTTPServer", "http_server", "HTTPServer"),
        ("1st", "value_1st", "Model1st"),
        ("", "value", "Model"),
    ],
)
def test_case_conversion(raw: str, snake: str, pascal: str) -> None:
    assert PythonIdentifier(raw) == snake
    assert ClassName(raw) == pascal


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.sampled_from(["Request", "Response", "Headers", "Handlers"]))
def test_class_names_extended_by_a_suffix_stay_as_written(raw: str, suffix: str) -> None:
    """Templates write `{{ op.class_name }}Request`; `Operation.contract_names` (what the tags
    layout's handlers/__init__.py imports) builds the same names through ClassName. They agree
    only because a class name plus a PascalCase suffix is already a valid ClassName."""
    name = ClassName(raw) + suffix
    assert ClassName(name) == name
