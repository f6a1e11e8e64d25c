"""JSON Schemas of `Api.models_document` → TypeScript declarations (`models.ts`).

Mapping (the normalised form: nullability only as `nullable: true`):

- `$ref` to a component → its `TsName`; an unknown target → `unknown`
- `enum` → a union of literal types (`"a" | "b"`, `1 | 2`, `null`), `const` → one literal
- `string` (any format: uuid, date-time...) → `string`, but bytes (`format: binary`, see
  `is_file_schema`) → `Blob` (what `FormData` takes as a file); `integer`, `number` → `number`;
  `boolean` → `boolean`; `null` → `null`; a list of types → a union of each
- `array` → `T[]` (no `items`: `unknown[]`)
- `object`/`properties`/`additionalProperties` → an object type: `name?: T` for properties not
  in `required`; `[key: string]: V` for `additionalProperties: V`, `unknown` for `true` or when
  there are no properties (so a bare `type: object` is an open record). With properties *and*
  a schema for additional properties the index is `unknown`, since TypeScript requires every
  property to fit the index type. `additionalProperties: false` adds nothing.
- `allOf` → an intersection, `oneOf`/`anyOf` → a union, next to the schema's own type
- `nullable: true` → `| null`; anything else (`not`, empty schema) → `unknown`

A component that is a plain object becomes an `interface`, every other one a `type` alias.
Aliases that would refer to themselves without an object or array in between (`A = B`,
`B = A | null`), which TypeScript rejects, have the reference that closes the cycle replaced
by `unknown`; recursion through properties, index signatures and arrays is kept as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.build.forms import is_file_schema
from generator.pointers import component_schema
from generator.render.code import Code
from generator.render.typescript import types as t
from generator.render.typescript.literals import ts_literal_type, ts_property
from generator.render.typescript.names import TsName

_SCALARS: dict[str, t.TsType] = {
    "string": t.STRING,
    "integer": t.NUMBER,
    "number": t.NUMBER,
    "boolean": t.BOOLEAN,
    "null": t.NULL,
}
_COMBINATORS = ("allOf", "anyOf", "oneOf")
BLOB = t.Atom(Code("Blob"))


@dataclass(frozen=True)
class MemberView:
    """A property of an interface, its type rendered for two spaces of indentation."""

    key: Code  # escaped by ts_property
    optional: bool
    type: Code
    doc: str  # spec text: templates print it through ts_doc


@dataclass(frozen=True)
class Declaration:
    """One exported declaration of models.ts."""

    name: TsName
    doc: str  # spec text: templates print it through ts_doc
    is_interface: bool
    members: tuple[MemberView, ...] = ()  # interfaces
    index: Code | None = None  # interfaces: value type of the index signature
    type: Code = t.UNKNOWN.text  # aliases: the right-hand side


def _has_object_keywords(schema: Mapping[str, Any]) -> bool:
    return "properties" in schema or "additionalProperties" in schema


def _is_object(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "object" or _has_object_keywords(schema)


class _Converter:
    """Converts one schema, collecting the components it refers to directly (outside any
    object or array), and replacing references to `broken` names in such places."""

    def __init__(self, names: Mapping[str, TsName], broken: frozenset[str] = frozenset()):
        self.names = names
        self.broken = broken
        self.direct: list[str] = []

    def convert(self, schema: Any, direct: bool = True) -> t.TsType:
        if schema is True or not isinstance(schema, Mapping):
            return t.NEVER if schema is False else t.UNKNOWN
        parts: list[t.TsType] = []
        ref = schema.get("$ref")
        if isinstance(ref, str):
            parts.append(self._ref(ref, direct))
        own = self._own_type(schema, direct)
        if own is not None:
            parts.append(own)
        for key in _COMBINATORS:
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                converted = [self.convert(b, direct) for b in branches]
                parts.extend(converted if key == "allOf" else [t.union(converted)])
        result = t.intersection(parts) if parts else t.UNKNOWN
        return t.nullable(result) if schema.get("nullable") is True else result

    def _ref(self, ref: str, direct: bool) -> t.TsType:
        key = component_schema(ref)
        if key is None or key not in self.names:
            return t.UNKNOWN
        if direct:
            if key in self.broken:
                return t.UNKNOWN
            self.direct.append(key)
        return t.Atom(self.names[key])

    def _own_type(self, schema: Mapping[str, Any], direct: bool) -> t.TsType | None:
        """The schema's type from `enum`/`const`/`type`, or None when it only combines."""
        if isinstance(schema.get("enum"), list):
            return t.union(t.Atom(ts_literal_type(v)) for v in schema["enum"])
        if "const" in schema:
            return t.Atom(ts_literal_type(schema["const"]))
        kind = schema.get("type")
        if isinstance(kind, list):
            return t.union(self._kind(k, schema, direct) for k in kind if isinstance(k, str))
        if isinstance(kind, str):
            return self._kind(kind, schema, direct)
        if _has_object_keywords(schema):
            return self.object_type(schema)
        if "items" in schema:
            return self._kind("array", schema, direct)
        return None

    def _kind(self, kind: str, schema: Mapping[str, Any], direct: bool) -> t.TsType:
        if kind == "string" and is_file_schema(schema):
            return BLOB
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array":
            return t.ArrayOf(self.convert(schema.get("items", True), direct=False))
        if kind == "object":
            if not _has_object_keywords(schema) and any(
                k in schema for k in ("$ref", *_COMBINATORS)
            ):
                return t.UNKNOWN  # a bare `type: object` next to combinators adds nothing
            return self.object_type(schema)
        return t.UNKNOWN

    def object_type(self, schema: Mapping[str, Any]) -> t.ObjectType:
        properties = schema.get("properties")
        props = properties if isinstance(properties, Mapping) else {}
        required = schema.get("required")
        needed = (
            {r for r in required if isinstance(r, str)} if isinstance(required, list) else set()
        )
        members = tuple(
            t.Member(
                key=ts_property(str(name)),
                type=self.convert(sub, direct=False),
                optional=name not in needed,
                doc=_description(sub),
            )
            for name, sub in props.items()
        )
        extra = schema.get("additionalProperties")
        index: t.TsType | None = None
        if extra is False:
            index = t.NEVER if not members else None
        elif isinstance(extra, Mapping) and not members:
            index = self.convert(extra, direct=False)
        elif extra is not None or not members:
            index = t.UNKNOWN
        return t.ObjectType(members, index)


def _description(schema: Any) -> str:
    if isinstance(schema, Mapping) and isinstance(schema.get("description"), str):
        return str(schema["description"])
    return ""


def _is_interface(schema: Any) -> bool:
    return (
        isinstance(schema, Mapping)
        and _is_object(schema)
        and not any(k in schema for k in ("$ref", "enum", "const", "nullable", *_COMBINATORS))
        and schema.get("type", "object") == "object"
    )


def _back_edges(graph: Mapping[str, list[str]]) -> dict[str, set[str]]:
    """For each node, the targets whose edge closes a cycle (iterative depth-first search)."""
    broken: dict[str, set[str]] = {}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in graph:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack.pop()
            edges = graph.get(node, [])
            if i == len(edges):
                state[node] = 2
                continue
            stack.append((node, i + 1))
            target = edges[i]
            if state.get(target) == 1:
                broken.setdefault(node, set()).add(target)
            elif target not in state and target in graph:
                state[target] = 1
                stack.append((target, 0))
    return broken


def model_declarations(models_document: Mapping[str, Any]) -> tuple[Declaration, ...]:
    """One declaration per schema of the models document, in document order."""
    schemas: Mapping[str, Any] = (models_document.get("components") or {}).get("schemas") or {}
    names = {key: TsName(key) for key in schemas}
    graph: dict[str, list[str]] = {}
    for key, schema in schemas.items():
        if not _is_interface(schema):
            converter = _Converter(names)
            converter.convert(schema)
            graph[key] = converter.direct
    broken = _back_edges(graph)
    declarations: list[Declaration] = []
    for key, schema in schemas.items():
        converter = _Converter(names, frozenset(broken.get(key, ())))
        if _is_interface(schema):
            obj = converter.object_type(schema)
            members = tuple(
                MemberView(m.key, m.optional, t.render(m.type, 2), m.doc) for m in obj.members
            )
            index = t.render(obj.index, 2) if obj.index is not None else None
            declarations.append(Declaration(names[key], _description(schema), True, members, index))
        else:
            rendered = t.render(converter.convert(schema))
            declarations.append(Declaration(names[key], _description(schema), False, type=rendered))
    return tuple(declarations)
