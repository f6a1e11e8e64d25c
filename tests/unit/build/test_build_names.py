"""Neutral spellings: every spec name becomes ASCII words in snake_case, PascalCase or
UPPER_CASE that start with a letter (keywords are each language's business)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ir.names import numbered, pascal_case, snake_case, upper_case

NAMES = ["class", "from", "list", "type", "None", "1abc", "foo-bar", "x.y z", "😀", "", "a" * 300]


@pytest.mark.parametrize("raw", NAMES)
def test_every_spelling_is_an_ascii_identifier(raw: str) -> None:
    for spell in (snake_case, pascal_case, upper_case):
        name = spell(raw)
        assert name.isidentifier() and name.isascii() and not name.startswith("_"), (raw, name)


@pytest.mark.parametrize(
    ("raw", "snake", "pascal", "upper"),
    [
        (
            "postExperimentIdFeedback",
            "post_experiment_id_feedback",
            "PostExperimentIdFeedback",
            "POST_EXPERIMENT_ID_FEEDBACK",
        ),
        ("class", "class", "Class", "CLASS"),
        ("Retry-After", "retry_after", "RetryAfter", "RETRY_AFTER"),
        ("HTTPServer", "http_server", "HTTPServer", "HTTP_SERVER"),
        ("1st", "value_1st", "Model1st", "VALUE_1ST"),
        ("", "value", "Model", "VALUE"),
    ],
)
def test_case_conversion(raw: str, snake: str, pascal: str, upper: str) -> None:
    assert (snake_case(raw), pascal_case(raw), upper_case(raw)) == (snake, pascal, upper)


def test_names_without_ascii_letters_keep_apart() -> None:
    assert snake_case("ид") != snake_case("日本") and snake_case("ид").startswith("value_")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_pascal_case_is_idempotent(raw: str) -> None:
    """The IR's type names are PascalCase spellings; respelling one leaves it as it is (the
    views and the TypeScript models rely on it)."""
    name = pascal_case(raw)
    assert pascal_case(name) == name


def test_numbered() -> None:
    assert numbered("a", set()) == "a"
    assert numbered("a", {"a", "a2"}) == "a3"
    assert numbered("a", {"a"}, "_") == "a_2"
