"""Whether a request body's model says everything its JSON Schema says, so that the servers
validate the body once (the model, in pydantic's strict JSON mode) instead of twice (the
JSON Schema check, then the model).

The model generator turns these keywords into checks the model makes: types (one, or one with
`nullable`), `properties`/`required`, `items`, `enum`/`const`, string lengths and `pattern`,
numeric bounds and `multipleOf`, array lengths, the formats whose Python types validate,
`allOf` (merged), `anyOf` (a union: any member), `oneOf` with a `discriminator` (the tag picks
exactly one), `additionalProperties: false` beside properties (extra fields forbidden) or
absent/`true`. Anything else is said by the schema alone: `not` (also how a readOnly property
is forbidden in a request), `oneOf` without a discriminator (exactly one must match),
`uniqueItems`, `patternProperties`, `minProperties`, `additionalProperties: false` without
properties (the model generator makes that a `dict[str, Any]`, which takes any object), an
`enum` of booleans or numbers (a Python `Enum` compares by `==`, so `0` passes for `false`),
`if`/`then`, formats such as `email` that models keep as `str` and `date-time`/`date` (pydantic
also reads `"0"` as one), a typed `additionalProperties` beside properties... A body whose
schema (with everything it refers to) uses one of those keeps the JSON Schema check.

A text body is a `str`: `text_is_checked` says when its schema says more, so that servers check
the text against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.pointers import MAX_REF_HOPS, deref, resolve_ref

# Keywords that change nothing a validator checks.
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "default",
        "deprecated",
        "externalDocs",
        "xml",
        "readOnly",  # the request side has no readOnly property left, or forbids it (`not`)
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "contentMediaType",
        "contentEncoding",
        "discriminator",
    }
)
_ENFORCED = frozenset(
    {
        "$ref",
        "type",
        "nullable",
        "properties",
        "required",
        "items",
        "enum",
        "const",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "format",
        "allOf",
        "anyOf",
        "oneOf",
        "additionalProperties",
    }
)
# Formats whose model types validate them (UUID) or that no validator checks. Not date-time
# or date: pydantic also reads "0", Unix timestamps and times without an offset as datetimes.
_FORMATS = frozenset({"uuid", "int32", "int64", "float", "double", "binary", "password"})
_MAX_NODES = 20_000  # a schema closure this large keeps the check rather than be walked on


def _node_is_exact(node: Mapping[str, Any]) -> bool:
    if any(key not in _ENFORCED and key not in _ANNOTATIONS for key in node):
        return False
    if isinstance(node.get("type"), list):
        return False
    fmt = node.get("format")
    if isinstance(fmt, str) and node.get("type") == "string" and fmt not in _FORMATS:
        return False
    if "oneOf" in node and "discriminator" not in node:
        return False
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping) and "properties" in node:
        return False  # a model types its properties, not the extra ones
    if extra is False and not node.get("properties"):
        return False  # no properties: a plain dict, extra keys and all
    values = node.get("enum")
    if isinstance(values, list) and any(isinstance(value, bool | int | float) for value in values):
        return False  # the model's Enum takes 0 for false, 1.0 for 1, True for 1
    return not isinstance(node.get("exclusiveMinimum"), bool) and not isinstance(
        node.get("exclusiveMaximum"), bool
    )


def _children(node: Mapping[str, Any]) -> list[Any]:
    found: list[Any] = []
    props = node.get("properties")
    if isinstance(props, Mapping):
        found.extend(props.values())
    for key in ("items", "additionalProperties"):  # `false`/`true` here are enforced
        if isinstance(node.get(key), Mapping):
            found.append(node[key])
    for key in ("allOf", "anyOf", "oneOf"):
        members = node.get(key)
        if isinstance(members, list):
            found.extend(members)
    return found


def model_is_exact(document: Mapping[str, Any], schema: Any) -> bool:
    """Whether the model of `schema` (in `document`, the request side of the servers'
    checks) enforces everything the schema says."""
    pending = [schema]
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if node is True:
            continue
        if not isinstance(node, Mapping):
            return False  # `false` (nothing matches) or something no model means
        if id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > _MAX_NODES:
            return False
        if "$ref" in node:
            target, _ = deref(document, node, "")
            if not isinstance(target, Mapping) or not _node_is_exact(node):
                return False
            pending.append(target)
        if not _node_is_exact(node):
            return False
        pending.extend(_children(node))
    return True


def _text_schema(document: Mapping[str, Any], schema: Any) -> Mapping[str, Any] | None:
    """`schema` with the `$ref`s it starts with followed, a referrer's keywords over its
    target's (3.1 allows them beside `$ref`); None for `true`, none or a dangling one."""
    node: Any = schema
    merged: dict[str, Any] = {}
    for _ in range(MAX_REF_HOPS):
        if not isinstance(node, Mapping) or "$ref" not in node:
            break
        merged = {**node, **merged}
        node = resolve_ref(document, str(node["$ref"]))
    if not isinstance(node, Mapping):
        return None
    return {k: v for k, v in {**node, **merged}.items() if k != "$ref"}


def text_is_checked(document: Mapping[str, Any], schema: Any) -> bool:
    """Whether servers check a text body against `schema`: when it says more than a `str`
    does (`type: string` and annotations), and of a string. A schema that does not take
    strings (`type: integer`, an enum of numbers) describes a value no rule spells as
    text, so that text is handed over unchecked, as a plain string is."""
    node = _text_schema(document, schema)
    if node is None:
        return False
    kind = node.get("type", "string")
    if not ("string" in kind if isinstance(kind, list) else kind == "string"):
        return False
    values = [node["const"]] if "const" in node else node.get("enum", [])
    if isinstance(values, list) and values and not any(isinstance(v, str) for v in values):
        return False
    plain = _ANNOTATIONS | {"type", "nullable"}  # a text body is never null
    return any(key not in plain for key in node)
