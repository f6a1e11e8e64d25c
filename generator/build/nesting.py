"""Nested inline schemas → named types, so that model names are ours.

Left inline, an enum or object inside a property gets whatever name the model generator
picks (`Source1`, `Datum`, `ModelModel`), and two identical inline shapes become two
classes. `nest` replaces each one, innermost first, with a `$ref` to a type hoisted under a
name scoped by its parent (`FeedbackItem.source` → `FeedbackItemSource`, array items
`...Item`, map values `...Value`, union members `...Option<n>`); `hoist` names the type and
gives identical shapes one name.

What describes a use rather than the type (`description`, `default`, `nullable`, `readOnly`,
examples, ...) stays at the reference: the field's docs, not the class's, since two uses of one
shape may say different things. A `null` in the enum becomes the reference's `nullable`.
allOf members are parts of their parent's type, so their properties are scoped by the parent
and they are not hoisted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from generator.pointers import join_pointer

# (the type's schema, where it is in the document, a name hint) -> the type name
Hoist = Callable[[dict[str, Any], str, str], str]
# How a reference to a hoisted type is written (not a JSON pointer: no spec ref looks like
# it); SchemaTable rewrites it, with the spec's own refs, to `#/components/schemas/<name>`.
NESTED_PREFIX: Final = "specgen:type/"

# Keywords that only annotate a schema: an `allOf: [$ref]` with nothing else is that ref.
ANNOTATIONS: Final = frozenset(
    "description title default example examples deprecated readOnly writeOnly nullable "
    "externalDocs xml".split()
)
# Keywords about one use of a type; they stay with the reference.
_USE_KEYWORDS: Final = frozenset(
    {"description", "default", "deprecated", "readOnly", "writeOnly", "nullable"}
    | {"example", "examples", "externalDocs", "xml"}
)


def needs_type(schema: Any) -> bool:
    """An inline schema that renders as a class of its own: an enum (not only null), an
    object with properties, or an allOf that is more than one reference."""
    if not isinstance(schema, Mapping) or "$ref" in schema:
        return False
    enum = schema.get("enum")
    if isinstance(enum, list) and any(v is not None for v in enum):
        return True
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and properties:
        return True
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return False
    # A merge of two parts, or a part with keywords of its own; one ref and annotations is
    # only that ref.
    real = [p for p in parts if isinstance(p, Mapping) and set(p) - ANNOTATIONS]
    return len(real) > 1 or any(set(p) - ANNOTATIONS != {"$ref"} for p in real)


def nest(schema: Mapping[str, Any], pointer: str, name: str, hoist: Hoist) -> dict[str, Any]:
    """A copy of `schema` (the type `name`) whose nested inline types are references."""
    node = dict(schema)
    properties = node.get("properties")
    if isinstance(properties, Mapping):
        node["properties"] = {
            key: _use(value, join_pointer(pointer, "properties", key), f"{name} {key}", hoist)
            for key, value in properties.items()
        }
    for keyword, suffix in (("items", "Item"), ("additionalProperties", "Value")):
        if isinstance(node.get(keyword), Mapping):
            node[keyword] = _use(
                node[keyword], join_pointer(pointer, keyword), f"{name} {suffix}", hoist
            )
    parts = node.get("allOf")
    if isinstance(parts, list):
        node["allOf"] = [
            nest(p, join_pointer(pointer, "allOf", i), name, hoist) if isinstance(p, Mapping) else p
            for i, p in enumerate(parts)
        ]
    for keyword in ("anyOf", "oneOf"):
        members = node.get(keyword)
        if not isinstance(members, list):
            continue
        inline = [m for m in members if isinstance(m, Mapping) and "$ref" not in m]
        node[keyword] = [
            _use(
                m,
                join_pointer(pointer, keyword, i),
                name if len(inline) == 1 else f"{name} Option {i + 1}",
                hoist,
            )
            for i, m in enumerate(members)
        ]
    return node


def _use(schema: Any, pointer: str, hint: str, hoist: Hoist) -> Any:
    """`schema` where it is used: a reference to its hoisted type if it needs one."""
    if not isinstance(schema, Mapping):
        return schema
    if not needs_type(schema):
        return nest(schema, pointer, hint, hoist)
    inner = nest(schema, pointer, hint, hoist)
    enum = inner.get("enum")
    nullable = inner.get("nullable") is True
    if isinstance(enum, list) and None in enum:
        inner["enum"] = [v for v in enum if v is not None]
        nullable = True
    shape = {k: v for k, v in inner.items() if k not in _USE_KEYWORDS}
    reference: dict[str, Any] = {"$ref": NESTED_PREFIX + hoist(shape, pointer, hint)}
    reference.update((k, v) for k, v in inner.items() if k in _USE_KEYWORDS)
    if nullable:
        reference["nullable"] = True
    return reference


def shape_key(schema: Mapping[str, Any]) -> str:
    """What makes two types one: the schema without its use keywords, canonically."""
    shape = {k: v for k, v in schema.items() if k not in _USE_KEYWORDS}
    return json.dumps(shape, sort_keys=True, default=repr)


class _Nested(Exception):
    pass


def _refuse(shape: dict[str, Any], pointer: str, hint: str) -> str:
    raise _Nested


def is_flat(schema: Mapping[str, Any]) -> bool:
    """A schema with no nested inline type (as a component, a nested copy can reuse it)."""
    try:
        nest(schema, "", "", _refuse)
    except _Nested:
        return False
    return True
