"""Python identifiers and scopes: keywords avoided, taken names steered around by the
documented rule (the name, then the role's suffix word, then numbers)."""

from __future__ import annotations

import keyword

import pytest

from generator.render.python.names import PyClass, PyConst, PyName, Scope

NAMES = ["class", "from", "None", "True", "1abc", "foo-bar", "😀", "", "a" * 300, "match", "_"]


@pytest.mark.parametrize("raw", NAMES)
def test_every_name_is_a_valid_non_keyword_identifier(raw: str) -> None:
    for kind in (PyName, PyClass, PyConst):
        name = kind(raw)
        assert name.isidentifier() and not keyword.iskeyword(name), (kind, raw, name)


def test_keywords() -> None:
    assert (PyName("class"), PyClass("None"), PyName("list")) == ("class_", "NoneModel", "list")
    assert PyConst("get pets", private=True) == "_GET_PETS"


def test_scope_claims_the_name_then_the_suffix_then_numbers() -> None:
    scope = Scope({"close", "body"})
    assert scope.name("close", suffix="operation") == "close_operation"
    assert scope.name("close", suffix="operation") == "close_operation_2"
    assert scope.name("getPet", suffix="operation") == "get_pet"
    assert scope.name("get_pet", suffix="operation") == "get_pet_operation"
    assert scope.name("class", suffix="query") == "class_"
    assert scope.name("class", suffix="query") == "class_query"
    classes = Scope({"BaseHandlers"})
    assert classes.cls("Base Handlers") == "BaseHandlers2"
    assert classes.cls("Pet", suffix="Model") == "Pet"
    assert classes.cls("Pet", suffix="Model") == "PetModel"
    assert classes.cls("Pet", suffix="Model") == "PetModel2"
    constants = Scope({"_GET"})
    assert constants.const("get", private=True) == "_GET_2"
