"""Parameter types the frameworks can bind beyond a scalar, an enum or an array of those."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.build.nesting import ANNOTATIONS
from generator.build.schemas import SchemaTable, is_primitive_schema, single_ref
from generator.ir.types import TypeRef
from generator.pointers import deref


def one_or_many(
    document: Mapping[str, Any], table: SchemaTable, schema: Any, pointer: str
) -> TypeRef | None:
    """`list[X]` for an `anyOf`/`oneOf` of a scalar X and arrays of X (`ids=a` or
    `ids=a&ids=b`): on the wire one value is an array of one, so the list accepts exactly
    what the union does. None for any other schema."""
    target, pointer = _follow(document, schema, pointer)
    if not isinstance(target, Mapping):
        return None
    key = "anyOf" if "anyOf" in target else "oneOf"
    members = target.get(key)
    if not isinstance(members, list) or len(members) < 2:
        return None
    scalars: list[tuple[Mapping[str, Any], str]] = []
    arrays = 0
    nullable = target.get("nullable") is True
    for i, raw in enumerate(members):
        member, where = _follow(document, raw, f"{pointer}/{key}/{i}")
        if not isinstance(member, Mapping):
            return None
        nullable = nullable or member.get("nullable") is True
        if member.get("type") == "array" and set(_meaning(member)) == {"type", "items"}:
            arrays += 1
            member, where = _follow(document, member.get("items"), where + "/items")
        scalars.append((member, where))
    # One scalar schema throughout, without constraints the list could not carry.
    first = _meaning(scalars[0][0])
    if arrays == 0 or not set(first) <= {"type", "format"}:
        return None
    if any(_meaning(s) != first or not is_primitive_schema(s) for s, _ in scalars):
        return None
    member, where = scalars[0]
    item = table.type_of(member, where, "", unwrap=True).with_nullable(False)
    return TypeRef.list_of(item, nullable=nullable)


def _meaning(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords of a schema that decide what it accepts."""
    return {k: v for k, v in schema.items() if k not in ANNOTATIONS and not k.startswith("x-")}


def _follow(document: Mapping[str, Any], schema: Any, pointer: str) -> tuple[Any, str]:
    """The schema behind refs and `allOf: [$ref]`, with its pointer."""
    target, pointer = deref(document, schema, pointer)
    alias = single_ref(target) if isinstance(target, Mapping) else None
    if alias is not None:
        target, pointer = deref(document, {"$ref": alias}, pointer)
    return target, pointer
