"""Identifier types: every spec name becomes a valid, non-reserved identifier."""

from __future__ import annotations

import keyword

import pytest

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
