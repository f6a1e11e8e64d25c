"""pathable's `Subscriptable` check, quickened for the built-in types: the same answers as
the protocol's own, for those types and any other."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import pytest
from pathable import accessors
from pathable.protocols import Subscriptable

import generator.validate.structural  # noqa: F401  # applies it, as a validation run does
from generator.validate import speedups


class Lookup:
    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: object) -> int:
        return 1

    def __len__(self) -> int:
        return 1


class NotQuite:
    def __getitem__(self, key: object) -> int:
        return 1


class SubDict(dict[str, Any]):
    pass


SAMPLES: list[object] = [
    {},
    {"a": 1},
    [],
    [1],
    (),
    "text",
    "",
    0,
    1.5,
    True,
    None,
    b"bytes",
    Lookup(),
    NotQuite(),
    SubDict(),
    OrderedDict(),
    object(),
]


def _protocol_answer(instance: object) -> bool:
    """What the Protocol's own metaclass says, bypassing the quick one."""
    meta = type(Subscriptable).__mro__[1]
    return bool(meta.__instancecheck__(Subscriptable, instance))


def test_the_protocol_is_quickened_in_a_validation_process() -> None:
    assert getattr(type(Subscriptable), "_specgen_quick", False)
    assert accessors.Subscriptable is Subscriptable  # the same class, subscriptable as before
    assert Subscriptable[str, int] is not None


@pytest.mark.parametrize("instance", SAMPLES, ids=lambda v: type(v).__name__)
def test_the_answers_are_the_protocols(instance: object) -> None:
    expected = _protocol_answer(instance)
    assert isinstance(instance, Subscriptable) is expected
    assert isinstance(instance, Subscriptable) is expected  # asked again: the kept answer


def test_quickening_twice_changes_nothing() -> None:
    meta = type(Subscriptable)
    speedups.quicken_subscriptable()
    assert type(Subscriptable) is meta
