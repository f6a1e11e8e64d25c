"""TypeRef: how generated Python code spells the type of a schema.

Built by `generator.build.schemas` from identifier types and a closed set of builtin names, so
an annotation never carries spec text. `annotation` is `Code` (safe to emit as is).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from generator.ir.names import ClassName


class Code(str):
    """A fragment of generated source that is safe to emit verbatim (built by us, not the spec)."""

    __slots__ = ()


class TypeKind(StrEnum):
    MODEL = "model"  # a class in models.py
    PRIMITIVE = "primitive"  # str, int, float, bool, bytes, UUID, datetime, date
    LIST = "list"
    DICT = "dict"  # dict[str, value]
    ANY = "any"


# Primitive spellings and the import each needs ("" = builtin).
PRIMITIVES: dict[str, str] = {
    "str": "",
    "int": "",
    "float": "",
    "bool": "",
    "bytes": "",
    "UUID": "uuid",
    "datetime": "datetime",
    "date": "datetime",
    "time": "datetime",
    "timedelta": "datetime",
}


@dataclass(frozen=True)
class TypeRef:
    """A Python type. `name` is the class name (MODEL) or primitive spelling (PRIMITIVE)."""

    kind: TypeKind
    name: str = ""
    item: TypeRef | None = None  # element type of LIST, value type of DICT
    nullable: bool = False

    @staticmethod
    def model(name: ClassName, *, nullable: bool = False) -> TypeRef:
        return TypeRef(TypeKind.MODEL, str(name), nullable=nullable)

    @staticmethod
    def primitive(name: str, *, nullable: bool = False) -> TypeRef:
        if name not in PRIMITIVES:
            raise ValueError(f"unknown primitive {name!r}")
        return TypeRef(TypeKind.PRIMITIVE, name, nullable=nullable)

    @staticmethod
    def any_() -> TypeRef:
        return TypeRef(TypeKind.ANY)

    def with_nullable(self, nullable: bool) -> TypeRef:
        if self.kind is TypeKind.ANY:
            return self
        return TypeRef(self.kind, self.name, self.item, nullable)

    @property
    def annotation(self) -> Code:
        if self.kind is TypeKind.ANY:
            return Code("Any")
        if self.kind is TypeKind.LIST:
            assert self.item is not None
            base = f"list[{self.item.annotation}]"
        elif self.kind is TypeKind.DICT:
            assert self.item is not None
            base = f"dict[str, {self.item.annotation}]"
        elif self.kind is TypeKind.MODEL:
            base = f"models.{self.name}"
        else:
            base = self.name
        return Code(f"{base} | None" if self.nullable else base)

    @property
    def optional_annotation(self) -> Code:
        """The annotation of a value that may also be absent (None)."""
        return self.annotation if self.is_optional else Code(f"{self.annotation} | None")

    @property
    def is_list(self) -> bool:
        return self.kind is TypeKind.LIST

    @property
    def is_model(self) -> bool:
        return self.kind is TypeKind.MODEL

    @property
    def is_optional(self) -> bool:
        return self.nullable or self.kind is TypeKind.ANY

    def accepts(self, value: object) -> bool:
        """Whether a JSON default `value` can be emitted as a literal of this type."""
        if self.kind is not TypeKind.PRIMITIVE:
            return False
        expected: dict[str, tuple[type, ...]] = {
            "str": (str,),
            "int": (int,),
            "float": (int, float),
            "bool": (bool,),
        }
        kinds = expected.get(self.name)
        if kinds is None or (isinstance(value, bool) and self.name != "bool"):
            return False
        return isinstance(value, kinds)

    def imports(self) -> frozenset[str]:
        """Modules the annotation needs, as `module:Name` ("typing:Any", "uuid:UUID")."""
        found: set[str] = set()
        ref: TypeRef | None = self
        while ref is not None:
            if ref.kind is TypeKind.ANY:
                found.add("typing:Any")
            elif ref.kind is TypeKind.PRIMITIVE and PRIMITIVES[ref.name]:
                found.add(f"{PRIMITIVES[ref.name]}:{ref.name}")
            ref = ref.item
        return frozenset(found)


def union_of(annotations: Iterable[Code]) -> Code:
    """`A | B` without repeats; `None` for no annotation; `Any` absorbs everything."""
    seen: dict[str, None] = {}
    for annotation in annotations:
        for part in _top_level_parts(annotation):
            seen.setdefault(part)
    if "Any" in seen:
        return Code("Any")
    if not seen:
        return Code("None")
    parts = [p for p in seen if p != "None"] + (["None"] if "None" in seen else [])
    return Code(" | ".join(parts))


def _top_level_parts(annotation: str) -> list[str]:
    """Split `A | list[B | C] | None` at the top-level bars only."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(annotation):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(annotation[start:i].strip())
            start = i + 1
    parts.append(annotation[start:].strip())
    return [p for p in parts if p]
