"""The mends of datamodel-code-generator's output (render/python/mend.py), text in, text
out: each leaves what it does not know alone."""

from __future__ import annotations

from generator.render.python.mend import narrow_enum_literals, rename_shadowing_members

MODELS = """\
class Kind(StrEnum):
    join = "join"
    count_ = "count_"
    count = "count"


class Base(BaseModel):
    kind: Kind | MISSING = MISSING
    other: str


class Child(Base):
    kind: Literal["join", "count"]
    other: Literal["x"]


class Unknown(Base):
    kind: Literal["nope"]


class Holder(BaseModel):
    kind: Kind = Kind.count
"""


def test_enum_members_named_like_str_methods_get_a_suffix() -> None:
    mended = rename_shadowing_members(MODELS)
    assert '    join_ = "join"\n    count_ = "count_"\n    count__ = "count"\n' in mended
    assert "kind: Kind = Kind.count__\n" in mended  # the reference follows
    assert 'kind: Literal["join", "count"]' in mended  # string literals are values


def test_literals_over_an_enum_field_are_its_members() -> None:
    mended = narrow_enum_literals(rename_shadowing_members(MODELS))
    assert "    kind: Literal[Kind.join_, Kind.count__]\n" in mended
    assert '    other: Literal["x"]\n' in mended  # the base's field is no enum
    assert '    kind: Literal["nope"]\n' in mended  # no member has that value


def test_a_module_without_them_is_left_as_it_is() -> None:
    plain = "class A(BaseModel):\n    x: int\n"
    assert narrow_enum_literals(plain) == plain
    assert rename_shadowing_members(plain) == plain
