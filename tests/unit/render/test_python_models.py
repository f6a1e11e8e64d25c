"""models.py means what the spec says where datamodel-code-generator alone would not: allOf
narrowing, discriminator tags from the members' fixed values, self-recursive arrays. The
generated module is imported and used, not only read."""

from __future__ import annotations

import importlib.util
import sys
from datetime import UTC, date, datetime, timedelta
from ipaddress import IPv4Address, IPv6Address
from pathlib import Path
from types import ModuleType
from uuid import UUID

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
    return _load(tmp_path_factory.mktemp("narrow"), CASE, "narrow_models")


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


def _load(tmp_path: Path, case: Path, name: str) -> ModuleType:
    """models.py of a corpus spec, imported as the module `name`."""
    spec, _ = load_spec([case])
    api = build_api(name, validate(spec).document, spec)
    source, _ = render_models(api, python_header(api))
    path = tmp_path / f"{name}.py"
    path.write_text(source, "utf-8")
    loaded = importlib.util.spec_from_file_location(name, path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[name] = module
    loaded.loader.exec_module(module)
    return module


def test_a_property_named_field_leaves_every_model_buildable(tmp_path: Path) -> None:
    """datamodel-code-generator then imports pydantic's `Field` under another name, and wrote
    the plain name in root models: they failed to build on first use."""
    models = _load(tmp_path, CASE.parent / "names_property_field.yaml", "field_models")
    assert models.Name("x").root == "x"
    with pytest.raises(ValidationError):
        models.Name("")  # minLength, checked: the Field call is the aliased one
    thing = models.Thing.model_validate({"Field": "a", "Name": "b"})
    assert thing.model_dump(by_alias=True, exclude_unset=True) == {"Field": "a", "Name": "b"}


def test_a_typed_format_default_is_the_typed_value(tmp_path: Path) -> None:
    """The model generator wrote each as its text (`since: date = "2020-01-31"`), which mypy
    refused and left a str in the field; a uri default that is no URL is dropped (SG311)."""
    case = CASE.parent / "models_typed_format_defaults.yaml"
    settings = _load(tmp_path, case, "typed_defaults_models").Settings()
    assert settings.since == date(2020, 1, 31)
    assert settings.at == datetime(2020, 1, 31, 10, tzinfo=UTC)
    assert settings.ref == UUID("123e4567-e89b-12d3-a456-426614174000")
    assert str(settings.home) == "https://example.com/home"
    assert settings.host == IPv4Address("127.0.0.1") and settings.host6 == IPv6Address("::1")
    assert settings.span == timedelta(hours=1, minutes=30)
    assert settings.maybe == UUID("223e4567-e89b-12d3-a456-426614174000")
    assert settings.shown == date(2021, 2, 3)
    assert [(s.color, s.offset) for s in settings.stops] == [("black", 0), ("white", 100)]
    assert settings.status_url is None  # no default: absent reads as None here
    assert settings.model_dump(mode="json")["since"] == "2020-01-31"
