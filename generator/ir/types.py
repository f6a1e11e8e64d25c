"""TypeRef: the type of a value in the IR, as the schema means it, in no language's spelling.

Built by `generator.build.schemas`. Each language's view layer spells it
(`generator.render.python.types`, `generator.render.typescript.types`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TypeKind(StrEnum):
    MODEL = "model"  # a named schema (`NamedSchema`): a model class
    PRIMITIVE = "primitive"  # a scalar (`Primitive`)
    LIST = "list"
    DICT = "dict"  # string keys
    ANY = "any"


class Primitive(StrEnum):
    """Scalars, by JSON type and the string formats generated code gives a type of their own."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    BINARY = "binary"  # bytes: a binary body, or `format: binary`
    UUID = "uuid"
    DATE_TIME = "date-time"
    DATE = "date"
    TIME = "time"


# JSON values a default of each primitive may be (bool is not a number here).
_DEFAULT_TYPES: dict[Primitive, tuple[type, ...]] = {
    Primitive.STRING: (str,),
    Primitive.INTEGER: (int,),
    Primitive.NUMBER: (int, float),
    Primitive.BOOLEAN: (bool,),
}


@dataclass(frozen=True)
class TypeRef:
    """A type. `name` is the schema's type name (MODEL) or a `Primitive` (PRIMITIVE)."""

    kind: TypeKind
    name: str = ""
    item: TypeRef | None = None  # element type of LIST, value type of DICT
    nullable: bool = False

    @staticmethod
    def model(name: str, *, nullable: bool = False) -> TypeRef:
        return TypeRef(TypeKind.MODEL, name, nullable=nullable)

    @staticmethod
    def primitive(kind: Primitive, *, nullable: bool = False) -> TypeRef:
        return TypeRef(TypeKind.PRIMITIVE, Primitive(kind), nullable=nullable)

    @staticmethod
    def list_of(item: TypeRef, *, nullable: bool = False) -> TypeRef:
        return TypeRef(TypeKind.LIST, item=item, nullable=nullable)

    @staticmethod
    def dict_of(value: TypeRef, *, nullable: bool = False) -> TypeRef:
        return TypeRef(TypeKind.DICT, item=value, nullable=nullable)

    @staticmethod
    def any_() -> TypeRef:
        return TypeRef(TypeKind.ANY)

    def with_nullable(self, nullable: bool) -> TypeRef:
        if self.kind is TypeKind.ANY:
            return self
        return TypeRef(self.kind, self.name, self.item, nullable)

    @property
    def is_list(self) -> bool:
        return self.kind is TypeKind.LIST

    @property
    def is_model(self) -> bool:
        return self.kind is TypeKind.MODEL

    @property
    def is_optional(self) -> bool:
        """None is a value of the type (nullable, or anything at all)."""
        return self.nullable or self.kind is TypeKind.ANY

    def accepts(self, value: object) -> bool:
        """Whether a JSON default `value` is a value of this (primitive) type."""
        if self.kind is not TypeKind.PRIMITIVE:
            return False
        kinds = _DEFAULT_TYPES.get(Primitive(self.name))
        if kinds is None or (isinstance(value, bool) and self.name != Primitive.BOOLEAN):
            return False
        return isinstance(value, kinds)
