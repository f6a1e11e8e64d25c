"""Python type expressions, and how the IR's `TypeRef`s are spelled in Python.

Expressions are a small tree (`Name`, `Model`, `Generic`, `Union`) built only from identifier
types and a closed set of builtin and standard-library names, rendered to `Code`. Unions drop
repeats and put `None` last; `Any` absorbs a union. `imports` says which `from module import
Name` lines an expression needs, so no module lists its imports by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.ir.types import Primitive, TypeKind, TypeRef
from generator.render.code import Code
from generator.render.python.names import PyClass

MODELS = "models"  # the name every module of a package binds the models module to


@dataclass(frozen=True)
class Name:
    """A builtin (`module` empty) or a name imported from a standard-library module."""

    name: str
    module: str = ""


@dataclass(frozen=True)
class Model:
    """A model class, `models.<name>`."""

    name: PyClass


@dataclass(frozen=True)
class Generic:
    """`list[T]`, `dict[str, T]`."""

    base: Name
    args: tuple[PyType, ...]


@dataclass(frozen=True)
class Union:
    items: tuple[PyType, ...]


PyType = Name | Model | Generic | Union

NONE = Name("None")
ANY = Name("Any", "typing")
STR = Name("str")
LIST = Name("list")
DICT = Name("dict")
ASYNC_ITERABLE = Name("AsyncIterable", "collections.abc")
EVENT = Name("Event")  # of the runtime (`_streams.Event`), imported by the templates
# Binary bodies (`_binary`): a handler's response body (imported by the contract), and an
# upload of the sync and async clients (`_client_binary`, imported as `rb`).
BINARY_BODY = Name("BinaryBody")
UPLOAD = Name("rb.Upload")
ASYNC_UPLOAD = Name("rb.AsyncUpload")

_PRIMITIVES: Mapping[Primitive, Name] = {
    Primitive.STRING: STR,
    Primitive.INTEGER: Name("int"),
    Primitive.NUMBER: Name("float"),
    Primitive.BOOLEAN: Name("bool"),
    Primitive.BINARY: Name("bytes"),
    Primitive.UUID: Name("UUID", "uuid"),
    Primitive.DATE_TIME: Name("datetime", "datetime"),
    Primitive.DATE: Name("date", "datetime"),
    Primitive.TIME: Name("time", "datetime"),
}


def union(items: Iterable[PyType]) -> PyType:
    """`A | B` without repeats, None last; `Any` absorbs everything; nothing at all is None."""
    flat: list[PyType] = []
    for item in items:
        for part in item.items if isinstance(item, Union) else (item,):
            if part == ANY:
                return ANY
            if part not in flat:
                flat.append(part)
    if NONE in flat:
        flat.remove(NONE)
        flat.append(NONE)
    if not flat:
        return NONE
    return flat[0] if len(flat) == 1 else Union(tuple(flat))


def optional(item: PyType) -> PyType:
    """`item | None` (unchanged when None is already a value of it)."""
    return union([item, NONE])


def is_optional(item: PyType) -> bool:
    return item in (ANY, NONE) or (isinstance(item, Union) and NONE in item.items)


def render(expr: PyType) -> Code:
    """The Python source of `expr`."""
    if isinstance(expr, Name):
        return Code(expr.name)
    if isinstance(expr, Model):
        return Code(f"{MODELS}.{expr.name}")
    if isinstance(expr, Generic):
        return Code(f"{expr.base.name}[{', '.join(render(a) for a in expr.args)}]")
    return Code(" | ".join(render(i) for i in expr.items))


def imports(exprs: Iterable[PyType]) -> tuple[Code, ...]:
    """`from module import A, B` lines for the standard-library names in `exprs`, sorted."""
    by_module: dict[str, set[str]] = {}
    stack = list(exprs)
    while stack:
        expr = stack.pop()
        if isinstance(expr, Name) and expr.module:
            by_module.setdefault(expr.module, set()).add(expr.name)
        elif isinstance(expr, Generic):
            stack.extend(expr.args)
        elif isinstance(expr, Union):
            stack.extend(expr.items)
    return tuple(
        Code(f"from {module} import {', '.join(sorted(names))}")
        for module, names in sorted(by_module.items())
    )


def from_type_ref(ref: TypeRef, models: Mapping[str, PyClass]) -> PyType:
    """The Python type of an IR type; `models` maps type names to the model classes."""
    if ref.kind is TypeKind.ANY:
        return ANY
    base: PyType
    if ref.kind is TypeKind.MODEL:
        base = Model(models[ref.name])
    elif ref.kind is TypeKind.PRIMITIVE:
        base = _PRIMITIVES[Primitive(ref.name)]
    elif ref.kind is TypeKind.LIST:
        base = Generic(LIST, (from_type_ref(ref.item, models) if ref.item else ANY,))
    else:
        value = from_type_ref(ref.item, models) if ref.item else ANY
        base = Generic(DICT, (STR, value))
    return optional(base) if ref.nullable else base
