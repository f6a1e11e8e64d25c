"""TypeScript type expressions, and how the IR's `TypeRef`s are spelled in TypeScript.

Expressions are a small tree (`Atom`, `Union`, `Intersection`, `ArrayOf`, `ObjectType`,
`Applied`) built
only from identifier types (`TsName`), keywords and escaped literals, and rendered to `Code`
with the parentheses precedence needs. Unions drop repeats and put `null` last; `unknown`
absorbs a union and vanishes from an intersection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.ir.types import Primitive, TypeKind, TypeRef
from generator.render.code import Code
from generator.render.typescript.literals import ts_doc
from generator.render.typescript.names import TsName


@dataclass(frozen=True)
class Atom:
    """A keyword, a (qualified) type name or a literal type."""

    text: Code


@dataclass(frozen=True)
class Union:
    items: tuple[TsType, ...]


@dataclass(frozen=True)
class Intersection:
    items: tuple[TsType, ...]


@dataclass(frozen=True)
class ArrayOf:
    item: TsType


@dataclass(frozen=True)
class Applied:
    """A generic type applied to its arguments: `Stream<models.Chunk>`."""

    name: TsName
    args: tuple[TsType, ...]


@dataclass(frozen=True)
class Member:
    """One property of an object type; `key` is already escaped (`ts_property`)."""

    key: Code
    type: TsType
    optional: bool
    doc: str = ""


@dataclass(frozen=True)
class ObjectType:
    members: tuple[Member, ...] = ()
    index: TsType | None = None  # value type of `[key: string]: ...`


TsType = Atom | Union | Intersection | ArrayOf | ObjectType | Applied

UNKNOWN = Atom(Code("unknown"))
NEVER = Atom(Code("never"))
NULL = Atom(Code("null"))
UNDEFINED = Atom(Code("undefined"))
STRING = Atom(Code("string"))
NUMBER = Atom(Code("number"))
BOOLEAN = Atom(Code("boolean"))
# A binary request body: whatever `fetch` sends as bytes; a stream is sent as it is read.
BINARY_UPLOAD = Union(
    (
        Atom(Code("Blob")),
        Atom(Code("ArrayBuffer")),
        Atom(Code("Uint8Array")),
        Atom(Code("ReadableStream<Uint8Array>")),
    )
)


def union(items: Iterable[TsType]) -> TsType:
    flat: list[TsType] = []
    for item in items:
        for part in item.items if isinstance(item, Union) else (item,):
            if part == UNKNOWN:
                return UNKNOWN
            if part != NEVER and part not in flat:
                flat.append(part)
    if NULL in flat:  # null last, as people write it
        flat.remove(NULL)
        flat.append(NULL)
    if not flat:
        return NEVER
    return flat[0] if len(flat) == 1 else Union(tuple(flat))


def intersection(items: Iterable[TsType]) -> TsType:
    flat: list[TsType] = []
    for item in items:
        for part in item.items if isinstance(item, Intersection) else (item,):
            if part == NEVER:
                return NEVER
            if part != UNKNOWN and part not in flat:
                flat.append(part)
    if not flat:
        return UNKNOWN
    return flat[0] if len(flat) == 1 else Intersection(tuple(flat))


def nullable(item: TsType) -> TsType:
    return union([item, NULL])


def render(expr: TsType, indent: int = 0) -> Code:
    """TypeScript source of `expr`; object types with members span lines, indented so that
    their closing brace lines up with `indent`."""
    if isinstance(expr, Atom):
        return expr.text
    if isinstance(expr, Union):
        return Code(" | ".join(_operand(i, indent, Union) for i in expr.items))
    if isinstance(expr, Intersection):
        return Code(" & ".join(_operand(i, indent, Intersection) for i in expr.items))
    if isinstance(expr, ArrayOf):
        return Code(_operand(expr.item, indent, ArrayOf) + "[]")
    if isinstance(expr, Applied):
        return Code(f"{expr.name}<{', '.join(render(a, indent) for a in expr.args)}>")
    return _render_object(expr, indent)


def _operand(expr: TsType, indent: int, parent: type) -> str:
    text = render(expr, indent)
    needs = (parent is ArrayOf and isinstance(expr, Union | Intersection)) or (
        parent is Intersection and isinstance(expr, Union)
    )
    return f"({text})" if needs else text


def _render_object(expr: ObjectType, indent: int) -> Code:
    index = f"[key: string]: {render(expr.index, indent)}" if expr.index is not None else ""
    if not expr.members:
        return Code("{ " + index + " }" if index else "{}")
    pad = " " * (indent + 2)
    lines = ["{"]
    for m in expr.members:
        doc = ts_doc(m.doc, indent + 2)
        if doc:
            lines.append(pad + doc)
        mark = "?" if m.optional else ""
        lines.append(f"{pad}{m.key}{mark}: {render(m.type, indent + 2)};")
    if index:
        lines.append(f"{pad}{index};")
    lines.append(" " * indent + "}")
    return Code("\n".join(lines))


_PRIMITIVES: dict[Primitive, TsType] = {
    Primitive.STRING: STRING,
    Primitive.UUID: STRING,
    Primitive.DATE_TIME: STRING,
    Primitive.DATE: STRING,
    Primitive.TIME: STRING,
    Primitive.INTEGER: NUMBER,
    Primitive.NUMBER: NUMBER,
    Primitive.BOOLEAN: BOOLEAN,
    Primitive.BINARY: Atom(Code("Uint8Array")),
}


def from_type_ref(ref: TypeRef, namespace: str = "models") -> TsType:
    """The TypeScript type of an IR type, model classes qualified by `namespace`."""
    if ref.kind is TypeKind.ANY:
        return UNKNOWN
    if ref.kind is TypeKind.MODEL:
        base: TsType = Atom(Code(f"{namespace}.{TsName(ref.name)}"))
    elif ref.kind is TypeKind.PRIMITIVE:
        base = _PRIMITIVES.get(Primitive(ref.name), UNKNOWN)
    elif ref.kind is TypeKind.LIST:
        base = ArrayOf(from_type_ref(ref.item, namespace) if ref.item else UNKNOWN)
    else:
        value = from_type_ref(ref.item, namespace) if ref.item else UNKNOWN
        base = ObjectType(index=value)
    return nullable(base) if ref.nullable else base


def ts_type(ref: TypeRef, namespace: str = "models") -> Code:
    return render(from_type_ref(ref, namespace))
