"""An operation's parameters (re-exported by `generator.ir.model`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.ir.security import ParamLocation
from generator.ir.types import TypeRef


@dataclass(frozen=True)
class Constraint:
    """A validation keyword of a parameter's schema."""

    keyword: str  # (exclusive)Minimum, (exclusive)Maximum, minLength, maxLength, pattern
    value: int | float | str


@dataclass(frozen=True)
class Parameter:
    name: str  # wire name, spec text
    location: ParamLocation
    required: bool
    type: TypeRef
    pointer: str
    description: str = ""
    has_default: bool = False
    default: Any = None  # JSON value of the schema default, emitted through `literal`
    constraints: tuple[Constraint, ...] = ()
    explode: bool = True
    deprecated: bool = False
    style: str = ""  # as written; "" when the spec leaves the location's default

    @property
    def delimiter(self) -> str | None:
        """What separates a list's values inside one value: a header's are always
        comma-separated (`simple`), a query's or cookie's when not exploded (`form`: comma,
        `spaceDelimited`, `pipeDelimited`). None when each value comes on its own."""
        if not self.type.is_list:
            return None
        if self.location is ParamLocation.HEADER:
            return ","
        if self.location in (ParamLocation.QUERY, ParamLocation.COOKIE) and not self.explode:
            return {"spaceDelimited": " ", "pipeDelimited": "|"}.get(self.style, ",")
        return None

    @property
    def is_optional(self) -> bool:
        """Absent unless the caller gives it (no default the framework can fill in)."""
        return not self.required and not self.has_default

    @property
    def greedy(self) -> bool:
        """A `{name+}` path variable (API Gateway style): it matches several segments."""
        return self.location is ParamLocation.PATH and self.name.endswith("+")
