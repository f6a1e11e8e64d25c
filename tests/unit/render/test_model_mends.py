"""The mends of datamodel-code-generator's output (render/python/mend.py), text in, text
out: each leaves what it does not know alone."""

from __future__ import annotations

from generator.render.python.defaults import typed_defaults
from generator.render.python.mend import (
    narrow_enum_literals,
    narrow_enum_overrides,
    rename_shadowing_members,
)

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


OVERRIDES = """\
class Status(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"


class DoneOnly(Enum):
    finished = "done"


class Waiting(Enum):
    queued = "queued"
    running = "running"


class Odd(Enum):
    other = "other"


class OptionDone(BaseModel):
    status: DoneOnly


class OptionWaiting(BaseModel):
    status: Waiting | MISSING = MISSING


class OptionOdd(BaseModel):
    status: Odd


class BodyDone(OptionDone):
    status: Status
    name: str


class BodyWaiting(OptionWaiting):
    status: Status = Status.queued


class BodyWaitingLater(OptionWaiting):
    status: Status | None = None


class BodyDoneDefault(OptionDone):
    status: Status = Status.queued


class BodyOdd(OptionOdd):
    status: Status
"""


def test_a_wider_enum_over_a_base_enum_field_is_the_base_enum() -> None:
    mended = narrow_enum_overrides(OVERRIDES)
    assert "class BodyDone(OptionDone):\n    status: DoneOnly\n    name: str\n" in mended
    assert "    status: Waiting = Waiting.queued\n" in mended  # the default follows
    assert "    status: Waiting | None = None\n" in mended
    # A default the base's enum does not hold, or a base enum with other values: left.
    assert "class BodyDoneDefault(OptionDone):\n    status: Status = Status.queued\n" in mended
    assert "class BodyOdd(OptionOdd):\n    status: Status\n" in mended


TYPED = """\
from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field as Field_1


class S(BaseModel):
    day: date = "2020-01-31"
    ref: UUID | None = "not a uuid"
    name: str = "x"
    Field: int = 1
"""


def test_a_typed_field_s_string_default_is_given_to_pydantic() -> None:
    mended = typed_defaults(TYPED)
    assert '    day: date = Field_1(default="2020-01-31", validate_default=True)\n' in mended
    assert '    ref: UUID | None = "not a uuid"\n' in mended  # the type refuses it: left
    assert '    name: str = "x"\n' in mended
    plain = TYPED.replace("BaseModel, Field as Field_1", "BaseModel")
    assert "from pydantic import Field\nfrom pydantic import BaseModel\n" in typed_defaults(plain)


VALIDATED = """\
from pydantic import BaseModel, Field


class G(BaseModel):
    stops: Annotated[
        list[Stop], Field(min_length=2, validate_default=True)
    ] = [{"color": "é", "offset": 0},
         {"color": "black", "offset": 100}]
    kept: Annotated[list[Stop], Field(validate_default=True)] = Field(default=[])
    plain: Annotated[int, Field(ge=0)] = 0
"""


def test_a_default_pydantic_validates_is_given_to_it_whole() -> None:
    mended = typed_defaults(VALIDATED)
    assert (
        '    ] = Field(default=[{"color": "é", "offset": 0},\n'
        '         {"color": "black", "offset": 100}], validate_default=True)\n'
    ) in mended
    assert "= Field(default=[])\n" in mended  # a Field already
    assert "    plain: Annotated[int, Field(ge=0)] = 0\n" in mended


def test_non_ascii_text_before_a_mended_node_keeps_its_columns() -> None:
    source = 'class K(StrEnum):\n    e = "é"\n\n\nclass B(BaseModel):\n    k: K\n\n\n'
    source += 'class C(B):\n    k: Literal["é"]\n'
    assert narrow_enum_literals(source).endswith("    k: Literal[K.e]\n")


def test_a_module_without_them_is_left_as_it_is() -> None:
    plain = "class A(BaseModel):\n    x: int\n"
    assert narrow_enum_literals(plain) == plain
    assert rename_shadowing_members(plain) == plain
    assert narrow_enum_overrides(plain) == plain
    assert typed_defaults(plain) == plain
