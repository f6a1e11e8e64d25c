"""models.py means what the spec says where datamodel-code-generator alone would not: allOf
narrowing, discriminator tags from the members' fixed values, self-recursive arrays. The
generated module is imported and used, not only read."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pydantic import ValidationError

from generator.build.api import build_api
from generator.load import load_spec
from generator.render.header import python_header
from generator.render.python.models import render_models
from generator.validate import validate

CASE = Path(__file__).resolve().parents[2] / "corpus" / "models_allof_narrowing.yaml"


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    spec, _ = load_spec([CASE])
    api = build_api("narrow", validate(spec).document, spec)
    source, _ = render_models(api, python_header(api))
    path = tmp_path_factory.mktemp("narrow") / "narrow_models.py"
    path.write_text(source, "utf-8")
    loaded = importlib.util.spec_from_file_location("narrow_models", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules["narrow_models"] = module
    loaded.loader.exec_module(module)
    return module


def test_a_narrowing_child_keeps_the_narrowed_types(models: ModuleType) -> None:
    cat = models.Cat.model_validate({"kind": "cat", "name": "Tom", "size": 3, "lives": 9})
    assert cat.size == 3 and cat.name == "Tom"
    with pytest.raises(ValidationError):
        models.Cat.model_validate({"kind": "dog", "name": "Tom"})  # const: cat
    with pytest.raises(ValidationError):
        models.Cat.model_validate({"kind": "cat", "name": "Tom", "size": "big"})  # integer
    with pytest.raises(ValidationError):
        models.Dog.model_validate({"kind": "dog", "name": "x" * 11})  # narrowed maxLength


def test_the_discriminator_tags_are_the_members_values(models: ModuleType) -> None:
    holder = models.Holder.model_validate({"pet": {"kind": "dog", "name": "Rex"}})
    assert isinstance(holder.pet, models.Dog)
    with pytest.raises(ValidationError):
        models.Holder.model_validate({"pet": {"kind": "Dog", "name": "Rex"}})  # not the name


def test_a_self_recursive_array_is_typed(models: ModuleType) -> None:
    tree = models.Tree.model_validate([[], [[]]])
    assert isinstance(tree.root[1], models.Tree) and tree.root[1].root[0].root == []
