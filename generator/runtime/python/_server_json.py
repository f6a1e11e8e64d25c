"""JSON response bodies written by their type's pydantic serializer in one step, where
those are byte for byte what the server core's `dumps` writes of the body's JSON data:
the serializer and `repr` spell some floats differently, so a type that may hold one
(or any value at all) is written the core's way."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import PydanticUserError
from pydantic_core import PydanticSerializationError, SchemaSerializer

from ._handlers_runtime import ResponseVariant
from ._server_bodies import adapter

__all__ = ["written_at_once"]


def written_at_once(result: ResponseVariant) -> bytes | None:
    """A JSON body written by its type's serializer at once, where those are the bytes
    `dumps` writes of its JSON data (see `_same_json`); None where they may not be, and
    for a value its type does not describe (the serializer would guess how to write
    it, with a warning: the caller's way writes it, and warns, as before)."""
    serializer = _json_serializer(result.body_type)
    if serializer is None:
        return None
    try:
        content: bytes = serializer.to_json(
            result.content, by_alias=True, exclude_unset=True, warnings="error"
        )
    except PydanticSerializationError:
        return None
    return content


@cache
def _json_serializer(body_type: Any) -> SchemaSerializer | None:
    try:
        found = adapter(body_type)
        serializer, schema = found.serializer, found.core_schema
    except (PydanticUserError, TypeError, ValueError):  # not a type pydantic builds
        return None
    if not isinstance(serializer, SchemaSerializer):
        return None
    return serializer if _same_json(schema, _refs(schema), set()) else None


# Values whose JSON the serializer writes as `dumps` writes them (not floats: `repr`
# and the serializer spell some differently, 1e+16 and 1e16), and wrappers of others.
_SAME_LEAVES = frozenset(
    ("str", "int", "bool", "none", "uuid", "date", "datetime", "time")
)
_WRAPPERS = frozenset(
    ("nullable", "default", "model", "model-field", "missing-sentinel", "definitions")
)
_PLAIN_VALUES = (str, int, bool, type(None))
_ANY = {"type": "any"}


def _same_json(schema: Any, refs: dict[str, Any], seen: set[str]) -> bool:
    """Whether every value of the core schema `schema` is written by its serializer as
    `dumps` writes its JSON data: no float, no value of any type, no serializer of a
    function or format; anything else (dataclasses, bytes, decimals...) says no."""
    if "serialization" in schema:
        return False
    kind = schema["type"]
    if (
        kind == "model"
        and schema.get("config", {}).get("extra_fields_behavior") == "allow"
    ):
        return False  # extra values, of any type, may come along
    if kind in _SAME_LEAVES:
        return True
    if kind == "definition-ref":
        ref = schema["schema_ref"]
        if ref in seen:
            return True
        seen.add(ref)
        return ref in refs and _same_json(refs[ref], refs, seen)
    if kind == "enum":
        return all(type(m.value) in (str, int) for m in schema["members"])
    if kind == "literal":
        return all(type(value) in _PLAIN_VALUES for value in schema["expected"])
    inner: list[Any]
    if kind in _WRAPPERS:
        inner = [schema["schema"]] if "schema" in schema else []
    elif kind in ("list", "set", "frozenset"):
        inner = [schema.get("items_schema", _ANY)]
    elif kind == "tuple":
        inner = list(schema.get("items_schema", [_ANY]))
    elif kind == "dict":
        inner = [schema.get("keys_schema", _ANY), schema.get("values_schema", _ANY)]
    elif kind == "union":
        inner = [c[0] if isinstance(c, tuple) else c for c in schema["choices"]]
    elif kind == "tagged-union":
        inner = list(schema["choices"].values())
    elif kind == "model-fields":
        if schema.get("extra_behavior") == "allow":
            return False
        fields = [*schema["fields"].values(), *schema.get("computed_fields", ())]
        inner = [field.get("return_schema", field) for field in fields]
    else:
        return False
    return all(_same_json(part, refs, seen) for part in inner)


def _refs(schema: Any) -> dict[str, Any]:
    """Every schema of a core schema that has a `ref`, by it."""
    found: dict[str, Any] = {}
    stack = [schema]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("ref"), str) and "type" in item:
                found[item["ref"]] = item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return found
