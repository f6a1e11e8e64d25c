"""Rewrite schemas into the one form generation uses, and into the declared version's form.

Canonical form (what datamodel-code-generator 0.89 renders best, pinned by the DCG round-trip
tests): nullability is only `nullable: true` next to the non-null schema.
  - `type: [X, "null"]` -> `type: X, nullable: true`; several non-null types -> `anyOf` of one
    branch per type, each with the constraints that apply to it;
  - a `{type: "null"}` (or `{enum: [null]}`) branch of anyOf/oneOf is dropped and the schema
    gets `nullable: true`; one remaining inline branch is merged into the schema (DCG would
    otherwise emit a wrapper RootModel), one remaining `$ref` stays `anyOf: [{$ref}]`;
  - a schema typed only `null` beside a union with a non-null branch (`{type: "null", oneOf:
    [string, number]}`, as vercel's spec writes "null or one of these") is read as meant: the
    union, nullable (no value meets both; SG316 warns, `null_beside_union` finds it);
  - an `enum` value its schema's `type` rejects (`{type: string, enum: [{override: true},
    DEFAULT]}`, enode's spec) is dropped: no value can be both (SG317 warns,
    `mistyped_enum_values` finds them), unless no value would be left;
  - a schema that is only null stays `type: "null"` (DCG renders `None`; `enum: [null]` would
    become a one-member Enum class);
  - a typed schema whose `enum` lists null gets `nullable: true`: the author meant null to be
    allowed (Braintrust's nullable enums), as DCG reads it, though the type alone rejects it;
  - `const` stays: DCG renders it as `Literal[...]`, a one-value enum as an Enum class;
  - both forms of `exclusiveMinimum`/`exclusiveMaximum` stay: DCG reads both;
  - Azure's `x-ms-discriminator-value` on a schema that extends a discriminated base
    (`allOf: [$ref: Base]`) is that schema's entry in the base's discriminator `mapping`
    (`discriminator_values`): its tag, where OpenAPI alone would take the schema's name;
  - an allOf member of annotations only (`allOf: [$ref, {description: ...}]`) is folded into
    its parent, which makes `allOf: [$ref]` the referenced type (DCG would merge a new class
    and lose the reference's null).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Final

from generator.pointers import SCHEMAS_PREFIX, component_schema
from generator.validate.schemas import SchemaWalk

_ANNOTATIONS: Final = frozenset(
    "title description nullable deprecated readOnly writeOnly example examples externalDocs "
    "xml $comment default".split()
)
_NUMERIC: Final = frozenset("minimum maximum exclusiveMinimum exclusiveMaximum multipleOf".split())
_BY_TYPE: Final[dict[str, frozenset[str]]] = {
    "string": frozenset(
        "minLength maxLength pattern contentEncoding contentMediaType contentSchema".split()
    ),
    "number": _NUMERIC,
    "integer": _NUMERIC,
    "array": frozenset(
        "items prefixItems minItems maxItems uniqueItems contains minContains maxContains "
        "unevaluatedItems additionalItems".split()
    ),
    "object": frozenset(
        "properties required additionalProperties patternProperties minProperties "
        "maxProperties propertyNames unevaluatedProperties dependentRequired "
        "dependentSchemas discriminator".split()
    ),
}
_KINDS: Final = frozenset({"string", "number", "integer", "boolean", "array", "object"})
_FORMAT_TYPE: Final = {
    "int32": "integer",
    "int64": "integer",
    "float": "number",
    "double": "number",
}


def json_type(value: Any) -> str:
    """The JSON Schema type name of a JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def _is_null_schema(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") == "null"
        and all(k in _ANNOTATIONS or k == "type" or k.startswith("x-") for k in value)
    )


def null_beside_union(node: dict[str, Any]) -> str | None:
    """The union keyword (`oneOf`, `anyOf`) beside which `node` is typed only `null`, when
    a branch of it is not null: JSON Schema lets no value meet both, so the author meant
    "null, or one of these"."""
    if node.get("type") not in ("null", ["null"]):
        return None
    for key in ("oneOf", "anyOf"):
        branches = node.get(key)
        if isinstance(branches, list) and not all(_is_null_schema(b) for b in branches):
            return key
    return None


def _of_type(value: Any, kind: str) -> bool:
    found = json_type(value)
    if kind == "number":
        return found in ("number", "integer")
    if kind == "integer":
        return found == "integer" or (found == "number" and float(value).is_integer())
    return found == kind


def mistyped_enum_values(node: dict[str, Any]) -> list[Any]:
    """The values of `node`'s `enum` its (one, non-null) `type` rejects, when some value is
    left (null is how an enum says nullable: see below)."""
    kind, values = node.get("type"), node.get("enum")
    if not isinstance(kind, str) or kind not in _KINDS or not isinstance(values, list):
        return []
    wrong = [v for v in values if v is not None and not _of_type(v, kind)]
    return wrong if len(wrong) < len(values) else []


def _split_types(node: dict[str, Any], types: list[str]) -> list[dict[str, Any]]:
    """One anyOf branch per type, each keeping the constraints that apply to that type."""
    enum = node.get("enum")
    fmt = node.get("format")
    branches = []
    for kind in types:
        branch: dict[str, Any] = {"type": kind}
        for key in sorted(_BY_TYPE.get(kind, frozenset()) & node.keys()):
            branch[key] = node[key]
        if fmt is not None and _FORMAT_TYPE.get(fmt, "string") == kind:
            branch["format"] = fmt
        if isinstance(enum, list):
            members = [
                v
                for v in enum
                if json_type(v) == kind or (kind == "number" and json_type(v) == "integer")
            ]
            if not members:
                continue
            branch["enum"] = members
        branches.append(branch)
    moved = {"format", "enum"}.union(*(_BY_TYPE.get(kind, frozenset()) for kind in types))
    for key in moved:
        node.pop(key, None)
    return branches


def _canonical_type(node: dict[str, Any]) -> None:
    if null_beside_union(node) is not None:
        del node["type"]
        node["nullable"] = True
    kind = node.get("type")
    if isinstance(kind, list) and all(isinstance(k, str) for k in kind):
        types = list(dict.fromkeys(kind))
        if "null" in types:
            types.remove("null")
            node["nullable"] = True
        if not types:
            node["type"] = "null"
        elif len(types) == 1:
            node["type"] = types[0]
        else:
            del node["type"]
            branches = _split_types(node, types)
            if "anyOf" in node:
                node.setdefault("allOf", []).append({"anyOf": branches})
            else:
                node["anyOf"] = branches
    wrong = mistyped_enum_values(node)
    if wrong:
        node["enum"] = [v for v in node["enum"] if not any(v is w for w in wrong)]
    enum = node.get("enum")
    if isinstance(enum, list) and enum and all(v is None for v in enum):
        del node["enum"]
        node["type"] = "null"
    elif isinstance(enum, list) and None in enum and isinstance(node.get("type"), str):
        # Listing null only means to allow it (JSON Schema's `type` would reject it):
        # every reader of the canonical form (models, checks, the fuzz contract) agrees.
        node["nullable"] = True
    if node.get("type") == "null":
        node.pop("nullable", None)


def _drop_null_branches(node: dict[str, Any]) -> None:
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if not isinstance(branches, list):
            continue
        kept = [b for b in branches if not _is_null_schema(b)]
        if len(kept) == len(branches):
            continue
        node["nullable"] = True
        if not kept:
            del node[key]
            if "type" not in node:
                node["type"] = "null"
                del node["nullable"]
            continue
        only = kept[0]
        mergeable = (
            len(kept) == 1
            and isinstance(only, dict)
            and "$ref" not in only
            and not (node.keys() - {key, "nullable"}) & only.keys()
        )
        if mergeable:
            del node[key]
            node.update({k: v for k, v in only.items() if k != "nullable"})
        else:
            node[key] = kept


# What an allOf member that says nothing else may carry and still be folded into its parent.
_FOLDABLE: Final = _ANNOTATIONS - {"nullable", "readOnly", "writeOnly"}


def _fold_annotation_members(node: dict[str, Any]) -> None:
    """Move the annotations of allOf members that only annotate (`allOf: [$ref, {description:
    ...}]`) to the schema itself: such a member accepts anything, and left in place it makes
    datamodel-code-generator merge the referenced schema into a new class, losing its null
    (`allOf: [$ref]` alone is the referenced type)."""
    members = node.get("allOf")
    if not isinstance(members, list):
        return
    kept = []
    for member in members:
        if (
            isinstance(member, dict)
            and member
            and all(k in _FOLDABLE or k.startswith("x-") for k in member)
        ):
            for key, value in member.items():
                node.setdefault(key, value)
        else:
            kept.append(member)
    if len(kept) < len(members):
        if kept:
            node["allOf"] = kept
        else:
            del node["allOf"]


def canonicalise(nodes: Sequence[dict[str, Any]]) -> None:
    """Rewrite, in place, every schema of `nodes` (`schema_nodes` of the document to change)."""
    # Innermost first: a parent sees its branches already rewritten (`{enum: [null]}` is
    # `{type: "null"}` by then).
    for node in reversed(nodes):
        _canonical_type(node)
        _drop_null_branches(node)
        _fold_annotation_members(node)


def discriminator_values(document: dict[str, Any]) -> None:
    """Add, in place, each component schema's `x-ms-discriminator-value` to the mapping of
    the discriminated base it extends (see above); an entry the mapping has stays."""
    schemas = document.get("components", {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    for name, schema in schemas.items():
        value = schema.get("x-ms-discriminator-value") if isinstance(schema, dict) else None
        members = schema.get("allOf") if isinstance(value, str) else None
        for member in members if isinstance(members, list) else ():
            ref = member.get("$ref") if isinstance(member, dict) else None
            key = component_schema(ref) if isinstance(ref, str) else None
            base = schemas.get(key) if key is not None else None
            found = base.get("discriminator") if isinstance(base, dict) else None
            if not isinstance(found, dict) or not isinstance(found.get("propertyName"), str):
                continue
            mapping = found.setdefault("mapping", {})
            own = SCHEMAS_PREFIX + name
            taken = isinstance(mapping, dict) and {own, name} & set(mapping.values())
            if isinstance(mapping, dict) and value not in mapping and not taken:
                mapping[value] = own


def to_3_0(node: dict[str, Any]) -> None:
    kind = node.get("type")
    if kind == "null" or (isinstance(kind, list) and all(isinstance(k, str) for k in kind)):
        types = [k for k in ([kind] if isinstance(kind, str) else kind) if k != "null"]
        if len(types) != (1 if isinstance(kind, str) else len(kind)):
            node["nullable"] = True
        if len(types) == 1:
            node["type"] = types[0]
        else:
            del node["type"]
            if not types:
                node.setdefault("enum", [None])
    if "const" in node:
        node.setdefault("enum", [node["const"]])
        del node["const"]
    node.pop("examples", None)
    for key, bound, tighter in (
        ("exclusiveMinimum", "minimum", operator.ge),
        ("exclusiveMaximum", "maximum", operator.le),
    ):
        value = node.get(key)
        if key not in node or isinstance(value, bool):
            continue
        other = node.get(bound)
        # The tighter of the two bounds is the one that holds: the exclusive one, unless
        # the inclusive one already says more (`minimum: 5, exclusiveMinimum: 0`).
        if isinstance(value, int | float) and (
            not isinstance(other, int | float) or tighter(value, other)
        ):
            node[bound] = value
            node[key] = True
        else:
            del node[key]


def to_numeric_bounds(node: dict[str, Any]) -> None:
    """3.0's boolean exclusiveMinimum/Maximum as 3.1's (JSON Schema's) numeric bounds."""
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(key), bool):
            if node[key] and bound in node:
                node[key] = node.pop(bound)
            else:
                del node[key]


def for_validation(walk: SchemaWalk, version: str) -> None:
    """Rewrite, in place, the other version's forms into the declared version's.

    Only keywords of a schema change, never the shape of the tree, so the validator's JSON
    pointers are those of the source document.
    """
    rewrite = to_3_0 if version == "3.0" else to_numeric_bounds
    for item in walk.nodes:
        rewrite(item.node)
